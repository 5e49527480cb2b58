using System.Diagnostics;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// Containers that fight back cannot hang runcs: kill and delete of a fork bomb held by a
/// pids limit, of a frozen (paused) container, and of stopped processes finish within a
/// bounded time and leave no state, cgroup, mount or process.
/// </summary>
[TestFixture]
[NonParallelizable]
public class HostileContainerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static ProcResult Timed(TestBundle b, params string[] args)
    {
        var sw = Stopwatch.StartNew();
        var r = Runcs.Exec(Runcs.Binary, ["--root", b.StateRoot, .. args], timeout: Bound);
        TestContext.Out.WriteLine($"runcs {string.Join(' ', args)}: {sw.ElapsedMilliseconds} ms");
        return r;
    }

    private static int CgroupProcs(TestBundle b) =>
        b.CgroupDirs().Where(d => File.Exists(Path.Combine(d, "cgroup.procs")))
            .Sum(d => File.ReadAllLines(Path.Combine(d, "cgroup.procs")).Length);

    [Test]
    public void AForkBombUnderAPidsLimitIsKilledAndDeleted()
    {
        // Every process forks two more and waits for them: the tree fills the limit and stays.
        using var b = new TestBundle("sh", "-c", "bomb() { bomb & bomb & wait; }; bomb");
        b.Linux["resources"] = new JsonObject { ["pids"] = new JsonObject { ["limit"] = 64 } };
        var before = Runcs.InitProcesses();
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        // The bomb is running into the limit: the pids controller has refused forks.
        LifecycleTests.WaitFor(() => b.CgroupDirs().Select(d => Path.Combine(d, "pids.events")).Where(File.Exists)
            .Any(f => File.ReadAllText(f).Trim() != "max 0"));
        var kill = Timed(b, "kill", "--all", b.Id, "KILL");
        Assert.That(kill.ExitCode, Is.Zero, kill.ToString());
        var delete = Timed(b, "delete", "--force", b.Id);
        Assert.That(delete.ExitCode, Is.Zero, delete.ToString());
        b.AssertNothingLeft(before);
    }

    [Test]
    public void AFrozenContainerIsDeletedWithoutThawingItFirst()
    {
        using var b = new TestBundle("sh", "-c", "for i in 1 2 3 4 5 6 7 8; do sleep 1000 & done; wait");
        var before = Runcs.InitProcesses();
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        LifecycleTests.WaitFor(() => CgroupProcs(b) >= 9);
        Assert.That(b.Runcs("pause", b.Id).ExitCode, Is.Zero);
        Assert.That(b.Status(), Is.EqualTo("paused"));
        var delete = Timed(b, "delete", "--force", b.Id);
        Assert.That(delete.ExitCode, Is.Zero, delete.ToString());
        b.AssertNothingLeft(before);
    }

    [Test]
    public void KillAllOfAFrozenContainerThenDeleteCompletes()
    {
        using var b = new TestBundle("sh", "-c", "sleep 1000 & sleep 1000 & wait");
        var before = Runcs.InitProcesses();
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        LifecycleTests.WaitFor(() => CgroupProcs(b) >= 3);
        Assert.That(b.Runcs("pause", b.Id).ExitCode, Is.Zero);
        var kill = Timed(b, "kill", "--all", b.Id, "KILL");
        Assert.That(kill.ExitCode, Is.Zero, kill.ToString());
        var delete = Timed(b, "delete", "--force", b.Id);
        Assert.That(delete.ExitCode, Is.Zero, delete.ToString());
        b.AssertNothingLeft(before);
    }

    [Test]
    public void StoppedProcessesAreKilledAndDeleted()
    {
        // pid 1 cannot stop itself (the kernel drops SIGSTOP from inside), so its children do.
        using var b = new TestBundle("sh", "-c", "sleep 1000 & kill -STOP $!; sh -c 'kill -STOP $$' & wait");
        var before = Runcs.InitProcesses();
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        LifecycleTests.WaitFor(() => CgroupProcs(b) >= 3 && File.ReadAllText($"/proc/{b.State()["pid"]!.GetValue<int>()}/status").Contains("State:\tS"));
        var delete = Timed(b, "delete", "--force", b.Id);
        Assert.That(delete.ExitCode, Is.Zero, delete.ToString());
        b.AssertNothingLeft(before);
    }
}
