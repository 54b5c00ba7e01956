using Warden.Core;

namespace Warden.Server.Tests;

/// <summary>The same HTTP paths once against the real built-in model (skipped until models/warden-fast exists).</summary>
public class RealModelTests
{
    private static IScorer? TryLoad()
    {
        try
        {
            return Scoring.Scorer.LoadDefault();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    [SkippableFact]
    public async Task Moderation_perspective_and_guard_work_on_the_built_in_model()
    {
        var scorer = TryLoad();
        Skip.If(scorer is null, "models/warden-fast/model.bin is not built yet");
        await using var host = await TestHost.StartAsync(scorer: scorer);

        var (status, body, _) = await host.PostAsync("/v1/moderations", """{"input":["you are a stupid idiot","thank you for your help"]}""");
        Assert.Equal(200, status);
        Assert.Equal(scorer!.ModelName, body.GetProperty("model").GetString());
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        foreach (var r in results)
            foreach (var s in r.GetProperty("category_scores").EnumerateObject())
                Assert.InRange(s.Value.GetDouble(), 0, 1);
        var insultOfAbuse = results[0].GetProperty("warden").GetProperty("scores").GetProperty("insult").GetDouble();
        var insultOfThanks = results[1].GetProperty("warden").GetProperty("scores").GetProperty("insult").GetDouble();
        Assert.True(insultOfAbuse > insultOfThanks, $"insult {insultOfAbuse} for abuse vs {insultOfThanks} for thanks");

        (status, body, _) = await host.PostAsync("/v1alpha1/comments:analyze?key=" + TestHost.Key,
            """{"comment":{"text":"you are a stupid idiot"},"requestedAttributes":{"TOXICITY":{},"INSULT":{}},"spanAnnotations":true}""", withKey: false);
        Assert.Equal(200, status);
        Assert.InRange(body.GetProperty("attributeScores").GetProperty("TOXICITY").GetProperty("summaryScore").GetProperty("value").GetDouble(), 0, 1);

        (status, body, _) = await host.PostAsync("/v1/guard", """{"messages":[{"role":"user","content":"thank you for your help"}]}""");
        Assert.Equal(200, status);
        Assert.Equal("safe", body.GetProperty("verdict").GetString());
    }
}
