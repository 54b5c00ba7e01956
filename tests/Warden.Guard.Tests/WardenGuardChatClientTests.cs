using Microsoft.Extensions.AI;
using Warden.Guard.AI;
using Warden.Testing;

namespace Warden.Guard.Tests;

public class WardenGuardChatClientTests
{
    private static readonly KeywordScorer Scorer = new();

    private static IChatClient Guarded(ScriptedChatClient inner, GuardPolicy? policy = null, WardenGuardOptions? options = null) =>
        new ChatClientBuilder(inner).UseWardenGuard(Scorer, policy, options).Build();

    private static GuardVerdict VerdictOf(AdditionalPropertiesDictionary? properties) =>
        Assert.IsType<GuardVerdict>(properties?[WardenGuardChatClient.VerdictKey]);

    [Fact]
    public async Task Safe_conversation_passes_through_with_a_safe_verdict()
    {
        var inner = new ScriptedChatClient("Hello", " there");
        var response = await Guarded(inner).GetResponseAsync("hi");
        Assert.Equal("Hello there", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.True(VerdictOf(response.AdditionalProperties).Safe);
        Assert.Single(inner.Calls);
    }

    [Fact]
    public async Task Unsafe_input_is_refused_without_calling_the_model()
    {
        var inner = new ScriptedChatClient("never sent");
        var response = await Guarded(inner).GetResponseAsync([new(ChatRole.System, "be nice"), new(ChatRole.User, "you idiot")]);
        Assert.Empty(inner.Calls);
        Assert.Equal(ChatFinishReason.ContentFilter, response.FinishReason);
        Assert.Equal(GuardPolicy.Default.RefusalMessage, response.Text);
        var verdict = VerdictOf(response.AdditionalProperties);
        Assert.Equal(1, verdict.MessageIndex);
        Assert.Contains(verdict.Violations, v => v.Category == "insult");
    }

    [Fact]
    public async Task Unsafe_answer_is_replaced_by_a_refusal()
    {
        var inner = new ScriptedChatClient("I will kill", " the process");
        var response = await Guarded(inner).GetResponseAsync("how do I stop it?");
        Assert.Single(inner.Calls);
        Assert.Equal(ChatFinishReason.ContentFilter, response.FinishReason);
        Assert.DoesNotContain("kill", response.Text);
        Assert.Contains(VerdictOf(response.AdditionalProperties).Violations, v => v.Category == "threat");
    }

    [Fact]
    public async Task Redact_policy_redacts_input_before_the_model_sees_it_and_redacts_the_answer()
    {
        var inner = new ScriptedChatClient("sure, idiot");
        var policy = new GuardPolicy { Name = "scrub", Action = PolicyAction.Redact };
        var response = await Guarded(inner, policy).GetResponseAsync("hello idiot");
        Assert.Equal("hello [redacted]", Assert.Single(inner.Calls)[0].Text);
        Assert.Equal("sure, [redacted]", response.Text);
        Assert.Equal("scrub", VerdictOf(response.AdditionalProperties).Policy);
    }

    [Fact]
    public async Task Flag_policy_passes_everything_and_reports_the_verdict()
    {
        var inner = new ScriptedChatClient("damn right");
        var response = await Guarded(inner, new GuardPolicy { Action = PolicyAction.Flag }).GetResponseAsync("hi");
        Assert.Equal("damn right", response.Text);
        Assert.False(VerdictOf(response.AdditionalProperties).Safe);
    }

    [Fact]
    public async Task Stream_stops_at_the_chunk_that_crosses_the_policy_and_cancels_the_model()
    {
        var inner = new ScriptedChatClient("Sure. ", "You are ", "an idiot", " and more", " text");
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in Guarded(inner).GetStreamingResponseAsync("tell me")) updates.Add(u);

        Assert.Equal("Sure. You are ", string.Concat(updates.Select(u => u.Text)));
        var last = updates[^1];
        Assert.Equal(ChatFinishReason.ContentFilter, last.FinishReason);
        Assert.Contains(VerdictOf(last.AdditionalProperties).Violations, v => v.Category == "insult");
        Assert.Equal(3, inner.ChunksProduced);
        Assert.False(inner.StreamCompleted);
        Assert.True(inner.StreamCancelled);
    }

    [Fact]
    public async Task Safe_stream_is_relayed_unchanged()
    {
        var inner = new ScriptedChatClient("one ", "two ", "three");
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in Guarded(inner).GetStreamingResponseAsync("count")) updates.Add(u);
        Assert.Equal("one two three", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        Assert.True(inner.StreamCompleted);
    }

    [Fact]
    public async Task Flagged_stream_marks_the_crossing_update_and_continues()
    {
        var inner = new ScriptedChatClient("well ", "damn", " ok");
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in Guarded(inner, new GuardPolicy { Action = PolicyAction.Flag }).GetStreamingResponseAsync("hi")) updates.Add(u);
        Assert.Equal("well damn ok", string.Concat(updates.Select(u => u.Text)));
        Assert.False(VerdictOf(updates.Single(u => u.Text == "damn").AdditionalProperties).Safe);
    }

    [Fact]
    public async Task Unsafe_streamed_input_yields_one_refusal_update()
    {
        var inner = new ScriptedChatClient("never");
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in Guarded(inner).GetStreamingResponseAsync("kill them")) updates.Add(u);
        var only = Assert.Single(updates);
        Assert.Equal(ChatFinishReason.ContentFilter, only.FinishReason);
        Assert.Empty(inner.Calls);
    }

    [Fact]
    public async Task Throw_option_raises_with_the_verdict()
    {
        var inner = new ScriptedChatClient("fine");
        var e = await Assert.ThrowsAsync<WardenGuardException>(() =>
            Guarded(inner, options: new WardenGuardOptions { ThrowOnBlock = true }).GetResponseAsync("you idiot"));
        Assert.Equal(0, e.Verdict.MessageIndex);
    }

    [Fact]
    public void Policy_overload_without_a_registered_scorer_explains_what_is_missing()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ChatClientBuilder(new ScriptedChatClient()).UseWardenGuard(GuardPolicy.Default).Build());
        Assert.Contains("IScorer", e.Message);
    }
}
