using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Warden.Core;

namespace Warden.Guard.Configuration;

/// <summary>A configuration file that cannot be used; the message names the field.</summary>
public sealed class WardenConfigException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>An API key as stored at rest: an id for logs and audit, and the SHA-256 of the secret, never the secret.</summary>
public sealed record ApiKeyEntry(string Id, string Sha256, string? Policy, RateLimitSettings? RateLimit)
{
    /// <summary>Lower-case hex SHA-256 of a key as presented by a client (what <c>sha256</c> in warden.json holds).</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

/// <summary>Token bucket per API key: a sustained rate and a burst.</summary>
public sealed record RateLimitSettings(int RequestsPerSecond = 200, int Burst = 400);

/// <summary>Input limits; a request over one is refused with a 4xx that names the limit.</summary>
public sealed record LimitSettings
{
    public long MaxBodyBytes { get; init; } = 1 << 20;
    public int MaxTextChars { get; init; } = 20_000;
    public int MaxBatchSize { get; init; } = 64;
    public int MaxMessages { get; init; } = 64;
}

/// <summary>Where decisions are recorded and for how long.</summary>
public sealed record AuditSettings
{
    public bool Enabled { get; init; } = true;

    /// <summary><c>sqlite:PATH</c> (default <c>sqlite:warden-audit.db</c>) or a <c>postgres://</c> URL.</summary>
    public string Store { get; init; } = "sqlite:warden-audit.db";

    public int RetentionDays { get; init; } = 30;

    /// <summary>Salt of the text hashes; when absent the store generates one once and keeps it.</summary>
    public string? Salt { get; init; }
}

/// <summary>The OpenAI-compatible server behind <c>/v1/chat/completions</c>.</summary>
public sealed record UpstreamSettings
{
    public required Uri BaseUrl { get; init; }

    /// <summary>Whole-request limit for a non-streamed call, and time to the first byte of a streamed one.</summary>
    public double TimeoutSeconds { get; init; } = 60;

    /// <summary>Longest silence allowed between two chunks of a stream.</summary>
    public double StreamIdleTimeoutSeconds { get; init; } = 30;

    /// <summary>Bearer key sent upstream (the client's Warden key is never forwarded).</summary>
    public string? ApiKey { get; init; }
}

/// <summary>
/// Everything <c>warden.json</c> holds. Immutable once loaded; <see cref="Default"/> is what a server
/// without a config file runs with (one blocking policy on the model's own thresholds, no keys).
/// </summary>
public sealed class WardenConfig
{
    public static WardenConfig Default { get; } = new(
        new Dictionary<string, GuardPolicy> { [GuardPolicy.DefaultName] = GuardPolicy.Default },
        GuardPolicy.DefaultName, [], new RateLimitSettings(), new LimitSettings(), new AuditSettings(), null);

    public WardenConfig(
        IReadOnlyDictionary<string, GuardPolicy> policies,
        string defaultPolicy,
        IReadOnlyList<ApiKeyEntry> apiKeys,
        RateLimitSettings rateLimit,
        LimitSettings limits,
        AuditSettings audit,
        UpstreamSettings? upstream)
    {
        if (!policies.ContainsKey(defaultPolicy))
            throw new WardenConfigException($"defaultPolicy '{defaultPolicy}' is not one of the policies ({string.Join(", ", policies.Keys)})");
        foreach (var key in apiKeys)
            if (key.Policy is not null && !policies.ContainsKey(key.Policy))
                throw new WardenConfigException($"apiKeys[{key.Id}].policy '{key.Policy}' is not one of the policies");
        Policies = policies;
        DefaultPolicy = defaultPolicy;
        ApiKeys = apiKeys;
        RateLimit = rateLimit;
        Limits = limits;
        Audit = audit;
        Upstream = upstream;
    }

    public IReadOnlyDictionary<string, GuardPolicy> Policies { get; }
    public string DefaultPolicy { get; }
    public IReadOnlyList<ApiKeyEntry> ApiKeys { get; }
    public RateLimitSettings RateLimit { get; }
    public LimitSettings Limits { get; }
    public AuditSettings Audit { get; }
    public UpstreamSettings? Upstream { get; }

    public bool TryGetPolicy(string? name, out GuardPolicy policy)
    {
        policy = Policies[DefaultPolicy];
        return name is null || Policies.TryGetValue(name, out policy!);
    }

    public WardenConfig With(AuditSettings? audit = null, UpstreamSettings? upstream = null, IReadOnlyList<ApiKeyEntry>? apiKeys = null) =>
        new(Policies, DefaultPolicy, apiKeys ?? ApiKeys, RateLimit, Limits, audit ?? Audit, upstream ?? Upstream);

    public static WardenConfig Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WardenConfigException($"cannot read config file {path}: {e.Message}", e);
        }
        return Parse(json, path);
    }

    public static WardenConfig Parse(string json, string source = "warden.json")
    {
        ConfigFile file;
        try
        {
            file = JsonSerializer.Deserialize<ConfigFile>(json, JsonOptions) ?? throw new WardenConfigException($"{source}: empty");
        }
        catch (JsonException e)
        {
            throw new WardenConfigException($"{source}: {e.Message}", e);
        }
        return file.ToConfig(source);
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    // The file's shape. Kept apart from the domain types so that validation happens once, with field names in messages.
    private sealed class ConfigFile
    {
        public List<PolicyFile>? Policies { get; set; }
        public string? DefaultPolicy { get; set; }
        public List<KeyFile>? ApiKeys { get; set; }
        public RateLimitSettings? RateLimit { get; set; }
        public LimitSettings? Limits { get; set; }
        public AuditSettings? Audit { get; set; }
        public UpstreamFile? Upstream { get; set; }

        public WardenConfig ToConfig(string source)
        {
            var policies = new Dictionary<string, GuardPolicy>(StringComparer.Ordinal);
            foreach (var (p, i) in (Policies ?? []).Select((p, i) => (p, i)))
            {
                var policy = p.ToPolicy($"{source}: policies[{i}]");
                if (!policies.TryAdd(policy.Name, policy)) throw new WardenConfigException($"{source}: policy '{policy.Name}' is defined twice");
            }
            if (policies.Count == 0) policies[GuardPolicy.DefaultName] = GuardPolicy.Default;
            var defaultPolicy = DefaultPolicy ?? (policies.ContainsKey(GuardPolicy.DefaultName) ? GuardPolicy.DefaultName : policies.Keys.First());

            var keys = new List<ApiKeyEntry>();
            foreach (var (k, i) in (ApiKeys ?? []).Select((k, i) => (k, i)))
            {
                var where = $"{source}: apiKeys[{i}]";
                if (string.IsNullOrWhiteSpace(k.Id)) throw new WardenConfigException($"{where}.id is required");
                var hash = k.Sha256?.Trim().ToLowerInvariant();
                if (hash is null || hash.Length != 64 || !hash.All(Uri.IsHexDigit))
                    throw new WardenConfigException($"{where}.sha256 must be the 64-hex-digit SHA-256 of the key (`printf %s KEY | sha256sum`)");
                keys.Add(new ApiKeyEntry(k.Id, hash, k.Policy, k.RateLimit));
            }
            if (keys.Select(k => k.Sha256).Distinct().Count() != keys.Count) throw new WardenConfigException($"{source}: two apiKeys have the same hash");

            var limits = Limits ?? new LimitSettings();
            if (limits.MaxBodyBytes <= 0 || limits.MaxTextChars <= 0 || limits.MaxBatchSize <= 0 || limits.MaxMessages <= 0)
                throw new WardenConfigException($"{source}: limits must be positive");
            var rate = RateLimit ?? new RateLimitSettings();
            if (rate.RequestsPerSecond <= 0 || rate.Burst <= 0) throw new WardenConfigException($"{source}: rateLimit values must be positive");

            UpstreamSettings? upstream = null;
            if (Upstream is not null)
            {
                if (!Uri.TryCreate(Upstream.BaseUrl, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != "http" && baseUrl.Scheme != "https"))
                    throw new WardenConfigException($"{source}: upstream.baseUrl must be an absolute http(s) URL, e.g. http://127.0.0.1:11434/v1");
                upstream = new UpstreamSettings
                {
                    BaseUrl = baseUrl,
                    TimeoutSeconds = Upstream.TimeoutSeconds ?? 60,
                    StreamIdleTimeoutSeconds = Upstream.StreamIdleTimeoutSeconds ?? 30,
                    ApiKey = Upstream.ApiKey,
                };
            }
            return new WardenConfig(policies, defaultPolicy, keys, rate, limits, Audit ?? new AuditSettings(), upstream);
        }
    }

    private sealed class KeyFile
    {
        public string? Id { get; set; }
        public string? Sha256 { get; set; }
        public string? Policy { get; set; }
        public RateLimitSettings? RateLimit { get; set; }
    }

    private sealed class UpstreamFile
    {
        public string? BaseUrl { get; set; }
        public double? TimeoutSeconds { get; set; }
        public double? StreamIdleTimeoutSeconds { get; set; }
        public string? ApiKey { get; set; }
    }

    private sealed class PolicyFile
    {
        public string? Name { get; set; }
        public PolicyAction? Action { get; set; }
        public Dictionary<string, float>? Thresholds { get; set; }
        public Dictionary<string, Dictionary<string, float>>? LanguageThresholds { get; set; }
        public List<string>? Ignore { get; set; }
        public List<string>? AllowTerms { get; set; }
        public List<string>? DenyTerms { get; set; }
        public List<string>? Roles { get; set; }
        public bool? StoreText { get; set; }
        public string? RedactionMark { get; set; }
        public string? RefusalMessage { get; set; }

        public GuardPolicy ToPolicy(string where)
        {
            if (string.IsNullOrWhiteSpace(Name)) throw new WardenConfigException($"{where}.name is required");
            var defaults = GuardPolicy.Default;
            return new GuardPolicy
            {
                Name = Name,
                Action = Action ?? defaults.Action,
                Thresholds = Attributes(Thresholds, $"{where}.thresholds"),
                LanguageThresholds = (LanguageThresholds ?? []).ToDictionary(
                    kv => kv.Key.ToLowerInvariant(),
                    kv => (IReadOnlyDictionary<HarmAttribute, float>)Attributes(kv.Value, $"{where}.languageThresholds.{kv.Key}"),
                    StringComparer.OrdinalIgnoreCase),
                Ignore = (Ignore ?? []).Select(a => ParseAttribute(a, $"{where}.ignore")).ToHashSet(),
                AllowTerms = AllowTerms ?? [],
                DenyTerms = DenyTerms ?? [],
                Roles = Roles is null ? defaults.Roles : Roles.ToHashSet(StringComparer.OrdinalIgnoreCase),
                StoreText = StoreText ?? false,
                RedactionMark = RedactionMark ?? defaults.RedactionMark,
                RefusalMessage = RefusalMessage ?? defaults.RefusalMessage,
            };
        }

        private static Dictionary<HarmAttribute, float> Attributes(Dictionary<string, float>? values, string where)
        {
            var result = new Dictionary<HarmAttribute, float>();
            foreach (var (name, value) in values ?? [])
            {
                if (!(value >= 0f && value <= 1f)) throw new WardenConfigException($"{where}.{name} must be in [0, 1], got {value}");
                result[ParseAttribute(name, where)] = value;
            }
            return result;
        }

        private static HarmAttribute ParseAttribute(string name, string where) =>
            HarmAttributes.TryParse(name, out var a) ? a
                : throw new WardenConfigException($"{where}: unknown attribute '{name}'; expected one of: {string.Join(", ", HarmAttributes.All.Select(x => x.WireName()))}");
    }
}
