using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;

namespace Warden.Guard.AI;

/// <summary>Thrown instead of answering with a refusal when <see cref="WardenGuardOptions.ThrowOnBlock"/> is set.</summary>
public sealed class WardenGuardException(GuardVerdict verdict) : Exception(verdict.Reason)
{
    public GuardVerdict Verdict { get; } = verdict;
}

public sealed record WardenGuardOptions
{
    /// <summary>Throw <see cref="WardenGuardException"/> instead of returning a refusal message.</summary>
    public bool ThrowOnBlock { get; init; }
}

/// <summary>
/// Guards any <see cref="IChatClient"/> with a Warden policy: the conversation is checked before it reaches the
/// inner client, and the answer before it reaches the caller. A streamed answer is checked as it grows; when it
/// crosses the policy the stream ends at once with <see cref="ChatFinishReason.ContentFilter"/>, and the update
/// that crossed it is never passed on. The verdict travels in <c>AdditionalProperties["warden"]</c>.
/// Thread-safe like the client it wraps.
/// </summary>
public sealed class WardenGuardChatClient : DelegatingChatClient
{
    public const string VerdictKey = "warden";

    private readonly Guard _guard;
    private readonly GuardPolicy _policy;
    private readonly WardenGuardOptions _options;

    public WardenGuardChatClient(IChatClient innerClient, Guard guard, GuardPolicy policy, WardenGuardOptions? options = null)
        : base(innerClient)
    {
        _guard = guard ?? throw new ArgumentNullException(nameof(guard));
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _options = options ?? new WardenGuardOptions();
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (input, inputVerdict) = CheckInput(messages);
        if (inputVerdict.Blocks) return Refusal(inputVerdict);

        var response = await base.GetResponseAsync(input, options, cancellationToken).ConfigureAwait(false);
        var outputVerdict = _guard.EvaluateText(response.Text, _policy, "assistant");
        if (outputVerdict.Safe) return Annotate(response, inputVerdict);
        if (outputVerdict.Blocks) return Refusal(outputVerdict);
        if (_policy.Action == PolicyAction.Redact)
        {
            var redacted = new ChatResponse(new ChatMessage(ChatRole.Assistant, outputVerdict.Messages[0].Redacted))
            {
                ResponseId = response.ResponseId,
                ModelId = response.ModelId,
                FinishReason = response.FinishReason,
                Usage = response.Usage,
            };
            return Annotate(redacted, outputVerdict);
        }
        return Annotate(response, outputVerdict);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (input, inputVerdict) = CheckInput(messages);
        if (inputVerdict.Blocks)
        {
            yield return RefusalUpdate(inputVerdict, _policy.RefusalMessage);
            yield break;
        }

        // Cancelling this source stops the inner client's work when the policy ends the stream early.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var answer = new StringBuilder();
        var flagged = false;
        await foreach (var update in base.GetStreamingResponseAsync(input, options, stop.Token).WithCancellation(stop.Token).ConfigureAwait(false))
        {
            var text = update.Text;
            if (string.IsNullOrEmpty(text) || flagged)
            {
                yield return update;
                continue;
            }
            answer.Append(text);
            var verdict = _guard.EvaluateText(answer.ToString(), _policy, "assistant");
            if (verdict.Safe)
            {
                yield return update;
                continue;
            }
            if (_policy.Action == PolicyAction.Flag)
            {
                // Flag never withholds text: mark the update that crossed the policy and go on.
                flagged = true;
                (update.AdditionalProperties ??= [])[VerdictKey] = verdict;
                yield return update;
                continue;
            }
            // Block and Redact alike: text already sent cannot be redacted, so a stream is cut where it crossed.
            if (_options.ThrowOnBlock) throw new WardenGuardException(verdict);
            await stop.CancelAsync().ConfigureAwait(false);
            yield return RefusalUpdate(verdict, null);
            yield break;
        }
    }

    private (IEnumerable<ChatMessage> Messages, GuardVerdict Verdict) CheckInput(IEnumerable<ChatMessage> messages)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var verdict = _guard.Evaluate(list.Select(m => new GuardMessage(m.Role.Value, m.Text)).ToList(), _policy);
        if (verdict.Blocks && _options.ThrowOnBlock) throw new WardenGuardException(verdict);
        if (verdict.Safe || _policy.Action != PolicyAction.Redact) return (list, verdict);

        var redacted = list.ToList();
        foreach (var assessment in verdict.Messages.Where(a => a.Redacted is not null))
            redacted[assessment.MessageIndex] = new ChatMessage(list[assessment.MessageIndex].Role, assessment.Redacted);
        return (redacted, verdict);
    }

    private ChatResponse Refusal(GuardVerdict verdict)
    {
        if (_options.ThrowOnBlock) throw new WardenGuardException(verdict);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, _policy.RefusalMessage))
        {
            FinishReason = ChatFinishReason.ContentFilter,
        };
        return Annotate(response, verdict);
    }

    private static ChatResponseUpdate RefusalUpdate(GuardVerdict verdict, string? text) =>
        new(ChatRole.Assistant, text)
        {
            FinishReason = ChatFinishReason.ContentFilter,
            AdditionalProperties = new() { [VerdictKey] = verdict },
        };

    private static ChatResponse Annotate(ChatResponse response, GuardVerdict verdict)
    {
        (response.AdditionalProperties ??= [])[VerdictKey] = verdict;
        return response;
    }
}
