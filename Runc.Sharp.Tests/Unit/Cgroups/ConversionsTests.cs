using NUnit.Framework;
using Runc.Sharp.Cgroups.Resources;

namespace Runc.Sharp.Tests.Unit.Cgroups;

public class ConversionsTests
{
    // ---- cpu.shares -> cpu.weight ----

    [TestCase(0UL, 0UL, Description = "0 means unset")]
    [TestCase(1UL, 1UL, Description = "below the minimum")]
    [TestCase(2UL, 1UL, Description = "minimum shares -> minimum weight")]
    [TestCase(3UL, 2UL, Description = "just above the minimum (runc's test)")]
    [TestCase(1024UL, 100UL, Description = "default shares -> default weight")]
    [TestCase(262143UL, 10000UL, Description = "just below the maximum (runc's test)")]
    [TestCase(262144UL, 10000UL, Description = "maximum")]
    [TestCase(262145UL, 10000UL, Description = "above the maximum")]
    [TestCase(ulong.MaxValue, 10000UL)]
    public void SharesToWeightAnchors(ulong shares, ulong weight) =>
        Assert.That(Conversions.SharesToWeight(shares), Is.EqualTo(weight));

    // Expected values computed independently (python3, math.ceil(10 ** ((l*l + 125*l)/612 - 7/34)), l = log2(shares)).
    [TestCase(10UL, 4UL)]
    [TestCase(100UL, 17UL)]
    [TestCase(256UL, 35UL)]
    [TestCase(512UL, 59UL)]
    [TestCase(1000UL, 99UL)]
    [TestCase(2048UL, 174UL)]
    [TestCase(4096UL, 303UL)]
    [TestCase(10000UL, 627UL)]
    [TestCase(65536UL, 3023UL)]
    [TestCase(100000UL, 4340UL)]
    public void SharesToWeightFollowsTheLogScaleFormula(ulong shares, ulong weight) =>
        Assert.That(Conversions.SharesToWeight(shares), Is.EqualTo(weight));

    [Test]
    public void SharesToWeightIsMonotonicAndInRangeOverTheWholeDomain()
    {
        ulong previous = 1;
        for (ulong shares = 2; shares <= 262144; shares++)
        {
            var w = Conversions.SharesToWeight(shares);
            if (w < previous || w > 10000)
                Assert.Fail($"SharesToWeight({shares}) = {w}, previous {previous}");
            previous = w;
        }
        Assert.That(previous, Is.EqualTo(10000));
    }

    // ---- blkio weight -> io.weight ----

    [TestCase((ushort)0, 0UL, Description = "unset")]
    [TestCase((ushort)10, 1UL)]
    [TestCase((ushort)11, 11UL)]
    [TestCase((ushort)100, 910UL)]
    [TestCase((ushort)500, 4950UL)]
    [TestCase((ushort)999, 9989UL)]
    [TestCase((ushort)1000, 10000UL)]
    public void BlkioWeightToIoWeight(ushort weight, ulong ioWeight)
    {
        Assert.That(Conversions.BlkioWeightToIoWeight(weight), Is.EqualTo(ioWeight));
        if (weight >= 10)
            Assert.That(ioWeight, Is.EqualTo(1 + (weight - 10UL) * 9999 / 990), "1+(w-10)*9999/990 in integer arithmetic");
    }

    // ---- memory.swap (memory+swap) -> memory.swap.max (swap only) ----

    [Test]
    public void UnlimitedMemoryWithSwapUnsetMeansUnlimitedSwap() =>
        Assert.That(Conversions.SwapToV2(null, -1), Is.EqualTo(-1));

    [Test]
    public void SwapUnsetIsNothingToWrite()
    {
        Assert.That(Conversions.SwapToV2(null, 1000), Is.Null);
        Assert.That(Conversions.SwapToV2(null, null), Is.Null);
    }

    [TestCase(-1L, 1000L)]
    [TestCase(-1L, -1L)]
    [TestCase(0L, 1000L)]
    public void SwapMinusOneOrZeroIsKeptAsIs(long swap, long memory) =>
        Assert.That(Conversions.SwapToV2(swap, memory), Is.EqualTo(swap));

    [Test]
    public void SwapMinusOneWithoutMemoryIsUnlimited() =>
        Assert.That(Conversions.SwapToV2(-1, null), Is.EqualTo(-1));

    [Test]
    public void UnlimitedMemoryKeepsSwapAsIs() =>
        Assert.That(Conversions.SwapToV2(300, -1), Is.EqualTo(300));

    [Test]
    public void SwapWithoutMemoryLimitIsAnError()
    {
        var e = Assert.Throws<RuncsException>(() => Conversions.SwapToV2(300, null));
        Assert.That(e!.Message, Does.Contain("memory.swap"));
    }

    [Test]
    public void SwapBelowMemoryIsAnError()
    {
        var e = Assert.Throws<RuncsException>(() => Conversions.SwapToV2(300, 400));
        Assert.That(e!.Message, Does.Contain("300").And.Contain("400"));
    }

    [TestCase(500L, 200L, 300L)]
    [TestCase(3L * 1024 * 1024 * 1024, 1L * 1024 * 1024 * 1024, 2L * 1024 * 1024 * 1024)]
    public void SwapIsMemoryPlusSwapMinusMemory(long swap, long memory, long expected) =>
        Assert.That(Conversions.SwapToV2(swap, memory), Is.EqualTo(expected));

    [Test]
    public void SwapEqualToMemoryDisablesSwapWithZero() =>
        Assert.That(Conversions.SwapToV2(1000, 1000), Is.EqualTo(0));

    [Test]
    public void NegativeMemoryOtherThanMinusOneIsAnErrorAsInRunc()
    {
        // runc (opencontainers/cgroups utils.go ConvertMemorySwapToCgroupV2Value): memory < 0 → "invalid memory value".
        // runcs computes 300 - (-300) = 600 and writes memory.swap.max=600.
        Assert.Throws<RuncsException>(() => Conversions.SwapToV2(300, -300));
    }

    [TestCase(-1L, "max")]
    [TestCase(0L, "0")]
    [TestCase(1048576L, "1048576")]
    public void MaxOr(long value, string text) => Assert.That(Conversions.MaxOr(value), Is.EqualTo(text));
}
