using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Warden.OpenAi;

/// <summary>
/// The retry policy every Warden client of an OpenAI-compatible server shares (LLM targets under evaluation,
/// LLM judges): retry connection errors, per-attempt timeouts, 429 and 5xx with jittered exponential back-off,
/// honouring the server's Retry-After up to a cap.
/// </summary>
public static class OpenAiResilience
{
    /// <param name="onRetry">called once per retry (for counters); the failed response is disposed after it</param>
    public static ResiliencePipeline<HttpResponseMessage> Build(int maxRetries, TimeSpan baseDelay, TimeSpan maxRetryAfter, TimeSpan attemptTimeout, Action onRetry) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => IsTransient(r.StatusCode)),
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay,
                MaxDelay = maxRetryAfter,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, maxRetryAfter)),
                OnRetry = args =>
                {
                    onRetry();
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            })
            .AddTimeout(attemptTimeout)
            .Build();

    /// <summary>429 and 5xx are worth retrying; other 4xx are the caller's mistake.</summary>
    public static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>The server's Retry-After (seconds or a date), capped; null lets the exponential back-off decide.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null) return null;
        TimeSpan? delay = header.Delta ?? (header.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (delay is null) return null;
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        return delay > cap ? cap : delay;
    }
}
