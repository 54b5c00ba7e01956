namespace Warden.LlmEval.Targets;

/// <summary>Parses the <c>--target</c> syntax: <c>openai:URL</c> or <c>replay:FILE</c>.</summary>
public static class TargetSpec
{
    public static ITarget Create(string spec, string? model, OpenAiTargetOptions? template = null)
    {
        var colon = spec.IndexOf(':');
        if (colon <= 0) throw new ArgumentException($"unknown target '{spec}': use openai:URL or replay:FILE");
        var kind = spec[..colon].ToLowerInvariant();
        var rest = spec[(colon + 1)..];
        switch (kind)
        {
            case "openai":
                if (!Uri.TryCreate(rest, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                    throw new ArgumentException($"target '{spec}': expected openai:http(s)://host:port/v1");
                if (string.IsNullOrWhiteSpace(model)) throw new ArgumentException("an openai: target needs --model NAME");
                var options = (template ?? new OpenAiTargetOptions { BaseUrl = url, Model = model }) with { BaseUrl = url, Model = model };
                return new OpenAiTarget(options);
            case "replay":
                return new ReplayTarget(rest);
            default:
                throw new ArgumentException($"unknown target kind '{kind}': use openai:URL or replay:FILE");
        }
    }
}
