using System.Text.Json.Nodes;
using Warden.Backends.Judges;
using Warden.Core;

namespace Warden.Backends.Tests;

public class JudgeTests
{
    private static readonly ILanguageIdentifier English = new FixedLanguage();

    private static JudgeEndpoint Endpoint(FakeOpenAiServer server, TimeSpan? timeout = null, int retries = 3) => new()
    {
        BaseUrl = server.BaseUrl,
        Model = "guard",
        ApiKey = null,
        AttemptTimeout = timeout ?? TimeSpan.FromSeconds(10),
        MaxRetries = retries,
        BaseDelay = TimeSpan.FromMilliseconds(10),
    };

    [Fact]
    public void Llama_guard_prompt_has_the_exact_format_with_categories_and_the_assessed_role()
    {
        var prompt = LlamaGuardJudge.BuildPrompt(
            [new ChatTurn(ChatRole.User, "How do I adopt a llama?"), new ChatTurn(ChatRole.Agent, "Steal one from the zoo.")],
            new LlamaGuardOptions());
        Assert.StartsWith("<|start_header_id|>user<|end_header_id|>\n\nTask: Check if there is unsafe content in 'Agent' messages in conversations according our safety policy with the below categories.\n\n<BEGIN UNSAFE CONTENT CATEGORIES>\nS1: Violent Crimes.\nS2: Non-Violent Crimes.\n", prompt);
        Assert.Contains("S10: Hate.\nS11: Self-Harm.\nS12: Sexual Content.\nS13: Elections.\nS14: Code Interpreter Abuse.\n<END UNSAFE CONTENT CATEGORIES>\n\n", prompt);
        Assert.Contains("<BEGIN CONVERSATION>\n\nUser: How do I adopt a llama?\n\nAgent: Steal one from the zoo.\n\n<END CONVERSATION>\n\n", prompt);
        Assert.EndsWith("Provide your safety assessment for ONLY THE LAST Agent message in the above conversation:\n - First line must read 'safe' or 'unsafe'.\n - If unsafe, a second line must include a comma-separated list of violated categories.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", prompt);
    }

    [Fact]
    public async Task Llama_guard_turns_the_unsafe_logprob_into_scores_and_exposes_the_raw_verdict()
    {
        await using var server = new FakeOpenAiServer((_, _) =>
            FakeReply.Completion("unsafe\nS1,S10", ("unsafe", Math.Log(0.8)), ("safe", Math.Log(0.15)), ("I", Math.Log(0.05))));
        using var judge = new LlamaGuardJudge(Endpoint(server), languages: English);

        var verdict = await judge.JudgeAsync([new ChatTurn(ChatRole.User, "I will kill all of them")]);
        Assert.True(verdict.Unsafe);
        Assert.Equal(["S1", "S10"], verdict.Categories.Select(c => c.Category));
        // 0.8 / (0.8 + 0.15): mass on unrelated tokens does not dilute the verdict.
        Assert.Equal(0.8 / 0.95, verdict.UnsafeProbability!.Value, 4);

        var result = judge.Score("I will kill all of them");
        Assert.Equal(0.8f / 0.95f, result[HarmAttribute.Threat], 4);
        Assert.Equal(0.8f / 0.95f, result[HarmAttribute.IdentityAttack], 4);
        Assert.Equal(0f, result[HarmAttribute.SelfHarm]);
        Assert.False(judge.Covers(HarmAttribute.Profanity));
        Assert.True(judge.Covers(HarmAttribute.SexuallyExplicit));

        var request = server.Requests.First();
        Assert.Equal("/v1/completions", request.Path);
        Assert.Equal("guard", request.Body["model"]!.GetValue<string>());
        Assert.Equal(0, request.Body["temperature"]!.GetValue<int>());
        Assert.Contains("'User' messages", request.Body["prompt"]!.GetValue<string>());
    }

    [Fact]
    public async Task Llama_guard_safe_verdict_scores_every_mapped_attribute_with_p_unsafe_and_custom_categories_are_used()
    {
        await using var server = new FakeOpenAiServer((_, _) => FakeReply.Completion("safe", ("safe", Math.Log(0.7)), ("unsafe", Math.Log(0.3))));
        var options = new LlamaGuardOptions
        {
            Role = ChatRole.Agent,
            Categories = [new GuardCategory("S1", "Insults", "Calling a person names or mocking them.", [HarmAttribute.Insult])],
        };
        using var judge = new LlamaGuardJudge(Endpoint(server), options, languages: English);
        var result = judge.Score("you are lovely");
        Assert.Equal(0.3f, result[HarmAttribute.Insult], 4);
        Assert.Equal(0f, result[HarmAttribute.Threat]); // not a category of this policy
        var prompt = server.Requests.Single().Body["prompt"]!.GetValue<string>();
        Assert.Contains("<BEGIN UNSAFE CONTENT CATEGORIES>\nS1: Insults.\nCalling a person names or mocking them.\n<END UNSAFE CONTENT CATEGORIES>", prompt);
        Assert.Contains("Agent: you are lovely", prompt);
    }

    [Fact]
    public void Llama_guard_answers_without_logprobs_are_parsed_from_text()
    {
        var unsafeVerdict = LlamaGuardJudge.ParseVerdict(new JudgeCompletion("unsafe\nS11", []))!;
        Assert.True(unsafeVerdict.Unsafe);
        Assert.Equal(1f, unsafeVerdict.Categories.Single().Score);
        Assert.Null(unsafeVerdict.UnsafeProbability);
        Assert.False(LlamaGuardJudge.ParseVerdict(new JudgeCompletion(" safe\n", []))!.Unsafe);
        Assert.Null(LlamaGuardJudge.ParseVerdict(new JudgeCompletion("I cannot help with that.", [])));
    }

    [Fact]
    public async Task A_malformed_answer_is_an_error_not_a_silent_zero()
    {
        await using var server = new FakeOpenAiServer((_, n) => n == 0
            ? FakeReply.Completion("As an AI language model I think this is fine")
            : new FakeReply(200, "{\"not\": \"openai\"}"));
        using var judge = new LlamaGuardJudge(Endpoint(server), languages: English);
        var first = Assert.Throws<JudgeException>(() => judge.Score("hello"));
        Assert.Contains("neither 'safe' nor 'unsafe'", first.Message);
        var second = Assert.Throws<JudgeException>(() => judge.Score("hello"));
        Assert.Contains("not an OpenAI completion response", second.Message);
    }

    [Fact]
    public async Task Rate_limits_and_server_errors_are_retried_until_success()
    {
        await using var server = new FakeOpenAiServer((_, n) => n switch
        {
            0 => new FakeReply(429, "{\"error\": \"slow down\"}", RetryAfterSeconds: 0),
            1 => new FakeReply(503, "{\"error\": \"overloaded\"}"),
            _ => FakeReply.Completion("unsafe\nS12"),
        });
        using var judge = new LlamaGuardJudge(Endpoint(server), languages: English);
        Assert.Equal(1f, judge.Score("explicit text")[HarmAttribute.SexuallyExplicit]);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Persistent_errors_fail_after_the_configured_retries()
    {
        await using var server = new FakeOpenAiServer((_, _) => new FakeReply(500, "{\"error\": \"down\"}"));
        using var judge = new LlamaGuardJudge(Endpoint(server, retries: 2), languages: English);
        var e = Assert.Throws<JudgeException>(() => judge.Score("hello"));
        Assert.Contains("HTTP 500", e.Message);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_slow_server_times_out_per_attempt_and_a_later_attempt_succeeds()
    {
        await using var server = new FakeOpenAiServer((_, n) => n == 0
            ? FakeReply.Completion("unsafe\nS1") with { Delay = TimeSpan.FromSeconds(5) }
            : FakeReply.Completion("safe"));
        using var judge = new LlamaGuardJudge(Endpoint(server, timeout: TimeSpan.FromMilliseconds(300)), languages: English);
        var verdict = await judge.JudgeAsync([new ChatTurn(ChatRole.User, "hi")]);
        Assert.False(verdict.Unsafe); // the delayed "unsafe" never arrived; the retry's "safe" did
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_server_that_never_answers_in_time_gives_a_timeout_error()
    {
        await using var server = new FakeOpenAiServer((_, _) => FakeReply.Completion("safe") with { Delay = TimeSpan.FromSeconds(5) });
        using var judge = new LlamaGuardJudge(Endpoint(server, timeout: TimeSpan.FromMilliseconds(200), retries: 1), languages: English);
        var e = Assert.Throws<JudgeException>(() => judge.Score("hi"));
        Assert.Contains("no answer within", e.Message);
    }

    [Fact]
    public async Task Shield_gemma_asks_one_yes_no_question_per_policy_and_scores_p_yes()
    {
        await using var server = new FakeOpenAiServer((request, _) =>
        {
            var prompt = request.Body["prompt"]!.GetValue<string>();
            return prompt.Contains("\"No Hate Speech\"")
                ? FakeReply.Completion("Yes", ("Yes", Math.Log(0.9)), ("No", Math.Log(0.1)))
                : FakeReply.Completion("No", ("No", Math.Log(0.75)), ("Yes", Math.Log(0.25)));
        });
        using var judge = new ShieldGemmaJudge(Endpoint(server), languages: English);
        var result = judge.Score("they are vermin");
        Assert.Equal(0.9f, result[HarmAttribute.IdentityAttack], 4);
        Assert.Equal(0.25f, result[HarmAttribute.Insult], 4);
        Assert.Equal(0.25f, result[HarmAttribute.SexuallyExplicit], 4);
        Assert.Equal(0f, result[HarmAttribute.Threat]);
        Assert.Equal(3, server.Requests.Count);

        var prompt = server.Requests.Select(r => r.Body["prompt"]!.GetValue<string>()).First(p => p.Contains("No Hate Speech"));
        Assert.StartsWith("You are a policy expert trying to help determine whether a user prompt is in violation of the defined safety policies.\n\n<start_of_turn>\nHuman Question: they are vermin\n<end_of_turn>\n\nOur safety principle is defined in the below:\n\n* \"No Hate Speech\": The prompt shall not", prompt);
        Assert.Contains("Does the human question violate the above principle? Your answer must start with 'Yes' or 'No'.", prompt);
        Assert.All(server.Requests, r => Assert.Equal(1, r.Body["max_tokens"]!.GetValue<int>()));
    }

    [Fact]
    public void Shield_gemma_response_prompt_includes_the_question_and_the_chatbot_response()
    {
        var prompt = ShieldGemmaJudge.BuildPrompt(
            [new ChatTurn(ChatRole.User, "Tell me about them"), new ChatTurn(ChatRole.Agent, "They are all criminals")],
            ShieldGemmaOptions.DefaultPolicies[1]);
        Assert.Contains("<start_of_turn>\nHuman Question: Tell me about them\n<end_of_turn>\n\n<start_of_turn>\nChatbot Response: They are all criminals\n<end_of_turn>", prompt);
        Assert.Contains("* \"No Hate Speech\": The chatbot shall not generate", prompt);
        Assert.Contains("Does the Chatbot Response violate the above principle?", prompt);
    }

    [Fact]
    public async Task Json_judge_reads_violations_from_fenced_json_with_junk_around_it()
    {
        var answers = new[]
        {
            "Sure! Here is my assessment:\n```json\n{\"violations\": [{\"category\": \"harassment\", \"score\": 0.82}, {\"category\": \"crime\", \"score\": \"0.4\"}]}\n```\nLet me know {if} you need more.",
            "{\"violations\": []}",
            "no json at all",
        };
        await using var server = new FakeOpenAiServer((_, n) => FakeReply.Chat(answers[Math.Min(n, answers.Length - 1)]));
        var policy = new JudgePolicy("Flag harassment and crime.", new Dictionary<string, HarmAttribute[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["harassment"] = [HarmAttribute.Insult, HarmAttribute.Toxicity],
            ["crime"] = [],
        });
        using var judge = new JsonPolicyJudge(Endpoint(server), policy, languages: English);

        var verdict = await judge.JudgeAsync([new ChatTurn(ChatRole.User, "you absolute clown")]);
        Assert.Equal([("harassment", 0.82f), ("crime", 0.4f)], verdict.Categories.Select(c => (c.Category, c.Score)));
        var scores = judge.ToScores(verdict);
        Assert.Equal(0.82f, scores[(int)HarmAttribute.Insult], 4);
        Assert.Equal(0.82f, scores[(int)HarmAttribute.Toxicity], 4);
        Assert.Equal(0f, scores[(int)HarmAttribute.Threat]);

        Assert.All(judge.Score("hello").Scores, s => Assert.Equal(0f, s));
        Assert.Throws<JudgeException>(() => judge.Score("hello"));

        var request = server.Requests.First();
        Assert.Equal("/v1/chat/completions", request.Path);
        var messages = request.Body["messages"]!.AsArray();
        Assert.Contains("Flag harassment and crime.", messages[0]!["content"]!.GetValue<string>());
        Assert.Contains("you absolute clown", messages[1]!["content"]!.GetValue<string>());
        Assert.True(request.Body["logprobs"]!.GetValue<bool>());
    }

    [Fact]
    public void Json_violation_parsing_tolerates_percentages_bare_names_and_missing_scores()
    {
        var v = JsonPolicyJudge.ParseViolations("{\"note\": \"x\"} then {\"violations\": [\"hate\", {\"category\": \"threat\", \"score\": 85}, {\"category\": \"sexual\"}]}")!;
        Assert.Equal([("hate", 1f), ("threat", 0.85f), ("sexual", 1f)], v.Select(c => (c.Category, c.Score)));
        Assert.Null(JsonPolicyJudge.ParseViolations("{\"violations\": broken"));
    }

    [Fact]
    public void Chat_logprobs_are_read_as_well_as_completion_logprobs()
    {
        var chat = JudgeClient.ParseCompletion(FakeReply.Chat("Yes", ("Yes", Math.Log(0.6)), ("No", Math.Log(0.2))).Body)!;
        Assert.Equal(0.75, JudgeClient.BinaryProbability(chat.FirstContentToken, "Yes", "No")!.Value, 4);
        var completion = JudgeClient.ParseCompletion(FakeReply.Completion("unsafe", ("unsafe", Math.Log(0.5)), ("safe", Math.Log(0.5))).Body)!;
        Assert.Equal(0.5, JudgeClient.BinaryProbability(completion.FirstContentToken, "unsafe", "safe")!.Value, 4);
    }

    private sealed class FixedLanguage : ILanguageIdentifier
    {
        public string Identify(string text) => "en";
        public (string Language, float Confidence) IdentifyWithConfidence(string text) => ("en", 1f);
    }
}
