using NUnit.Framework;
using Runc.Sharp.Cgroups.Resources;
using Runc.Sharp.Spec;
using SpecLinux = Runc.Sharp.Spec.Linux;
using SpecResources = Runc.Sharp.Spec.Resources;

namespace Runc.Sharp.Tests.Unit.Cgroups;

/// <summary>V1Plan.For: each linux.resources field → the exact cgroup v1 controller, file and value, in runc's (fs) order.</summary>
public class V1PlanTests
{
    private const long MiB = 1024 * 1024;

    /// <summary>A v1 memory cgroup with swap accounting whose memsw limit is currently unlimited.</summary>
    private static FakeProbe WithMemsw(string current = "9223372036854771712\n") => new FakeProbe()
        .With("memory", "memory.limit_in_bytes", "9223372036854771712\n")
        .With("memory", "memory.memsw.limit_in_bytes", current);

    private static FakeProbe NoMemsw() => new FakeProbe().With("memory", "memory.limit_in_bytes", "9223372036854771712\n");

    private static string[] Plan(SpecResources? r, FakeProbe? probe = null, bool includeDevices = false) =>
        Plans.V1Lines(V1Plan.For(new SpecLinux { Resources = r }, probe ?? WithMemsw(), includeDevices));

    private static SpecResources Memory(MemoryResources m) => new() { Memory = m };
    private static SpecResources Cpu(CpuResources c) => new() { Cpu = c };

    [Test]
    public void NothingToDoWithoutResourcesOrDevices()
    {
        Assert.That(V1Plan.For(null, new FakeProbe(), includeDevices: false), Is.Empty);
        Assert.That(V1Plan.For(new SpecLinux(), new FakeProbe(), includeDevices: false), Is.Empty);
        Assert.That(Plan(new SpecResources()), Is.Empty);
    }

    // ---- cpuset ----

    [Test]
    public void CpusAndMemsAreCpuset()
    {
        Assert.That(Plan(Cpu(new CpuResources { Cpus = "0-3", Mems = "0-1" })), Is.EqualTo(new[] { "cpuset/cpuset.cpus=0-3", "cpuset/cpuset.mems=0-1" }));
        Assert.That(Plan(Cpu(new CpuResources { Cpus = "", Mems = null })), Is.Empty);
    }

    // ---- devices ----

    [Test]
    public void WithoutDeviceRulesTheDefaultsAreAllowed()
    {
        var lines = Plans.V1Lines(V1Plan.For(null, new FakeProbe(), includeDevices: true));
        Assert.That(lines, Is.EqualTo(DeviceAllowListTests.DefaultLines.Select(l => "devices/devices.allow=" + l)));
    }

    [Test]
    public void DeviceRulesThenDefaultsAsAllowAndDenyLinesButNotConfigDevices()
    {
        var linux = new SpecLinux
        {
            Resources = new SpecResources
            {
                Devices =
                [
                    new DeviceRule { Allow = false, Type = "a", Access = "rwm" },
                    new DeviceRule { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rwm" },
                    new DeviceRule { Allow = false, Type = "c", Major = 136, Access = "rwm" },
                ],
            },
            Devices = [new Device { Path = "/dev/fuse", Type = "c", Major = 10, Minor = 229 }],
        };
        var expected = new List<string>
        {
            "devices/devices.deny=a *:* rwm", "devices/devices.allow=c 1:3 rwm", "devices/devices.deny=c 136:* rwm",
        };
        expected.AddRange(DeviceAllowListTests.DefaultLines.Select(l => "devices/devices.allow=" + l));
        Assert.That(Plans.V1Lines(V1Plan.For(linux, new FakeProbe(), includeDevices: true)), Is.EqualTo(expected));
    }

    [Test]
    public void WithoutIncludeDevicesThereAreNoDeviceWrites()
    {
        var linux = new SpecLinux
        {
            Resources = new SpecResources { Devices = [new DeviceRule { Allow = false, Access = "rwm" }], Pids = new PidsResources { Limit = 5 } },
            Devices = [new Device { Path = "/dev/fuse", Type = "c", Major = 10, Minor = 229 }],
        };
        Assert.That(Plans.V1Lines(V1Plan.For(linux, new FakeProbe(), includeDevices: false)), Is.EqualTo(new[] { "pids/pids.max=5" }));
    }

    // ---- memory ----

    [Test]
    public void LimitIsLimitInBytes()
    {
        Assert.That(Plan(Memory(new() { Limit = 256 * MiB })), Is.EqualTo(new[] { $"memory/memory.limit_in_bytes={256 * MiB}" }));
        Assert.That(Plan(Memory(new() { Limit = 256 * MiB }), NoMemsw()), Is.EqualTo(new[] { $"memory/memory.limit_in_bytes={256 * MiB}" }));
    }

    [Test]
    public void SwapBiggerThanTheCurrentMemswIsRaisedFirst()
    {
        var probe = WithMemsw(current: $"{200 * MiB}\n");
        Assert.That(Plan(Memory(new() { Limit = 100 * MiB, Swap = 300 * MiB }), probe), Is.EqualTo(new[]
        {
            $"memory/memory.memsw.limit_in_bytes={300 * MiB}", $"memory/memory.limit_in_bytes={100 * MiB}",
        }));
        Assert.That(probe.Reads, Does.Contain(("memory", "memory.memsw.limit_in_bytes")), "the current memsw limit is read");
    }

    [Test]
    public void SwapSmallerThanTheCurrentMemswIsLoweredAfterTheLimit() =>
        Assert.That(Plan(Memory(new() { Limit = 100 * MiB, Swap = 150 * MiB }), WithMemsw(current: $"{200 * MiB}\n")), Is.EqualTo(new[]
        {
            $"memory/memory.limit_in_bytes={100 * MiB}", $"memory/memory.memsw.limit_in_bytes={150 * MiB}",
        }));

    [Test]
    public void UnlimitedSwapIsRaisedFirst() =>
        Assert.That(Plan(Memory(new() { Limit = 100 * MiB, Swap = -1 }), WithMemsw(current: $"{200 * MiB}\n")), Is.EqualTo(new[]
        {
            "memory/memory.memsw.limit_in_bytes=-1", $"memory/memory.limit_in_bytes={100 * MiB}",
        }));

    [Test]
    public void AnUnreadableMemswWritesTheLimitFirst() =>
        Assert.That(Plan(Memory(new() { Limit = 100 * MiB, Swap = 300 * MiB }), WithMemsw(current: "")), Is.EqualTo(new[]
        {
            $"memory/memory.limit_in_bytes={100 * MiB}", $"memory/memory.memsw.limit_in_bytes={300 * MiB}",
        }));

    [Test]
    public void SwapWithoutSwapAccountingIsAnError()
    {
        var e = Assert.Throws<RuncsException>(() => Plan(Memory(new() { Limit = 100 * MiB, Swap = 300 * MiB }), NoMemsw()));
        Assert.That(e!.Message, Does.Contain("memory.memsw.limit_in_bytes"));
    }

    [Test]
    public void SwapZeroWithoutSwapAccountingIsNotAnError() =>
        Assert.That(Plan(Memory(new() { Limit = 100 * MiB, Swap = 0 }), NoMemsw()), Is.EqualTo(new[] { $"memory/memory.limit_in_bytes={100 * MiB}" }));

    [Test]
    public void SwapZeroIsUnsetAndNotWrittenAsInRunc()
    {
        // runc (fs/memory.go setSwap): `if val == 0 { return nil }`.
        // runcs writes memory.memsw.limit_in_bytes=0, which the kernel rejects with EINVAL (memsw < memory limit).
        Assert.That(Plan(Memory(new() { Limit = 100 * MiB, Swap = 0 }), WithMemsw()), Is.EqualTo(new[] { $"memory/memory.limit_in_bytes={100 * MiB}" }));
    }

    [Test]
    public void UnlimitedMemoryWithSwapUnsetAlsoUnlimitsMemswFirstAsInRunc()
    {
        // runc (fs/memory.go setMemoryAndSwap): Memory == -1 && MemorySwap == 0 → MemorySwap = -1 when memsw exists,
        // written before the limit. Without it `update --memory -1` on a cgroup whose memsw is limited fails with
        // EINVAL (the kernel keeps memory.limit <= memsw.limit). runcs only writes memory.limit_in_bytes=-1.
        Assert.That(Plan(Memory(new() { Limit = -1 }), WithMemsw(current: $"{200 * MiB}\n")), Is.EqualTo(new[]
        {
            "memory/memory.memsw.limit_in_bytes=-1", "memory/memory.limit_in_bytes=-1",
        }));
    }

    [Test]
    public void UnlimitedMemoryWithoutSwapAccountingIsOnlyTheLimit() =>
        Assert.That(Plan(Memory(new() { Limit = -1 }), NoMemsw()), Is.EqualTo(new[] { "memory/memory.limit_in_bytes=-1" }));

    [Test]
    public void ReservationOomAndSwappinessInOrder() =>
        Assert.That(Plan(Memory(new() { Limit = 100 * MiB, Reservation = 50 * MiB, DisableOOMKiller = true, Swappiness = 60 })), Is.EqualTo(new[]
        {
            $"memory/memory.limit_in_bytes={100 * MiB}", $"memory/memory.soft_limit_in_bytes={50 * MiB}",
            "memory/memory.oom_control=1", "memory/memory.swappiness=60",
        }));

    [Test]
    public void OomKillerLeftEnabledIsNotWritten() =>
        Assert.That(Plan(Memory(new() { DisableOOMKiller = false })), Is.Empty);

    [TestCase(0UL)]
    [TestCase(100UL)]
    public void SwappinessInRange(ulong swappiness) =>
        Assert.That(Plan(Memory(new() { Swappiness = swappiness })), Is.EqualTo(new[] { $"memory/memory.swappiness={swappiness}" }));

    [TestCase(101UL)]
    [TestCase(1000UL)]
    public void SwappinessAbove100IsAnError(ulong swappiness)
    {
        var e = Assert.Throws<RuncsException>(() => Plan(Memory(new() { Swappiness = swappiness })));
        Assert.That(e!.Message, Does.Contain("swappiness"));
    }

    // ---- cpu ----

    [Test]
    public void CpuFilesAndTheirRequiredOrder()
    {
        var lines = Plan(Cpu(new CpuResources
        {
            Shares = 512, Quota = 50000, Period = 200000, RealtimeRuntime = 950000, RealtimePeriod = 1000000, Idle = 1,
        })).ToList();
        Assert.That(lines, Is.EquivalentTo(new[]
        {
            "cpu/cpu.shares=512", "cpu/cpu.cfs_period_us=200000", "cpu/cpu.cfs_quota_us=50000",
            "cpu/cpu.rt_period_us=1000000", "cpu/cpu.rt_runtime_us=950000", "cpu/cpu.idle=1",
        }));
        Assert.That(lines[0], Is.EqualTo("cpu/cpu.shares=512"), "shares first");
        Assert.That(lines.IndexOf("cpu/cpu.cfs_period_us=200000"), Is.LessThan(lines.IndexOf("cpu/cpu.cfs_quota_us=50000")), "period before quota");
        Assert.That(lines.IndexOf("cpu/cpu.rt_period_us=1000000"), Is.LessThan(lines.IndexOf("cpu/cpu.rt_runtime_us=950000")), "rt period before rt runtime");
    }

    [Test]
    public void UnlimitedQuotaIsMinusOne() =>
        Assert.That(Plan(Cpu(new CpuResources { Quota = -1 })), Is.EqualTo(new[] { "cpu/cpu.cfs_quota_us=-1" }));

    [Test]
    public void ZeroCpuValuesAreUnset() =>
        Assert.That(Plan(Cpu(new CpuResources { Shares = 0, Quota = 0, Period = 0, RealtimeRuntime = 0, RealtimePeriod = 0 })), Is.Empty);

    [Test]
    public void BurstIsCfsBurst() =>
        Assert.That(Plan(Cpu(new CpuResources { Burst = 20000 }), new FakeProbe().With("cpu", "cpu.cfs_burst_us")), Is.EqualTo(new[] { "cpu/cpu.cfs_burst_us=20000" }));

    [Test]
    public void BurstIsSkippedWhenTheKernelHasNoBurstFileAsInRunc() =>
        Assert.That(Plan(Cpu(new CpuResources { Burst = 20000 })), Is.Empty);

    [Test]
    public void BurstIsWrittenBeforeQuotaAsInRunc()
    {
        // runc (fs/cpu.go CpuGroup.Set): shares, period, burst, quota (then period/burst again if they failed with EINVAL).
        // The kernel rejects a quota below the current burst, so lowering both (quota 50000, burst 20000 from a
        // larger burst) must write the burst first. runcs writes cfs_quota_us before cfs_burst_us.
        var lines = Plan(Cpu(new CpuResources { Quota = 50000, Period = 100000, Burst = 20000 }), new FakeProbe().With("cpu", "cpu.cfs_burst_us")).ToList();
        Assert.That(lines, Does.Contain("cpu/cpu.cfs_burst_us=20000").And.Contain("cpu/cpu.cfs_quota_us=50000"));
        Assert.That(lines.IndexOf("cpu/cpu.cfs_burst_us=20000"), Is.LessThan(lines.IndexOf("cpu/cpu.cfs_quota_us=50000")));
    }

    // ---- pids ----

    [TestCase(100L, "100")]
    [TestCase(0L, "1")]
    [TestCase(-1L, "max")]
    public void PidsLimitIsPidsMax(long limit, string value) =>
        Assert.That(Plan(new SpecResources { Pids = new PidsResources { Limit = limit } }), Is.EqualTo(new[] { "pids/pids.max=" + value }));

    // ---- blkio ----

    private static readonly BlockIo FullBlockIo = new()
    {
        Weight = 500,
        LeafWeight = 300,
        WeightDevice = [new WeightDevice { Major = 8, Minor = 0, Weight = 600, LeafWeight = 200 }, new WeightDevice { Major = 8, Minor = 16, Weight = 100 }],
        ThrottleReadBpsDevice = [new ThrottleDevice { Major = 8, Minor = 0, Rate = 1048576 }],
        ThrottleWriteBpsDevice = [new ThrottleDevice { Major = 8, Minor = 0, Rate = 2097152 }],
        ThrottleReadIOPSDevice = [new ThrottleDevice { Major = 8, Minor = 16, Rate = 100 }],
        ThrottleWriteIOPSDevice = [new ThrottleDevice { Major = 8, Minor = 16, Rate = 200 }],
    };

    [Test]
    public void BlkioFilesInRuncsOrder()
    {
        var probe = new FakeProbe().With("blkio", "blkio.weight").With("blkio", "blkio.bfq.weight");
        Assert.That(Plan(new SpecResources { BlockIO = FullBlockIo }, probe), Is.EqualTo(new[]
        {
            "blkio/blkio.weight=500", "blkio/blkio.leaf_weight=300",
            "blkio/blkio.weight_device=8:0 600", "blkio/blkio.leaf_weight_device=8:0 200", "blkio/blkio.weight_device=8:16 100",
            "blkio/blkio.throttle.read_bps_device=8:0 1048576", "blkio/blkio.throttle.write_bps_device=8:0 2097152",
            "blkio/blkio.throttle.read_iops_device=8:16 100", "blkio/blkio.throttle.write_iops_device=8:16 200",
        }));
    }

    [Test]
    public void BfqWeightFilesWhenOnlyBfqExists()
    {
        var probe = new FakeProbe().With("blkio", "blkio.bfq.weight");
        var io = new BlockIo { Weight = 500, WeightDevice = [new WeightDevice { Major = 8, Minor = 0, Weight = 600 }] };
        Assert.That(Plan(new SpecResources { BlockIO = io }, probe), Is.EqualTo(new[]
        {
            "blkio/blkio.bfq.weight=500", "blkio/blkio.bfq.weight_device=8:0 600",
        }));
    }

    // ---- hugetlb, net_cls, net_prio, rdma ----

    [Test]
    public void HugepageLimitsAreLimitInBytesPlusRsvdWhenPresent()
    {
        var limits = new[] { new HugepageLimit { PageSize = "2MB", Limit = 8 * MiB }, new HugepageLimit { PageSize = "1GB", Limit = 1UL << 30 } };
        Assert.That(Plan(new SpecResources { HugepageLimits = limits }, new FakeProbe().With("hugetlb", "hugetlb.2MB.limit_in_bytes")), Is.EqualTo(new[]
        {
            "hugetlb/hugetlb.2MB.limit_in_bytes=8388608", "hugetlb/hugetlb.1GB.limit_in_bytes=1073741824",
        }));
        var rsvd = new FakeProbe().With("hugetlb", "hugetlb.2MB.rsvd.limit_in_bytes").With("hugetlb", "hugetlb.1GB.rsvd.limit_in_bytes");
        Assert.That(Plan(new SpecResources { HugepageLimits = limits }, rsvd), Is.EqualTo(new[]
        {
            "hugetlb/hugetlb.2MB.limit_in_bytes=8388608", "hugetlb/hugetlb.2MB.rsvd.limit_in_bytes=8388608",
            "hugetlb/hugetlb.1GB.limit_in_bytes=1073741824", "hugetlb/hugetlb.1GB.rsvd.limit_in_bytes=1073741824",
        }));
    }

    [Test]
    public void ClassIdIsNetClsClassid() =>
        Assert.That(Plan(new SpecResources { Network = new NetworkResources { ClassID = 0x100001 } }), Is.EqualTo(new[] { "net_cls/net_cls.classid=1048577" }));

    [Test]
    public void PrioritiesAreOneIfpriomapWriteEach() =>
        Assert.That(Plan(new SpecResources
        {
            Network = new NetworkResources { Priorities = [new InterfacePriority { Name = "eth0", Priority = 5 }, new InterfacePriority { Name = "lo", Priority = 1 }] },
        }), Is.EqualTo(new[] { "net_prio/net_prio.ifpriomap=eth0 5", "net_prio/net_prio.ifpriomap=lo 1" }));

    [Test]
    public void RdmaIsRdmaMax() =>
        Assert.That(Plan(new SpecResources { Rdma = new Dictionary<string, RdmaLimit> { ["mlx5_1"] = new() { HcaHandles = 3, HcaObjects = 10000 } } }),
            Is.EqualTo(new[] { "rdma/rdma.max=mlx5_1 hca_handle=3 hca_object=10000" }));

    // ---- unified ----

    [Test]
    public void UnifiedIsAnErrorOnV1()
    {
        var r = new SpecResources { Unified = new Dictionary<string, string> { ["memory.high"] = "1000" } };
        var e = Assert.Throws<ConfigError>(() => Plan(r));
        Assert.That(e!.Message, Does.Contain("unified").And.StartsWith("invalid configuration"));
        Assert.Throws<ConfigError>(() => V1Plan.For(new SpecLinux { Resources = r }, new FakeProbe(), includeDevices: true));
    }

    // ---- whole plan ----

    [Test]
    public void ControllerOrderIsRuncs()
    {
        var linux = new SpecLinux
        {
            Resources = new SpecResources
            {
                Rdma = new Dictionary<string, RdmaLimit> { ["mlx5_1"] = new() { HcaHandles = 1 } },
                Network = new NetworkResources { ClassID = 1, Priorities = [new InterfacePriority { Name = "eth0", Priority = 1 }] },
                HugepageLimits = [new HugepageLimit { PageSize = "2MB", Limit = 2 * MiB }],
                BlockIO = new BlockIo { Weight = 100 },
                Pids = new PidsResources { Limit = 10 },
                Cpu = new CpuResources { Shares = 512, Cpus = "0", Mems = "0" },
                Memory = new MemoryResources { Limit = 100 * MiB },
                Devices = [new DeviceRule { Allow = false, Access = "rwm" }],
            },
        };
        var plan = V1Plan.For(linux, WithMemsw(), includeDevices: true);
        Assert.That(Plans.Runs(plan.Select(w => w.Hierarchy)), Is.EqualTo(new[]
        {
            "cpuset", "devices", "memory", "cpu", "pids", "blkio", "hugetlb", "net_cls", "net_prio", "rdma",
        }));
    }
}
