using Warden.Core;

namespace Warden.Backends;

/// <summary>
/// Implemented by a scorer that judges only some of Warden's attributes (an LLM judge has no notion of
/// profanity, a BYO classifier only has the labels it was trained on). Its other scores are 0 and mean
/// "not judged", so a combinator such as <see cref="Cascade.CascadeScorer"/> must not let them overwrite
/// another scorer's real scores. A scorer that does not implement it judges every attribute.
/// </summary>
public interface IAttributeCoverage
{
    bool Covers(HarmAttribute attribute);
}

public static class AttributeCoverageExtensions
{
    public static bool Covers(this IScorer scorer, HarmAttribute attribute) =>
        scorer is not IAttributeCoverage partial || partial.Covers(attribute);
}
