using Warden.Core;

namespace Warden.Core.Tests;

public class AttributeTests
{
    [Fact]
    public void WireNamesRoundTrip()
    {
        foreach (var a in HarmAttributes.All)
            Assert.Equal(a, HarmAttributes.Parse(a.WireName()));
        Assert.Equal(8, HarmAttributes.All.Length);
        Assert.Equal("identity_attack", HarmAttribute.IdentityAttack.WireName());
    }

    [Fact]
    public void UnknownAttributeIsRejected() =>
        Assert.Throws<ArgumentException>(() => HarmAttributes.Parse("rudeness"));

    [Fact]
    public void LabelsStartMaskedAndRejectOutOfRange()
    {
        var labels = new AttributeLabels();
        Assert.All(HarmAttributes.All, a => Assert.False(labels.IsAnnotated(a)));
        labels.Set(HarmAttribute.Insult, 0.75f);
        Assert.True(labels.IsAnnotated(HarmAttribute.Insult));
        Assert.Throws<ArgumentOutOfRangeException>(() => labels.Set(HarmAttribute.Threat, 1.5f));
    }
}
