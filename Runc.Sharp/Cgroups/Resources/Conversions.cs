namespace Runc.Sharp.Cgroups.Resources;

/// <summary>The v1 → v2 conversions runc, crun and youki share (see reference/cgroups.md).</summary>
public static class Conversions
{
    /// <summary>cpu.shares → cpu.weight with the log-scale formula: 2→1, 1024→100, 262144→10000.</summary>
    public static ulong SharesToWeight(ulong shares)
    {
        if (shares == 0)
            return 0;
        if (shares <= 2)
            return 1;
        if (shares >= 262144)
            return 10000;
        double l = Math.Log2(shares);
        double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
        return (ulong)Math.Ceiling(Math.Pow(10, exponent));
    }

    /// <summary>blkio weight [10,1000] → io.weight [1,10000].</summary>
    public static ulong BlkioWeightToIoWeight(ulong weight) =>
        weight == 0 ? 0 : 1 + (weight - 10) * 9999 / 990;

    /// <summary>memory.swap (memory+swap, v1 semantics) → memory.swap.max (swap only).</summary>
    public static long? SwapToV2(long? swap, long? memory)
    {
        if (memory == -1 && swap is null)
            return -1;
        if (swap is null)
            return null;
        if (swap is -1 or 0)
            return swap;
        if (memory == -1)
            return swap;
        if (memory < 0)
            throw new RuncsException($"linux.resources.memory.limit {memory}: invalid memory value");
        if (memory is null)
            throw new RuncsException("linux.resources.memory.swap: needs memory.limit on cgroup v2");
        if (swap < memory)
            throw new RuncsException($"linux.resources.memory.swap {swap} must not be below memory.limit {memory}");
        return swap - memory;
    }

    public static string MaxOr(long value) => value < 0 ? "max" : Decimal(value);

    public static string Decimal(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Decimal(ulong value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
