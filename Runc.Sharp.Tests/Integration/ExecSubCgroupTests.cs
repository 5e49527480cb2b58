using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// `exec --cgroup`: an exec in existing sub-cgroups of the container's, per controller or in
/// every hierarchy, as runc's exec.bats "--cgroup sub-cgroups [v1]" and pidfd-socket.bats
/// check them on this hybrid host. Read from /proc/self/cgroup inside and cgroup.procs outside.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ExecSubCgroupTests
{
    private TestBundle _b = null!;
    private string _rel = null!;

    [SetUp]
    public void RunDetached()
    {
        _b = new TestBundle("sleep", "300");
        _rel = "/runcs-it-sub/" + _b.Id;
        _b.Linux["cgroupsPath"] = _rel;
        Assert.That(_b.Run("-d").ExitCode, Is.Zero);
    }

    [TearDown]
    public void Delete()
    {
        Assert.That(_b.Runcs("delete", "--force", _b.Id).ExitCode, Is.Zero, "delete removes the sub-cgroups too");
        Assert.That(_b.CgroupDirs(), Is.Empty);
        foreach (var parent in Directory.GetDirectories("/sys/fs/cgroup").Select(h => h + "/runcs-it-sub").Where(Directory.Exists))
            Directory.Delete(parent);
        _b.Dispose();
    }

    private string Dir(string hierarchy) => $"/sys/fs/cgroup/{hierarchy}{_rel}";

    private static Dictionary<string, string> CgroupOf(ProcResult r) =>
        r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(':', 3)).ToDictionary(p => p[1], p => p[2]);

    [TestCase("..", "exec failed: .. is not a sub cgroup path")]
    [TestCase("whaaat:/", "exec failed: unknown controller whaaat in SubCgroupPaths")]
    [TestCase("cpu:nonexistent", "/cpu/runcs-it-sub/{id}/nonexistent/cgroup.procs: no such file or directory")]
    [TestCase("nonexistent", "/nonexistent/cgroup.procs: no such file or directory")]
    public void AnUnusableSubCgroupIsRefusedAndStartsNothing(string arg, string message)
    {
        var r = _b.Runcs("exec", "--cgroup", arg, _b.Id, "true");
        Assert.That(r.ExitCode, Is.EqualTo(255), r.ToString());
        Assert.That(r.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1), "one line");
        Assert.That(r.Stderr, Does.Contain(message.Replace("{id}", _b.Id)), r.ToString());
        if (arg.Contains("nonexistent"))
            Assert.That(r.Stderr, Does.Contain(" adding pid "), "runc's words, which its suite matches");
        Assert.That(File.ReadAllLines(Dir("pids") + "/cgroup.procs"), Has.Length.EqualTo(1), "only the init is in the container");
    }

    [Test]
    public void TheContainersOwnCgroupImplicitlyAndExplicitly()
    {
        foreach (var args in new[] { new[] { "exec" }, ["exec", "--cgroup", "/"] })
        {
            var r = _b.Runcs([.. args, _b.Id, "cat", "/proc/self/cgroup"]);
            Assert.That(r.ExitCode, Is.Zero, r.ToString());
            Assert.That(CgroupOf(r).Values, Has.All.EqualTo(_rel), r.Stdout);
        }
    }

    [Test]
    public void PerControllerSubCgroups()
    {
        foreach (var h in new[] { "memory", "cpu", "cpuacct" })
            Directory.CreateDirectory(Dir(h) + (h == "memory" ? "/submem" : "/subcpu"));
        var r = _b.Runcs("exec", "--cgroup", "memory:submem", "--cgroup", "cpu,cpuacct:subcpu", _b.Id, "cat", "/proc/self/cgroup");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        var cgroups = CgroupOf(r);
        Assert.That(cgroups["memory"], Is.EqualTo(_rel + "/submem"));
        Assert.That(cgroups["cpu"], Is.EqualTo(_rel + "/subcpu"));
        Assert.That(cgroups["cpuacct"], Is.EqualTo(_rel + "/subcpu"));
        Assert.That(cgroups["pids"], Is.EqualTo(_rel), "a controller not named keeps the container's cgroup");
        Assert.That(cgroups[""], Is.EqualTo(_rel), "so does the unified hierarchy");
    }

    [Test]
    public void ABarePathIsTheSubCgroupInEveryHierarchy()
    {
        foreach (var h in Directory.GetDirectories("/sys/fs/cgroup").Where(h => Directory.Exists(h + _rel)))
            Directory.CreateDirectory(h + _rel + "/sub");
        // A v1 cpuset cgroup starts with no CPUs and no memory nodes; nothing can join it until it has some.
        foreach (var file in new[] { "cpuset.cpus", "cpuset.mems" })
            File.WriteAllText($"{Dir("cpuset")}/sub/{file}", File.ReadAllText($"{Dir("cpuset")}/{file}"));
        var r = _b.Runcs("exec", "--cgroup", "sub", _b.Id, "cat", "/proc/self/cgroup");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(CgroupOf(r).Values, Has.All.EqualTo(_rel + "/sub"), r.Stdout);
    }

    [Test]
    public void ADetachedExecStaysInItsSubCgroup()
    {
        Directory.CreateDirectory(Dir("pids") + "/exec_pidfd");
        var pidFile = Path.Combine(_b.Dir, "exec.pid");
        var r = _b.Runcs("exec", "-d", "--cgroup", "pids:exec_pidfd", "--pid-file", pidFile, _b.Id, "sleep", "300");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(File.ReadAllText(Dir("pids") + "/exec_pidfd/cgroup.procs").Trim(), Is.EqualTo(File.ReadAllText(pidFile).Trim()));
    }
}
