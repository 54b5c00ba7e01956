using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Warden.Text;

/// <summary>
/// Packs the kept lanes of an eight-lane vector to its front (AVX2 has no compress instruction): for each 8-bit keep
/// mask, the permutation that lists the indices of its set bits first. Used where hashed features are made eight at a
/// time and some must be left out.
/// </summary>
public static class Compaction
{
    private static readonly Vector256<int>[] s_permutations = Enumerable.Range(0, 256).Select(mask =>
    {
        var order = Enumerable.Range(0, 8).Where(bit => (mask >> bit & 1) != 0).ToList();
        while (order.Count < 8) order.Add(0);
        return Vector256.Create(order.ToArray());
    }).ToArray();

    /// <summary>The permutation for <paramref name="mask"/> (bit i set = keep lane i), for <c>Avx2.PermuteVar8x32</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Permutation(int mask) =>
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(s_permutations), mask & 0xFF);
}
