using NUnit.Framework;
using Runc.Sharp.Cgroups;
using Runc.Sharp.Cgroups.Resources;
using Runc.Sharp.Spec;
using SpecLinux = Runc.Sharp.Spec.Linux;
using SpecResources = Runc.Sharp.Spec.Resources;

namespace Runc.Sharp.Tests.Unit.Cgroups;

/// <summary>
/// ResourceApplier.Apply against a fake cgroupfs: one temp directory per hierarchy holding the container's
/// cgroup with its control files pre-created empty. A real cgroupfs cannot create files, so every test also
/// checks that Apply wrote only into files that already existed.
/// </summary>
public class ResourceApplierTests
{
    private const long MiB = 1024 * 1024;

    private string _root = "";
    private readonly Dictionary<string, string> _paths = new();
    private readonly HashSet<string> _precreated = new();

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "runcs-cgfs-" + Guid.NewGuid().ToString("N"));
        _paths.Clear();
        _precreated.Clear();
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    /// <summary>Creates &lt;root&gt;/&lt;mount&gt;/c1 with the given empty control files and maps hierarchy to it.</summary>
    private string Hierarchy(string hierarchy, string mount, params string[] files)
    {
        var dir = Path.Combine(_root, mount, "c1");
        Directory.CreateDirectory(dir);
        foreach (var f in files.Append("cgroup.procs"))
        {
            File.WriteAllText(Path.Combine(dir, f), "");
            _precreated.Add(Path.Combine(dir, f));
        }
        _paths[hierarchy] = dir;
        return dir;
    }

    private string V1(string controller, params string[] files) => Hierarchy(controller, controller, files);
    private string Unified(params string[] files) => Hierarchy("", "unified", files);

    private static string Content(string dir, string file) => File.ReadAllText(Path.Combine(dir, file));

    private void AssertNoFileCreated()
    {
        var now = Directory.GetFiles(_root, "*", SearchOption.AllDirectories);
        Assert.That(now.Where(f => !_precreated.Contains(f)), Is.Empty, "cgroupfs refuses to create files; Apply may only write existing ones");
    }

    private void Apply(CgroupMode mode, SpecLinux linux, bool includeDevices = false) =>
        ResourceApplier.Apply(mode, _paths, linux, includeDevices);

    private static SpecLinux With(SpecResources r) => new() { Resources = r };

    // ---- legacy ----

    [Test]
    public void LegacyWritesEachControllersFiles()
    {
        var cpuset = V1("cpuset", "cpuset.cpus", "cpuset.mems");
        var memory = V1("memory", "memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.soft_limit_in_bytes", "memory.oom_control", "memory.swappiness");
        var cpu = V1("cpu", "cpu.shares", "cpu.cfs_period_us", "cpu.cfs_quota_us", "cpu.idle");
        var pids = V1("pids", "pids.max");
        var blkio = V1("blkio", "blkio.weight", "blkio.weight_device", "blkio.throttle.read_bps_device", "blkio.throttle.write_iops_device");
        var hugetlb = V1("hugetlb", "hugetlb.2MB.limit_in_bytes");
        var netCls = V1("net_cls", "net_cls.classid");
        var netPrio = V1("net_prio", "net_prio.ifpriomap");
        File.WriteAllText(Path.Combine(memory, "memory.memsw.limit_in_bytes"), "9223372036854771712\n");

        var linux = With(new SpecResources
        {
            Cpu = new CpuResources { Cpus = "0-1", Mems = "0", Shares = 512, Quota = 50000, Period = 100000, Idle = 0 },
            Memory = new MemoryResources { Limit = 100 * MiB, Swap = 200 * MiB, Reservation = 50 * MiB, DisableOOMKiller = true, Swappiness = 10 },
            Pids = new PidsResources { Limit = 64 },
            BlockIO = new BlockIo
            {
                Weight = 300,
                WeightDevice = [new WeightDevice { Major = 8, Minor = 0, Weight = 400 }],
                ThrottleReadBpsDevice = [new ThrottleDevice { Major = 8, Minor = 0, Rate = 1048576 }],
                ThrottleWriteIOPSDevice = [new ThrottleDevice { Major = 8, Minor = 0, Rate = 10 }, new ThrottleDevice { Major = 8, Minor = 16, Rate = 20 }],
            },
            HugepageLimits = [new HugepageLimit { PageSize = "2MB", Limit = 4 * MiB }],
            Network = new NetworkResources { ClassID = 0x100001, Priorities = [new InterfacePriority { Name = "eth0", Priority = 5 }] },
        });

        Apply(CgroupMode.Legacy, linux);

        Assert.Multiple(() =>
        {
            Assert.That(Content(cpuset, "cpuset.cpus"), Is.EqualTo("0-1"));
            Assert.That(Content(cpuset, "cpuset.mems"), Is.EqualTo("0"));
            Assert.That(Content(memory, "memory.limit_in_bytes"), Is.EqualTo($"{100 * MiB}"));
            Assert.That(Content(memory, "memory.memsw.limit_in_bytes"), Is.EqualTo($"{200 * MiB}"));
            Assert.That(Content(memory, "memory.soft_limit_in_bytes"), Is.EqualTo($"{50 * MiB}"));
            Assert.That(Content(memory, "memory.oom_control"), Is.EqualTo("1"));
            Assert.That(Content(memory, "memory.swappiness"), Is.EqualTo("10"));
            Assert.That(Content(cpu, "cpu.shares"), Is.EqualTo("512"));
            Assert.That(Content(cpu, "cpu.cfs_period_us"), Is.EqualTo("100000"));
            Assert.That(Content(cpu, "cpu.cfs_quota_us"), Is.EqualTo("50000"));
            Assert.That(Content(cpu, "cpu.idle"), Is.EqualTo("0"));
            Assert.That(Content(pids, "pids.max"), Is.EqualTo("64"));
            Assert.That(Content(blkio, "blkio.weight"), Is.EqualTo("300"));
            Assert.That(Content(blkio, "blkio.weight_device"), Is.EqualTo("8:0 400"));
            Assert.That(Content(blkio, "blkio.throttle.read_bps_device"), Is.EqualTo("8:0 1048576"));
            Assert.That(Content(blkio, "blkio.throttle.write_iops_device"), Is.EqualTo("8:16 20"), "the last of two writes");
            Assert.That(Content(hugetlb, "hugetlb.2MB.limit_in_bytes"), Is.EqualTo($"{4 * MiB}"));
            Assert.That(Content(netCls, "net_cls.classid"), Is.EqualTo("1048577"));
            Assert.That(Content(netPrio, "net_prio.ifpriomap"), Is.EqualTo("eth0 5"));
            Assert.That(Content(pids, "cgroup.procs"), Is.Empty, "Apply sets limits, it does not join the cgroup");
        });
        AssertNoFileCreated();
    }

    [Test]
    public void LegacyDevicesAreWrittenOnlyWhenIncluded()
    {
        var devices = V1("devices", "devices.allow", "devices.deny");
        var linux = new SpecLinux
        {
            Resources = new SpecResources { Devices = [new DeviceRule { Allow = false, Access = "rwm" }] },
            Devices = [new Device { Path = "/dev/fuse", Type = "c", Major = 10, Minor = 229 }],
        };

        Apply(CgroupMode.Legacy, linux, includeDevices: false);
        Assert.That(Content(devices, "devices.allow"), Is.Empty);
        Assert.That(Content(devices, "devices.deny"), Is.Empty);

        Apply(CgroupMode.Legacy, linux, includeDevices: true);
        Assert.That(Content(devices, "devices.deny"), Is.EqualTo("a *:* rwm"));
        Assert.That(Content(devices, "devices.allow"), Is.Not.Contains("10:229"), "linux.devices creates the node, it allows nothing (runc 1.3)");
        AssertNoFileCreated();
    }

    [Test]
    public void AControllerWithoutAPathIsAnErrorNamingIt()
    {
        V1("memory", "memory.limit_in_bytes");
        var e = Assert.Throws<RuncsException>(() => Apply(CgroupMode.Legacy, With(new SpecResources { Network = new NetworkResources { ClassID = 1 } })));
        Assert.That(e!.Message, Does.Contain("net_cls").And.Contain("net_cls.classid"));

        e = Assert.Throws<RuncsException>(() => Apply(CgroupMode.Legacy, With(new SpecResources { Pids = new PidsResources { Limit = 1 } })));
        Assert.That(e!.Message, Does.Contain("pids"));
        AssertNoFileCreated();
    }

    [Test]
    public void UnsetControllersNeedNoPath()
    {
        var memory = V1("memory", "memory.limit_in_bytes");
        Apply(CgroupMode.Legacy, With(new SpecResources { Memory = new MemoryResources { Limit = 8 * MiB } }));
        Assert.That(Content(memory, "memory.limit_in_bytes"), Is.EqualTo($"{8 * MiB}"));
        AssertNoFileCreated();
    }

    [Test]
    public void LegacySwapWithoutSwapAccountingIsAnError()
    {
        var memory = V1("memory", "memory.limit_in_bytes");
        var e = Assert.Throws<RuncsException>(() => Apply(CgroupMode.Legacy, With(new SpecResources { Memory = new MemoryResources { Limit = MiB, Swap = 2 * MiB } })));
        Assert.That(e!.Message, Does.Contain("swap"));
        Assert.That(Content(memory, "memory.limit_in_bytes"), Is.Empty, "the plan fails before anything is written");
        AssertNoFileCreated();
    }

    [Test]
    public void LegacyUnifiedResourcesAreAnError()
    {
        V1("memory", "memory.limit_in_bytes");
        Assert.Throws<ConfigError>(() => Apply(CgroupMode.Legacy, With(new SpecResources { Unified = new Dictionary<string, string> { ["memory.high"] = "1" } })));
    }

    // ---- hybrid ----

    [Test]
    public void HybridHugetlbFallsBackToTheUnifiedHierarchy()
    {
        var memory = V1("memory", "memory.limit_in_bytes");
        var unified = Unified("hugetlb.2MB.max", "hugetlb.2MB.rsvd.max");
        var linux = With(new SpecResources
        {
            Memory = new MemoryResources { Limit = 16 * MiB },
            HugepageLimits = [new HugepageLimit { PageSize = "2MB", Limit = 6 * MiB }],
        });

        Apply(CgroupMode.Hybrid, linux);
        Assert.That(Content(memory, "memory.limit_in_bytes"), Is.EqualTo($"{16 * MiB}"));
        Assert.That(Content(unified, "hugetlb.2MB.max"), Is.EqualTo($"{6 * MiB}"));
        AssertNoFileCreated();
    }

    [Test]
    public void HybridHugetlbWithoutTheUnifiedFileIsAnError()
    {
        Unified("hugetlb.1GB.max");
        var e = Assert.Throws<RuncsException>(() => Apply(CgroupMode.Hybrid, With(new SpecResources
        {
            HugepageLimits = [new HugepageLimit { PageSize = "2MB", Limit = 2 * MiB }],
        })));
        Assert.That(e!.Message, Does.Contain("hugetlb"));
        AssertNoFileCreated();
    }

    [Test]
    public void HybridOnlyFallsBackForHugetlb()
    {
        Unified("pids.max");
        var e = Assert.Throws<RuncsException>(() => Apply(CgroupMode.Hybrid, With(new SpecResources { Pids = new PidsResources { Limit = 3 } })));
        Assert.That(e!.Message, Does.Contain("pids"));
        AssertNoFileCreated();
    }

    // ---- unified ----

    private string UnifiedTree(params string[] extra) => Unified(new[]
    {
        "cpuset.cpus", "cpuset.mems", "cpu.weight", "cpu.max", "cpu.max.burst", "cpu.idle",
        "memory.max", "memory.low", "memory.high", "memory.swap.max", "pids.max", "io.max", "io.weight",
        "hugetlb.2MB.max", "rdma.max",
    }.Concat(extra).ToArray());

    [Test]
    public void UnifiedWritesEachFile()
    {
        var dir = UnifiedTree();
        var linux = With(new SpecResources
        {
            Cpu = new CpuResources { Cpus = "1", Mems = "0", Shares = 1024, Quota = 25000, Period = 50000, Burst = 1000, Idle = 0 },
            Memory = new MemoryResources { Limit = 100 * MiB, Swap = 300 * MiB, Reservation = 10 * MiB },
            Pids = new PidsResources { Limit = 0 },
            BlockIO = new BlockIo
            {
                Weight = 500,
                ThrottleReadBpsDevice = [new ThrottleDevice { Major = 8, Minor = 0, Rate = 1048576 }],
                ThrottleWriteIOPSDevice = [new ThrottleDevice { Major = 8, Minor = 0, Rate = 200 }],
            },
            HugepageLimits = [new HugepageLimit { PageSize = "2MB", Limit = 2 * MiB }],
            Rdma = new Dictionary<string, RdmaLimit> { ["mlx5_1"] = new() { HcaHandles = 3, HcaObjects = 100 } },
            Unified = new Dictionary<string, string> { ["memory.high"] = "90000000" },
        });

        Apply(CgroupMode.Unified, linux);
        Assert.Multiple(() =>
        {
            Assert.That(Content(dir, "cpuset.cpus"), Is.EqualTo("1"));
            Assert.That(Content(dir, "cpuset.mems"), Is.EqualTo("0"));
            Assert.That(Content(dir, "cpu.weight"), Is.EqualTo("100"));
            Assert.That(Content(dir, "cpu.max"), Is.EqualTo("25000 50000"));
            Assert.That(Content(dir, "cpu.max.burst"), Is.EqualTo("1000"));
            Assert.That(Content(dir, "cpu.idle"), Is.EqualTo("0"));
            Assert.That(Content(dir, "memory.max"), Is.EqualTo($"{100 * MiB}"));
            Assert.That(Content(dir, "memory.swap.max"), Is.EqualTo($"{200 * MiB}"));
            Assert.That(Content(dir, "memory.low"), Is.EqualTo($"{10 * MiB}"));
            Assert.That(Content(dir, "memory.high"), Is.EqualTo("90000000"));
            Assert.That(Content(dir, "pids.max"), Is.EqualTo("1"));
            Assert.That(Content(dir, "io.weight"), Is.EqualTo("4950"));
            Assert.That(Content(dir, "io.max"), Is.EqualTo("8:0 wiops=200"), "the last io.max write");
            Assert.That(Content(dir, "hugetlb.2MB.max"), Is.EqualTo($"{2 * MiB}"));
            Assert.That(Content(dir, "rdma.max"), Is.EqualTo("mlx5_1 hca_handle=3 hca_object=100"));
        });
        AssertNoFileCreated();
    }

    [Test]
    public void UnifiedUnlimitedValuesAreMax()
    {
        var dir = UnifiedTree();
        Apply(CgroupMode.Unified, With(new SpecResources
        {
            Memory = new MemoryResources { Limit = -1 },
            Cpu = new CpuResources { Quota = -1 },
            Pids = new PidsResources { Limit = -1 },
        }));
        Assert.That(Content(dir, "memory.max"), Is.EqualTo("max"));
        Assert.That(Content(dir, "memory.swap.max"), Is.EqualTo("max"));
        Assert.That(Content(dir, "cpu.max"), Is.EqualTo("max 100000"));
        Assert.That(Content(dir, "pids.max"), Is.EqualTo("max"));
        AssertNoFileCreated();
    }

    [Test]
    public void UnifiedWeightUsesBfqWhenTheFileExists()
    {
        var dir = UnifiedTree("io.bfq.weight");
        Apply(CgroupMode.Unified, With(new SpecResources { BlockIO = new BlockIo { Weight = 500 } }));
        Assert.That(Content(dir, "io.bfq.weight"), Is.EqualTo("500"));
        Assert.That(Content(dir, "io.weight"), Is.Empty);
        AssertNoFileCreated();
    }

    [Test]
    public void UnifiedHugetlbReservationOnlyWhenPresent()
    {
        var dir = UnifiedTree("hugetlb.2MB.rsvd.max");
        Apply(CgroupMode.Unified, With(new SpecResources { HugepageLimits = [new HugepageLimit { PageSize = "2MB", Limit = 4 * MiB }] }));
        Assert.That(Content(dir, "hugetlb.2MB.max"), Is.EqualTo($"{4 * MiB}"));
        Assert.That(Content(dir, "hugetlb.2MB.rsvd.max"), Is.EqualTo($"{4 * MiB}"));
        AssertNoFileCreated();
    }

    [Test]
    public void UnifiedDeviceRulesAreNoFileWrite()
    {
        // On v2 the rules become a BPF program (BpfDeviceFilterTests, on a real cgroup); no control file holds them.
        UnifiedTree();
        var linux = new SpecLinux
        {
            Resources = new SpecResources { Devices = [new DeviceRule { Allow = false, Access = "rwm" }], Pids = new PidsResources { Limit = 7 } },
        };
        Apply(CgroupMode.Unified, linux, includeDevices: false);
        Assert.That(Content(_paths[""], "pids.max"), Is.EqualTo("7"));
        AssertNoFileCreated();
    }

    [Test]
    public void UnifiedWithoutSwapAccountingLeavesSwapAloneAsInRunc()
    {
        // runc ignores ENOENT on memory.swap.max for "max" and "0"; on a real cgroupfs without swap accounting
        // runcs's write of memory.swap.max=max fails (here it creates a file a cgroupfs never would).
        var dir = Unified("memory.max", "memory.low");
        Apply(CgroupMode.Unified, With(new SpecResources { Memory = new MemoryResources { Limit = -1 } }));
        Assert.That(Content(dir, "memory.max"), Is.EqualTo("max"));
        AssertNoFileCreated();
    }

    [Test]
    public void UnifiedInvalidKeyIsAnErrorBeforeAnyWrite()
    {
        var dir = UnifiedTree();
        var linux = With(new SpecResources
        {
            Pids = new PidsResources { Limit = 9 },
            Unified = new Dictionary<string, string> { ["../escape"] = "1" },
        });
        Assert.Throws<RuncsException>(() => Apply(CgroupMode.Unified, linux));
        Assert.That(Content(dir, "pids.max"), Is.Empty, "the whole plan is checked before writing");
        Assert.That(File.Exists(Path.Combine(_root, "unified", "escape")), Is.False);
        AssertNoFileCreated();
    }

    [Test]
    public void UnifiedWritesNothingForEmptyResources()
    {
        UnifiedTree();
        Apply(CgroupMode.Unified, new SpecLinux());
        Assert.That(_precreated.Select(File.ReadAllText), Is.All.Empty);
        AssertNoFileCreated();
    }
}
