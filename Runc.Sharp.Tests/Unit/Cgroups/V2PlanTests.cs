using NUnit.Framework;
using Runc.Sharp.Cgroups.Resources;
using Runc.Sharp.Spec;
using SpecResources = Runc.Sharp.Spec.Resources;

namespace Runc.Sharp.Tests.Unit.Cgroups;

/// <summary>V2Plan.For: each linux.resources field → the exact cgroup2 files and values, in runc's (fs2) order.</summary>
public class V2PlanTests
{
    private const long MiB = 1024 * 1024;

    private static string[] Plan(SpecResources? r, FakeProbe? probe = null) =>
        Plans.V2Lines(V2Plan.For(r, probe ?? FakeProbe.TypicalUnified()));

    private static SpecResources Memory(long? limit = null, long? swap = null, long? reservation = null) =>
        new() { Memory = new MemoryResources { Limit = limit, Swap = swap, Reservation = reservation } };

    private static SpecResources Cpu(CpuResources cpu) => new() { Cpu = cpu };

    [Test]
    public void NoResourcesNoWrites()
    {
        Assert.That(Plan(null), Is.Empty);
        Assert.That(Plan(new SpecResources()), Is.Empty);
        Assert.That(Plan(new SpecResources { Memory = new MemoryResources(), Cpu = new CpuResources(), Pids = new PidsResources(), BlockIO = new BlockIo() }), Is.Empty);
    }

    // ---- memory ----

    [Test]
    public void MemoryLimitIsMemoryMax() =>
        Assert.That(Plan(Memory(limit: 256 * MiB)), Is.EqualTo(new[] { $"memory.max={256 * MiB}" }));

    [Test]
    public void UnlimitedMemoryIsMaxAndAlsoUnlimitsSwap() =>
        Assert.That(Plan(Memory(limit: -1)), Is.EqualTo(new[] { "memory.swap.max=max", "memory.max=max" }));

    [Test]
    public void ReservationIsMemoryLow()
    {
        Assert.That(Plan(Memory(reservation: 64 * MiB)), Is.EqualTo(new[] { $"memory.low={64 * MiB}" }));
        Assert.That(Plan(Memory(reservation: -1)), Is.EqualTo(new[] { "memory.low=max" }));
    }

    [Test]
    public void SwapIsConvertedAndWrittenBeforeTheLimit() =>
        Assert.That(Plan(Memory(limit: 100 * MiB, swap: 300 * MiB, reservation: 50 * MiB)),
            Is.EqualTo(new[] { $"memory.swap.max={200 * MiB}", $"memory.max={100 * MiB}", $"memory.low={50 * MiB}" }));

    [Test]
    public void SwapEqualToTheLimitWritesZero() =>
        Assert.That(Plan(Memory(limit: 100 * MiB, swap: 100 * MiB)), Is.EqualTo(new[] { "memory.swap.max=0", $"memory.max={100 * MiB}" }));

    [Test]
    public void UnlimitedSwapIsMax() =>
        Assert.That(Plan(Memory(limit: 100 * MiB, swap: -1)), Is.EqualTo(new[] { "memory.swap.max=max", $"memory.max={100 * MiB}" }));

    [Test]
    public void SwapWithUnlimitedMemoryIsWrittenAsIs() =>
        Assert.That(Plan(Memory(limit: -1, swap: 300 * MiB)), Is.EqualTo(new[] { $"memory.swap.max={300 * MiB}", "memory.max=max" }));

    [Test]
    public void SwapBelowTheLimitIsAnError() =>
        Assert.Throws<RuncsException>(() => Plan(Memory(limit: 200 * MiB, swap: 100 * MiB)));

    [Test]
    public void SwapWithoutALimitIsAnError() =>
        Assert.Throws<RuncsException>(() => Plan(Memory(swap: 100 * MiB)));

    [Test]
    public void SwapZeroIsUnsetAndNotWrittenAsInRunc()
    {
        // runc: memory.swap=0 is "unset" (numToStr(0) == "" and MemorySwap > 0 is false), so memory.swap.max is left alone.
        // runcs writes memory.swap.max=0, which silently disables swap for the container.
        Assert.That(Plan(Memory(limit: 100 * MiB, swap: 0)), Is.EqualTo(new[] { $"memory.max={100 * MiB}" }));
    }

    [TestCase(-1L, null, "memory.max=max", Description = "unlimited memory also asks for unlimited swap")]
    [TestCase(100L * 1024 * 1024, -1L, "memory.max=104857600", Description = "unlimited swap")]
    [TestCase(100L * 1024 * 1024, 100L * 1024 * 1024, "memory.max=104857600", Description = "swap disabled")]
    public void WithoutSwapAccountingMaxOrZeroSwapIsSkippedAsInRunc(long limit, long? swap, string only)
    {
        // runc (fs2/memory.go): "If swap is not enabled, silently ignore setting to max or disabling it."
        // runcs plans memory.swap.max anyway; on a real cgroupfs the write fails (the file cannot be created),
        // so `--memory -1` or docker's "memory == memory-swap" fail on hosts without swap accounting.
        var probe = new FakeProbe().WithUnified("memory.max", "memory.low");
        Assert.That(Plan(Memory(limit: limit, swap: swap), probe), Is.EqualTo(new[] { only }));
    }

    [Test]
    public void ZeroMemoryLimitAndReservationAreUnsetAsInRunc()
    {
        // runc: numToStr(0) == "" → memory.max and memory.low are not written for 0 (Go's unset value).
        // runcs writes memory.max=0, which OOM-kills the container's first allocation.
        Assert.That(Plan(Memory(limit: 0)), Is.Empty, "limit 0");
        Assert.That(Plan(Memory(reservation: 0)), Is.Empty, "reservation 0");
    }

    // ---- cpu ----

    [TestCase(2UL, "1")]
    [TestCase(512UL, "59")]
    [TestCase(1024UL, "100")]
    [TestCase(262144UL, "10000")]
    public void SharesAreConvertedToCpuWeight(ulong shares, string weight) =>
        Assert.That(Plan(Cpu(new CpuResources { Shares = shares })), Is.EqualTo(new[] { "cpu.weight=" + weight }));

    [Test]
    public void ZeroSharesAreUnset() =>
        Assert.That(Plan(Cpu(new CpuResources { Shares = 0 })), Is.Empty);

    [TestCase(50000L, 200000UL, "cpu.max=50000 200000")]
    [TestCase(50000L, null, "cpu.max=50000 100000", Description = "default period")]
    [TestCase(-1L, 100000UL, "cpu.max=max 100000")]
    [TestCase(-1L, null, "cpu.max=max 100000")]
    [TestCase(null, 250000UL, "cpu.max=max 250000", Description = "period alone keeps the quota unlimited")]
    public void QuotaAndPeriodAreCpuMax(long? quota, ulong? period, string line) =>
        Assert.That(Plan(Cpu(new CpuResources { Quota = quota, Period = period })), Is.EqualTo(new[] { line }));

    [Test]
    public void ZeroQuotaWithoutPeriodIsUnsetAsInRunc()
    {
        // runc: CpuQuota == 0 && CpuPeriod == 0 → isCPUSet false → cpu.max is not touched.
        // runcs writes cpu.max="max 100000" (removing any existing limit); V1Plan already treats quota 0 as unset.
        Assert.That(Plan(Cpu(new CpuResources { Quota = 0 })), Is.Empty);
    }

    [Test]
    public void BurstIsCpuMaxBurst()
    {
        Assert.That(Plan(Cpu(new CpuResources { Burst = 20000 })), Is.EqualTo(new[] { "cpu.max.burst=20000" }));
        Assert.That(Plan(Cpu(new CpuResources { Quota = 50000, Burst = 20000 })),
            Is.EquivalentTo(new[] { "cpu.max=50000 100000", "cpu.max.burst=20000" }));
    }

    [Test]
    public void BurstIsWrittenBeforeCpuMaxAsInRunc()
    {
        // runc (fs2/cpu.go setCPU) writes cpu.max.burst before cpu.max and retries it after cpu.max on EINVAL.
        // Lowering both from quota 200000/burst 150000 to 50000/20000 needs burst first: the kernel rejects a
        // quota below the current burst. runcs writes cpu.max first, so that update fails with EINVAL.
        var probe = FakeProbe.TypicalUnified().With("", "cpu.max", "200000 100000\n").With("", "cpu.max.burst", "150000\n");
        var lines = Plan(Cpu(new CpuResources { Quota = 50000, Burst = 20000 }), probe).ToList();
        Assert.That(lines, Does.Contain("cpu.max=50000 100000").And.Contain("cpu.max.burst=20000"));
        Assert.That(lines.IndexOf("cpu.max.burst=20000"), Is.LessThan(lines.IndexOf("cpu.max=50000 100000")));
    }

    [TestCase(1L)]
    [TestCase(0L)]
    public void IdleIsCpuIdle(long idle) =>
        Assert.That(Plan(Cpu(new CpuResources { Idle = idle })), Is.EqualTo(new[] { $"cpu.idle={idle}" }));

    [Test]
    public void CpuControllerOrderIsIdleThenWeightThenMax() =>
        Assert.That(Plan(Cpu(new CpuResources { Idle = 0, Shares = 1024, Quota = 50000, Period = 100000 })),
            Is.EqualTo(new[] { "cpu.idle=0", "cpu.weight=100", "cpu.max=50000 100000" }));

    [Test]
    public void CpusAndMemsAreCpuset()
    {
        Assert.That(Plan(Cpu(new CpuResources { Cpus = "0-1,3", Mems = "0" })), Is.EqualTo(new[] { "cpuset.cpus=0-1,3", "cpuset.mems=0" }));
        Assert.That(Plan(Cpu(new CpuResources { Mems = "1" })), Is.EqualTo(new[] { "cpuset.mems=1" }));
        Assert.That(Plan(Cpu(new CpuResources { Cpus = "", Mems = "" })), Is.Empty);
    }

    [Test]
    public void RealtimeIsNotSupported()
    {
        var e = Assert.Throws<RuncsException>(() => Plan(Cpu(new CpuResources { RealtimeRuntime = 950000 })));
        Assert.That(e!.Message, Does.Contain("realtime"));
        Assert.Throws<RuncsException>(() => Plan(Cpu(new CpuResources { RealtimePeriod = 1000000 })));
        Assert.Throws<RuncsException>(() => Plan(Cpu(new CpuResources { RealtimeRuntime = -1 })));
    }

    [Test]
    public void ZeroRealtimeValuesAreUnset() =>
        Assert.That(Plan(Cpu(new CpuResources { RealtimeRuntime = 0, RealtimePeriod = 0, Shares = 1024 })), Is.EqualTo(new[] { "cpu.weight=100" }));

    // ---- pids ----

    [TestCase(100L, "100")]
    [TestCase(1L, "1")]
    [TestCase(0L, "1")]
    [TestCase(-1L, "max")]
    [TestCase(-5L, "max")]
    public void PidsLimitIsPidsMax(long limit, string value) =>
        Assert.That(Plan(new SpecResources { Pids = new PidsResources { Limit = limit } }), Is.EqualTo(new[] { "pids.max=" + value }));

    // ---- io ----

    [TestCase((ushort)10, "1")]
    [TestCase((ushort)500, "4950")]
    [TestCase((ushort)1000, "10000")]
    public void WeightIsConvertedToIoWeightWithoutBfq(ushort weight, string ioWeight) =>
        Assert.That(Plan(new SpecResources { BlockIO = new BlockIo { Weight = weight } }), Is.EqualTo(new[] { "io.weight=" + ioWeight }));

    [Test]
    public void WeightGoesVerbatimToIoBfqWeightWhenItExists()
    {
        var probe = FakeProbe.TypicalUnified().With("", "io.bfq.weight", "default 100\n");
        Assert.That(Plan(new SpecResources { BlockIO = new BlockIo { Weight = 500 } }, probe), Is.EqualTo(new[] { "io.bfq.weight=500" }));
    }

    [Test]
    public void DeviceWeightsGoToIoBfqWeight()
    {
        var probe = FakeProbe.TypicalUnified().With("", "io.bfq.weight", "default 100\n");
        var io = new BlockIo
        {
            Weight = 200,
            WeightDevice =
            [
                new WeightDevice { Major = 8, Minor = 0, Weight = 300 },
                new WeightDevice { Major = 8, Minor = 16, Weight = 700, LeafWeight = 50 },
            ],
        };
        Assert.That(Plan(new SpecResources { BlockIO = io }, probe),
            Is.EqualTo(new[] { "io.bfq.weight=200", "io.bfq.weight=8:0 300", "io.bfq.weight=8:16 700" }));
    }

    [Test]
    public void DeviceWeightsAreSkippedWithoutBfqAsInRunc()
    {
        // runc (fs2/io.go): "Only BFQ supports per-device weights" — without io.bfq.weight they are skipped.
        // runcs plans io.bfq.weight anyway, which fails on a real cgroupfs (the file does not exist).
        var io = new BlockIo { WeightDevice = [new WeightDevice { Major = 8, Minor = 0, Weight = 300 }] };
        Assert.That(Plan(new SpecResources { BlockIO = io }), Is.Empty);
    }

    [Test]
    public void ThrottlesAreIoMaxLinesInRuncsOrder()
    {
        var io = new BlockIo
        {
            ThrottleReadBpsDevice = [new ThrottleDevice { Major = 8, Minor = 0, Rate = 1048576 }, new ThrottleDevice { Major = 8, Minor = 16, Rate = 4096 }],
            ThrottleWriteBpsDevice = [new ThrottleDevice { Major = 8, Minor = 0, Rate = 2097152 }],
            ThrottleReadIOPSDevice = [new ThrottleDevice { Major = 8, Minor = 0, Rate = 100 }],
            ThrottleWriteIOPSDevice = [new ThrottleDevice { Major = 253, Minor = 1, Rate = 200 }],
        };
        Assert.That(Plan(new SpecResources { BlockIO = io }), Is.EqualTo(new[]
        {
            "io.max=8:0 rbps=1048576", "io.max=8:16 rbps=4096", "io.max=8:0 wbps=2097152", "io.max=8:0 riops=100", "io.max=253:1 wiops=200",
        }));
    }

    [Test]
    public void IoWeightComesBeforeThrottles()
    {
        var io = new BlockIo { Weight = 1000, ThrottleReadBpsDevice = [new ThrottleDevice { Major = 8, Minor = 0, Rate = 1 }] };
        Assert.That(Plan(new SpecResources { BlockIO = io }), Is.EqualTo(new[] { "io.weight=10000", "io.max=8:0 rbps=1" }));
    }

    // ---- hugetlb ----

    [Test]
    public void HugepageLimitsAreHugetlbMax() =>
        Assert.That(Plan(new SpecResources { HugepageLimits = [new HugepageLimit { PageSize = "2MB", Limit = 1UL << 30 }] }),
            Is.EqualTo(new[] { "hugetlb.2MB.max=1073741824" }));

    [Test]
    public void HugepageReservationsAreLimitedWhenTheKernelHasThem()
    {
        var probe = FakeProbe.TypicalUnified().WithUnified("hugetlb.2MB.rsvd.max", "hugetlb.1GB.rsvd.max");
        var limits = new[] { new HugepageLimit { PageSize = "2MB", Limit = 4 * 2 * MiB }, new HugepageLimit { PageSize = "1GB", Limit = 1UL << 30 } };
        Assert.That(Plan(new SpecResources { HugepageLimits = limits }, probe), Is.EqualTo(new[]
        {
            "hugetlb.2MB.max=8388608", "hugetlb.2MB.rsvd.max=8388608", "hugetlb.1GB.max=1073741824", "hugetlb.1GB.rsvd.max=1073741824",
        }));
    }

    // ---- rdma ----

    [Test]
    public void RdmaIsRdmaMax()
    {
        var rdma = new Dictionary<string, RdmaLimit>
        {
            ["mlx5_1"] = new() { HcaHandles = 3, HcaObjects = 10000 },
            ["mlx4_0"] = new() { HcaHandles = 2 },
            ["hfi1"] = new() { HcaObjects = 7 },
        };
        Assert.That(Plan(new SpecResources { Rdma = rdma }), Is.EquivalentTo(new[]
        {
            "rdma.max=mlx5_1 hca_handle=3 hca_object=10000", "rdma.max=mlx4_0 hca_handle=2", "rdma.max=hfi1 hca_object=7",
        }));
    }

    // ---- unified ----

    [Test]
    public void UnifiedEntriesAreWrittenVerbatimAfterEverythingElse()
    {
        var r = new SpecResources
        {
            Pids = new PidsResources { Limit = 10 },
            Unified = new Dictionary<string, string> { ["memory.high"] = "500000", ["cpu.pressure"] = "some 150000 1000000" },
        };
        var lines = Plan(r);
        Assert.That(lines[0], Is.EqualTo("pids.max=10"));
        Assert.That(lines[1..], Is.EquivalentTo(new[] { "memory.high=500000", "cpu.pressure=some 150000 1000000" }));
    }

    [TestCase("../memory.max")]
    [TestCase("sub/memory.max")]
    [TestCase("/memory.max")]
    public void AUnifiedKeyWithASlashIsAnError(string key)
    {
        var e = Assert.Throws<RuncsException>(() => Plan(new SpecResources { Unified = new Dictionary<string, string> { [key] = "1" } }));
        Assert.That(e!.Message, Does.Contain(key));
    }

    [Test]
    public void AMultiLineUnifiedValueIsWrittenLineByLineAsInRunc()
    {
        // runc (fs2.go setUnified → WriteFileByLine): a value with newlines is written one line per write(2),
        // which files like io.max need (the kernel parses one device per write). runcs plans one write of the whole text.
        var r = new SpecResources { Unified = new Dictionary<string, string> { ["io.max"] = "8:0 rbps=1048576\n8:16 wbps=2097152" } };
        var plan = V2Plan.For(r, FakeProbe.TypicalUnified());
        Assert.That(plan.Select(w => w.File), Is.EqualTo(new[] { "io.max", "io.max" }));
        Assert.That(plan.Select(w => w.Value.TrimEnd('\n')), Is.EqualTo(new[] { "8:0 rbps=1048576", "8:16 wbps=2097152" }));
    }

    // ---- whole plan ----

    private static SpecResources Everything() => new()
    {
        Cpu = new CpuResources { Cpus = "0", Mems = "0", Shares = 1024, Quota = 50000 },
        Memory = new MemoryResources { Limit = 100 * MiB },
        Pids = new PidsResources { Limit = 10 },
        BlockIO = new BlockIo { Weight = 500 },
        HugepageLimits = [new HugepageLimit { PageSize = "2MB", Limit = 2 * MiB }],
        Rdma = new Dictionary<string, RdmaLimit> { ["mlx5_1"] = new() { HcaHandles = 1 } },
    };

    [Test]
    public void EveryFieldOfAFullConfigIsPlanned() =>
        Assert.That(Plan(Everything()), Is.EquivalentTo(new[]
        {
            "cpuset.cpus=0", "cpuset.mems=0", "cpu.weight=100", "cpu.max=50000 100000", $"memory.max={100 * MiB}",
            "pids.max=10", "io.weight=4950", "hugetlb.2MB.max=2097152", "rdma.max=mlx5_1 hca_handle=1",
        }));

    [Test]
    public void ControllerOrderIsRuncs()
    {
        // runc fs2 Manager.Set: pids, memory, io, cpu, (devices), cpuset, hugetlb, rdma, (freezer), unified.
        // runcs plans cpuset, cpu, memory, pids, io, hugetlb, rdma, unified.
        var order = Plans.Runs(V2Plan.For(Everything(), FakeProbe.TypicalUnified()).Select(Plans.V2Controller));
        Assert.That(order, Is.EqualTo(new[] { "pids", "memory", "io", "cpu", "cpuset", "hugetlb", "rdma" }));
    }
}
