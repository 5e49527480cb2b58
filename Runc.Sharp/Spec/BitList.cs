namespace Runc.Sharp.Spec;

/// <summary>The kernel's list format for CPUs and memory nodes ("0-3,7") as a bit mask.</summary>
public static class BitList
{
    /// <summary>The mask of <paramref name="bits"/> bits for <paramref name="list"/> (empty for ""); null when malformed or a number is out of range.</summary>
    public static byte[]? TryParse(string list, int bits)
    {
        var mask = new byte[(bits + 7) / 8];
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var range = part.Split('-');
            if (range.Length > 2 || !int.TryParse(range[0], out var lo) || !int.TryParse(range[^1], out var hi) || lo < 0 || hi >= bits || lo > hi)
                return null;
            for (int b = lo; b <= hi; b++)
                mask[b / 8] |= (byte)(1 << (b % 8));
        }
        return mask;
    }

    /// <summary>The numbers whose bits are set, in order.</summary>
    public static IEnumerable<int> Members(byte[] mask) =>
        Enumerable.Range(0, mask.Length * 8).Where(b => (mask[b / 8] & (1 << (b % 8))) != 0);

    public static int Count(byte[] mask) => mask.Sum(b => System.Numerics.BitOperations.PopCount(b));
}
