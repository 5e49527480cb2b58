using NUnit.Framework;
using Runc.Sharp.Cgroups;

namespace Runc.Sharp.Tests.Unit;

public class CgroupPathsTests
{
    private static readonly CgroupLayout Hybrid = CgroupLayout.Detect(CgroupLayoutTests.Hybrid, CgroupLayout.DefaultRoot);
    private static readonly CgroupLayout Unified = CgroupLayout.Detect(CgroupLayoutTests.Unified, CgroupLayout.DefaultRoot);

    private static readonly Dictionary<string, string> Own = new()
    {
        ["memory"] = "/process_api/abc",
        ["cpu"] = "/",
        [""] = "/user.slice/session-1.scope",
    };

    [Test]
    public void AbsolutePathIsUnderEachHierarchyRoot()
    {
        var paths = CgroupPaths.Resolve(Hybrid, "/runcs/c1", "c1", Own);
        Assert.That(paths["memory"], Is.EqualTo("/sys/fs/cgroup/memory/runcs/c1"));
        Assert.That(paths["cpu"], Is.EqualTo("/sys/fs/cgroup/cpu/runcs/c1"));
        Assert.That(paths[""], Is.EqualTo("/sys/fs/cgroup/unified/runcs/c1"));
        Assert.That(paths.Keys, Is.EquivalentTo(Hybrid.V1Mounts.Keys.Append("")));
    }

    [Test]
    public void RelativePathIsUnderOurOwnCgroup()
    {
        var paths = CgroupPaths.Resolve(Hybrid, "nested/c1", "c1", Own);
        Assert.That(paths["memory"], Is.EqualTo("/sys/fs/cgroup/memory/process_api/abc/nested/c1"));
        Assert.That(paths["cpu"], Is.EqualTo("/sys/fs/cgroup/cpu/nested/c1"));
        Assert.That(paths["pids"], Is.EqualTo("/sys/fs/cgroup/pids/nested/c1"), "a controller missing from the own map is at its root");
        Assert.That(paths[""], Is.EqualTo("/sys/fs/cgroup/unified/user.slice/session-1.scope/nested/c1"));
    }

    [Test]
    public void EmptyPathIsTheIdRelativeToOurCgroup()
    {
        foreach (var empty in new[] { null, "" })
        {
            var paths = CgroupPaths.Resolve(Unified, empty, "myid", Own);
            Assert.That(paths, Is.EqualTo(new Dictionary<string, string> { [""] = "/sys/fs/cgroup/user.slice/session-1.scope/myid" }));
        }
    }

    [Test]
    public void DotSegmentsAreNormalised()
    {
        var paths = CgroupPaths.Resolve(Unified, "/a/./b//c", "x", Own);
        Assert.That(paths[""], Is.EqualTo("/sys/fs/cgroup/a/b/c"));
    }

    [TestCase("..")]
    [TestCase("../escape")]
    [TestCase("/a/../../etc")]
    [TestCase("a/..")]
    public void DotDotIsRejected(string cgroupsPath)
    {
        var e = Assert.Throws<RuncsException>(() => CgroupPaths.Resolve(Hybrid, cgroupsPath, "x", Own))!;
        Assert.That(e.Message, Is.EqualTo($"linux.cgroupsPath \"{cgroupsPath}\": must not contain \"..\""));
    }

    [Test]
    public void DotsInNamesAreNotDotDot()
    {
        var paths = CgroupPaths.Resolve(Unified, "/a..b/...", "x", Own);
        Assert.That(paths[""], Is.EqualTo("/sys/fs/cgroup/a..b/..."));
    }

    [Test]
    public void ParsesProcCgroup()
    {
        var own = CgroupPaths.ParseProcCgroup(
        [
            "12:cpu,cpuacct:/docker/abc",
            "9:name=systemd:/init.scope",
            "4:memory:/process_api/4273",
            "1:net_cls,net_prio:/",
            "0::/user.slice",
            "",
            "garbage",
        ]);
        Assert.That(own, Is.EqualTo(new Dictionary<string, string>
        {
            ["cpu"] = "/docker/abc",
            ["cpuacct"] = "/docker/abc",
            ["name=systemd"] = "/init.scope",
            ["memory"] = "/process_api/4273",
            ["net_cls"] = "/",
            ["net_prio"] = "/",
            [""] = "/user.slice",
        }));
    }

    [Test]
    public void PathsMayContainColons()
    {
        var own = CgroupPaths.ParseProcCgroup(["0::/a:b/c"]);
        Assert.That(own[""], Is.EqualTo("/a:b/c"));
    }

    [Test]
    public void OwnCgroupsOfThisProcessAreAbsolute()
    {
        var own = CgroupPaths.Own();
        Assert.That(own.Values, Has.All.StartWith("/"));
    }
}
