using NUnit.Framework;
using Runc.Sharp.Cgroups;

namespace Runc.Sharp.Tests.Unit.Cgroups;

/// <summary>`exec --cgroup`'s forms and refusals, in runc's words (runc's exec.bats "--cgroup sub-cgroups").</summary>
public class SubCgroupsTests
{
    private static readonly Dictionary<string, string> Container = new()
    {
        ["memory"] = "/sys/fs/cgroup/memory/c1",
        ["cpu"] = "/sys/fs/cgroup/cpu/c1",
        ["cpuacct"] = "/sys/fs/cgroup/cpuacct/c1",
        [""] = "/sys/fs/cgroup/unified/c1",
    };

    private static Dictionary<string, string> Apply(params string[] args) => SubCgroups.Apply(Container, SubCgroups.Parse(args));

    [Test]
    public void ABarePathAppliesToEveryHierarchy()
    {
        var paths = Apply("sub/x");
        Assert.That(paths.Keys, Is.EquivalentTo(Container.Keys));
        Assert.That(paths.Values, Has.All.EndWith("/c1/sub/x"));
    }

    [Test]
    public void ControllerPrefixesApplyToThoseControllersOnly()
    {
        var paths = Apply("memory:submem", "cpu,cpuacct:subcpu");
        Assert.That(paths["memory"], Is.EqualTo("/sys/fs/cgroup/memory/c1/submem"));
        Assert.That(paths["cpu"], Is.EqualTo("/sys/fs/cgroup/cpu/c1/subcpu"));
        Assert.That(paths["cpuacct"], Is.EqualTo("/sys/fs/cgroup/cpuacct/c1/subcpu"));
        Assert.That(paths[""], Is.EqualTo(Container[""]), "the unified hierarchy is not named, so it stays");
    }

    [TestCase("/")]
    [TestCase("")]
    [TestCase("a/..")]
    public void PathsThatNameTheContainersOwnCgroupKeepIt(string path) =>
        Assert.That(Apply(path), Is.EquivalentTo(Container));

    [TestCase("..", ".. is not a sub cgroup path")]
    [TestCase("../c1x", "../c1x is not a sub cgroup path")]
    [TestCase("whaaat:/", "unknown controller whaaat in SubCgroupPaths")]
    [TestCase(":x", "invalid --cgroup argument: :x (empty <controller> prefix)")]
    [TestCase("memory,:x", "invalid --cgroup argument: memory,:x (empty <controller> prefix)")]
    public void RefusalsNameTheArgument(string arg, string message) =>
        Assert.That(() => Apply(arg), Throws.TypeOf<RuncsException>().With.Message.EqualTo(message));

    [Test]
    public void ABarePathMustBeTheOnlyArgument() =>
        Assert.That(() => SubCgroups.Parse(["memory:a", "b"]),
            Throws.TypeOf<RuncsException>().With.Message.EqualTo("invalid --cgroup argument: b (missing <controller>: prefix)"));

    [Test]
    public void AControllerNamedTwiceIsRefused() =>
        Assert.That(() => SubCgroups.Parse(["memory:a", "cpu,memory:b"]),
            Throws.TypeOf<RuncsException>().With.Message.EqualTo("invalid --cgroup argument(s): controller memory specified multiple times"));

    [Test]
    public void NoArgumentsMeansTheContainersCgroups() =>
        Assert.That(SubCgroups.Parse([]), Is.Empty);
}
