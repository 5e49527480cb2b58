using NUnit.Framework;
using Runc.Sharp.Cgroups.Devices;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// The cgroup v2 device filter on the real kernel: the generated BPF program is loaded and
/// attached to a fresh directory of this host's unified hierarchy (cgroup-bpf works there on a
/// hybrid host too), and a shell moved into it finds exactly the devices the rules allow, with
/// the v1 controller's meaning. A second Apply replaces the filter instead of stacking.
/// </summary>
[TestFixture]
[NonParallelizable]
public class BpfDeviceFilterTests
{
    private string _cgroup = null!;

    [SetUp]
    public void CreateCgroup()
    {
        Runcs.RequireRoot();
        var unified = File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')).FirstOrDefault(f => f.SkipWhile(x => x != "-").Skip(1).FirstOrDefault() == "cgroup2")?[4];
        Assert.That(unified, Is.Not.Null, "no cgroup2 mount on this host");
        _cgroup = Path.Combine(unified!, "runcs-bpf-test-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_cgroup);
    }

    [TearDown]
    public void RemoveCgroup() => Directory.Delete(_cgroup);

    private static DeviceRule Rule(bool allow, string type, long? major, long? minor, string access) =>
        new() { Allow = allow, Type = type, Major = major, Minor = minor, Access = access };

    /// <summary>A shell in the cgroup reports what it may do with each device.</summary>
    private string Probe()
    {
        const string script =
            "echo $$ > \"$1/cgroup.procs\"; " +
            "(exec 3</dev/null) 2>&- && echo null-r || echo null-r-denied; (exec 3>/dev/null) 2>&- && echo null-w || echo null-w-denied; " +
            "(exec 3</dev/zero) 2>&- && echo zero-r || echo zero-r-denied; (exec 3>/dev/zero) 2>&- && echo zero-w || echo zero-w-denied; " +
            "(exec 3</dev/full) 2>&- && echo full-r || echo full-r-denied; " +
            "rm -f \"$2\"; mknod \"$2\" c 1 9 2>&- && echo mknod || echo mknod-denied; rm -f \"$2\"";
        var node = Path.Combine(Path.GetTempPath(), "runcs-bpf-node-" + Guid.NewGuid().ToString("N")[..8]);
        var r = Runcs.Exec("/bin/sh", ["-c", script, "sh", _cgroup, node]);
        return r.Stdout.Replace('\n', ' ').Trim();
    }

    [Test]
    public void TheRulesDecideWhichDevicesOpen()
    {
        BpfDeviceFilter.Apply(_cgroup,
        [
            Rule(false, "a", null, null, "rwm"),
            Rule(true, "c", 1, 3, "rw"),
            Rule(true, "c", 1, 5, "r"),
        ]);
        Assert.That(Probe(), Is.EqualTo("null-r null-w zero-r zero-w-denied full-r-denied mknod-denied"));
    }

    [Test]
    public void LaterRulesWinPerAccessBitAsOnV1()
    {
        BpfDeviceFilter.Apply(_cgroup,
        [
            Rule(true, "a", null, null, "rwm"),
            Rule(false, "c", 1, null, "w"),
            Rule(true, "c", 1, 3, "w"),
        ]);
        Assert.That(Probe(), Is.EqualTo("null-r null-w zero-r zero-w-denied full-r mknod"),
            "c 1:* w denied, then c 1:3 w allowed again; reads and mknod untouched");
    }

    [Test]
    public void ASecondApplyReplacesTheFilter()
    {
        BpfDeviceFilter.Apply(_cgroup, [Rule(false, "a", null, null, "rwm"), Rule(true, "c", 1, 3, "rwm")]);
        Assert.That(Probe(), Does.Contain("zero-r-denied"));
        BpfDeviceFilter.Apply(_cgroup, [Rule(true, "a", null, null, "rwm")]);
        Assert.That(Probe(), Is.EqualTo("null-r null-w zero-r zero-w full-r mknod"), "an old filter still attached would keep denying");
    }
}
