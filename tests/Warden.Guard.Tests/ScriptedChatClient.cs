using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Warden.Guard.Tests;

/// <summary>An inner <see cref="IChatClient"/> that answers from a script and records what it was sent.</summary>
internal sealed class ScriptedChatClient(params string[] script) : IChatClient
{
    public List<List<ChatMessage>> Calls { get; } = [];

    /// <summary>How many scripted chunks the stream produced before it was stopped.</summary>
    public int ChunksProduced { get; private set; }

    public bool StreamCancelled { get; private set; }

    public bool StreamCompleted { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls.Add(messages.ToList());
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Concat(script)))
        {
            FinishReason = ChatFinishReason.Stop,
            ModelId = "scripted",
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Calls.Add(messages.ToList());
        using var registration = cancellationToken.Register(() => StreamCancelled = true);
        foreach (var chunk in script)
        {
            await Task.Yield();
            ChunksProduced++;
            yield return new ChatResponseUpdate(ChatRole.Assistant, chunk);
        }
        StreamCompleted = true;
        yield return new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
