using Warden.Scoring.Fast;

namespace Warden.Scoring.Tests;

public class KeyTableTests
{
    [Fact]
    public void Values_are_ored_per_key_and_missing_keys_give_zero()
    {
        var table = new KeyTable();
        table.Add(7, 1);
        table.Add(7, 4);
        table.Add(8, 2);
        Assert.Equal(5UL, table.Get(7));
        Assert.Equal(2UL, table.Get(8));
        Assert.Equal(0UL, table.Get(9));
        Assert.Equal(2, table.Count);
    }

    /// <summary>Key 0 marks empty slots inside the table; a key that hashes to 0 (a profanity bigram can) must still work.</summary>
    [Fact]
    public void Key_zero_is_a_key_like_any_other_through_growth()
    {
        var table = new KeyTable();
        Assert.Equal(0UL, table.Get(0));
        table.Add(0, 3);
        for (uint k = 1; k <= 1000; k++) table.Add(k * 2654435761u, k); // forces several doublings
        table.Add(0, 8);
        Assert.Equal(11UL, table.Get(0));
        Assert.Equal(1001, table.Count);
        for (uint k = 1; k <= 1000; k++) Assert.Equal((ulong)k, table.Get(k * 2654435761u));
        Assert.Equal(0UL, table.Get(12345));
    }
}
