using NUnit.Framework;
using Runc.Sharp.Linux.Resctrl;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Tests.Unit.Resctrl;

/// <summary>
/// linux.intelRdt's writes, against a directory tree shaped like /sys/fs/resctrl: this
/// machine has no resctrl (the integration side, a clear refusal, is in FailureTests).
/// </summary>
public class ResctrlGroupTests
{
    private string _root = null!;

    [SetUp]
    public void FakeResctrl()
    {
        _root = Directory.CreateTempSubdirectory("runcs-resctrl-").FullName;
        Directory.CreateDirectory(Path.Combine(_root, "info"));
        File.WriteAllText(Path.Combine(_root, "info", "last_cmd_status"), "ok\n");
    }

    [TearDown]
    public void Remove() => Directory.Delete(_root, recursive: true);

    private ResctrlGroup Plan(IntelRdt rdt) => ResctrlGroup.Plan(rdt, "c1", _root)!;

    private static string Read(params string[] parts) => File.ReadAllText(Path.Combine(parts));

    [Test]
    public void WithoutAClosIdTheContainerGetsAGroupOfItsOwnWithTheSchemata()
    {
        var g = Plan(new IntelRdt { L3CacheSchema = "L3:0=f", MemBwSchema = "MB:0=50", Schemata = ["L2:0=3"] });
        g.Apply(4242);
        Assert.That(Read(_root, "c1", "tasks"), Is.EqualTo("4242"));
        Assert.That(Read(_root, "c1", "schemata"), Is.EqualTo("L3:0=f\nMB:0=50\nL2:0=3\n"), "runc's order: l3CacheSchema, memBwSchema, then schemata");
        Assert.That(g.OwnedDirs, Is.EqualTo(new[] { Path.Combine(_root, "c1") }));
    }

    [Test]
    public void AClosIdNamesAnotherGroupWhichDeleteLeaves()
    {
        var g = Plan(new IntelRdt { ClosID = "shared", Schemata = ["L3:0=3"], EnableMonitoring = true });
        g.Apply(7);
        Assert.That(Read(_root, "shared", "tasks"), Is.EqualTo("7"));
        Assert.That(Read(_root, "shared", "mon_groups", "c1", "tasks"), Is.EqualTo("7"), "enableMonitoring: a monitoring group named after the container");
        Assert.That(g.OwnedDirs, Is.EqualTo(new[] { Path.Combine(_root, "shared", "mon_groups", "c1") }), "only the monitoring group is the container's");
    }

    [Test]
    public void AClosIdWithoutSchemataMustExist()
    {
        var g = Plan(new IntelRdt { ClosID = "missing" });
        Assert.That(() => g.Apply(1), Throws.TypeOf<RuncsException>().With.Message.Contains("clos dir not accessible (must be pre-created when schemata, l3CacheSchema and memBwSchema are empty)"));
        Assert.That(Directory.Exists(Path.Combine(_root, "missing")), Is.False);
        Directory.CreateDirectory(Path.Combine(_root, "missing"));
        g.Apply(1);
        Assert.That(File.Exists(Path.Combine(_root, "missing", "schemata")), Is.False, "nothing to write");
    }

    [TestCase("..")]
    [TestCase("a/b")]
    public void AClosIdThatLeavesTheRootIsRefused(string clos) =>
        Assert.That(() => Plan(new IntelRdt { ClosID = clos }),
            Throws.TypeOf<ConfigError>().With.Message.Contains("linux.intelRdt.closID: invalid CLOS name"));

    [Test]
    public void WithoutResctrlTheConfigIsRefusedByName() =>
        Assert.That(() => ResctrlGroup.Plan(new IntelRdt(), "c1", root: null),
            Throws.TypeOf<ConfigError>().With.Message.EqualTo("config.json: linux.intelRdt: Intel RDT is not available on this host (no resctrl filesystem is mounted)"));

    [Test]
    public void NoIntelRdtNoGroup() => Assert.That(ResctrlGroup.Plan(null, "c1", _root), Is.Null);

    [Test]
    public void AnExecJoinsTheClosGroup()
    {
        var g = Plan(new IntelRdt { EnableMonitoring = true });
        g.Apply(1);
        g.Join(2);
        Assert.That(Read(_root, "c1", "tasks"), Is.EqualTo("2"), "the fake's file keeps the last write; resctrl's adds");
    }

    [Test]
    public void DestroyRemovesWhatIsLeftAndToleratesWhatIsGone()
    {
        var g = Plan(new IntelRdt());
        Directory.CreateDirectory(g.ClosDir);
        ResctrlGroup.Destroy(g.OwnedDirs);
        Assert.That(Directory.Exists(g.ClosDir), Is.False);
        Assert.DoesNotThrow(() => ResctrlGroup.Destroy(g.OwnedDirs));
    }

    [Test]
    public void TheRootIsWhereResctrlIsMounted()
    {
        string[] mountinfo =
        [
            "22 1 0:21 / /sys rw,nosuid - sysfs sysfs rw",
            "40 22 0:35 / /sys/fs/resctrl rw,relatime - resctrl resctrl rw",
        ];
        Assert.That(ResctrlGroup.Root(mountinfo), Is.EqualTo("/sys/fs/resctrl"));
        Assert.That(ResctrlGroup.Root(mountinfo.Take(1)), Is.Null);
    }
}
