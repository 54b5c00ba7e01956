using Warden.Server.Observability;

namespace Warden.Server.Http;

/// <summary>
/// The outermost layer: turns every failure into an answer in the route's error schema, so a client mistake is
/// always a precise 4xx and nothing is ever an HTML page or an empty 500; times API requests for /metrics.
/// Logs name the route and the error, never the request's text.
/// </summary>
public sealed class ErrorMiddleware(RequestDelegate next, WardenMetrics metrics, ILogger<ErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await next(context);
            if (!context.Response.HasStarted && context.Response.ContentLength is null && context.Response.ContentType is null)
            {
                if (context.Response.StatusCode == 404)
                    await ApiError.WriteAsync(context, new ApiException(404, "not_found", $"no route {context.Request.Method} {context.Request.Path}"));
                else if (context.Response.StatusCode == 405)
                    await ApiError.WriteAsync(context, new ApiException(405, "method_not_allowed", $"{context.Request.Method} is not allowed on {context.Request.Path}"));
            }
        }
        catch (ApiException e)
        {
            if (e.Status >= 500) logger.LogWarning("{Route}: {Status} {Code}", context.Request.Path, e.Status, e.Code);
            await ApiError.WriteAsync(context, e);
        }
        catch (BadHttpRequestException e)
        {
            var status = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? 413 : 400;
            await ApiError.WriteAsync(context, new ApiException(status, status == 413 ? "body_too_large" : "bad_request", e.Message));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Route}: unhandled {Type}", context.Request.Path, e.GetType().Name);
            await ApiError.WriteAsync(context, new ApiException(500, "internal_error", "internal error; the server log has the details"));
        }
        finally
        {
            var path = context.Request.Path;
            if (!ApiKeyMiddleware.IsPublic(path))
                metrics.Request(RouteName(path), context.Response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    // A fixed set of labels, so that random paths cannot blow up the metric's cardinality.
    private static string RouteName(PathString path) => path.Value switch
    {
        "/v1/moderations" or "/v1alpha1/comments:analyze" or "/v1/guard" or "/v1/chat/completions" or "/v1/policies" => path.Value,
        _ => "other",
    };
}
