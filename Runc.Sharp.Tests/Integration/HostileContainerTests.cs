using System.Diagnostics;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// Containers that fight back cannot hang runcs: kill and delete of a fork bomb held by a
/// pids limit, of a frozen (paused) container, of stopped processes and of processes in
/// uninterruptible sleep finish within a bounded time and leave no state, cgroup, mount or
/// process.
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

    private static IEnumerable<int> CgroupPids(TestBundle b) =>
        b.CgroupDirs().Where(d => File.Exists(Path.Combine(d, "cgroup.procs")))
            .SelectMany(d => File.ReadAllLines(Path.Combine(d, "cgroup.procs"))).Select(int.Parse).Distinct();

    private static int CgroupProcs(TestBundle b) =>
        b.CgroupDirs().Where(d => File.Exists(Path.Combine(d, "cgroup.procs")))
            .Sum(d => File.ReadAllLines(Path.Combine(d, "cgroup.procs")).Length);

    /// <summary>The one-letter state of /proc/PID/stat, the field after the parenthesised name.</summary>
    private static char? ProcState(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2];
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Runs the container detached until <paramref name="hostile"/> holds, optionally pauses it,
    /// then each of <paramref name="commands"/> (kill, delete) must finish within the bound and succeed,
    /// and nothing of the container may be left.
    /// </summary>
    private static void EndsCleanly(TestBundle b, Func<bool> hostile, bool pause, params string[][] commands)
    {
        var before = Runcs.InitProcesses();
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        LifecycleTests.WaitFor(hostile);
        if (pause)
        {
            Assert.That(b.Runcs("pause", b.Id).ExitCode, Is.Zero);
            Assert.That(b.Status(), Is.EqualTo("paused"));
        }
        foreach (var command in commands)
        {
            var r = Timed(b, command);
            Assert.That(r.ExitCode, Is.Zero, r.ToString());
        }
        b.AssertNothingLeft(before);
    }

    [Test]
    public void AForkBombUnderAPidsLimitIsKilledAndDeleted()
    {
        // Every process forks two more and waits for them: the tree fills the limit and stays.
        using var b = new TestBundle("sh", "-c", "bomb() { bomb & bomb & wait; }; bomb");
        b.Linux["resources"] = new JsonObject { ["pids"] = new JsonObject { ["limit"] = 64 } };
        // The bomb is running into the limit once the pids controller has refused forks.
        EndsCleanly(b, () => b.CgroupDirs().Select(d => Path.Combine(d, "pids.events")).Where(File.Exists).Any(f => File.ReadAllText(f).Trim() != "max 0"),
            pause: false, ["kill", "--all", b.Id, "KILL"], ["delete", "--force", b.Id]);
    }

    [Test]
    public void AFrozenContainerIsDeletedWithoutThawingItFirst()
    {
        using var b = new TestBundle("sh", "-c", "for i in 1 2 3 4 5 6 7 8; do sleep 1000 & done; wait");
        EndsCleanly(b, () => CgroupProcs(b) >= 9, pause: true, ["delete", "--force", b.Id]);
    }

    [Test]
    public void KillAllOfAFrozenContainerThenDeleteCompletes()
    {
        using var b = new TestBundle("sh", "-c", "sleep 1000 & sleep 1000 & wait");
        EndsCleanly(b, () => CgroupProcs(b) >= 3, pause: true, ["kill", "--all", b.Id, "KILL"], ["delete", "--force", b.Id]);
    }

    [Test]
    public void StoppedProcessesAreKilledAndDeleted()
    {
        // pid 1 cannot stop itself (the kernel drops SIGSTOP from inside), so its children do.
        using var b = new TestBundle("sh", "-c", "sleep 1000 & kill -STOP $!; sh -c 'kill -STOP $$' & wait");
        EndsCleanly(b, () => CgroupProcs(b) >= 3 && File.ReadAllText($"/proc/{b.State()["pid"]!.GetValue<int>()}/status").Contains("State:\tS"),
            pause: false, ["delete", "--force", b.Id]);
    }

    [Test]
    public void ProcessesInUninterruptibleSleepAreKilledAndDeleted()
    {
        // Two readers of a FUSE mount whose daemon never answers wait in the kernel in state D,
        // where no signal but SIGKILL reaches them. The mount sits in the rootfs, so the
        // container's rbind of it carries it in without runcs touching it.
        using var rootfs = new Breakouts.PrivateRootfs();
        using var fuse = new HungFuseMount(rootfs["/hung"]);
        using var b = new TestBundle("sh", "-c", "cat /hung/a & ls /hung/b & wait");
        rootfs.Use(b);
        EndsCleanly(b, () => CgroupPids(b).Count(pid => ProcState(pid) == 'D') >= 2,
            pause: false, ["delete", "--force", b.Id]);
    }

    [Test]
    public void KillAllEmptiesAForkingCgroup()
    {
        // Processes that fork as fast as the pids limit lets them; kill --all (cgroup.kill,
        // which no fork can race, where the unified hierarchy has it) must leave none.
        using var b = new TestBundle("sh", "-c", "spin() { while true; do spin & wait; done; }; spin & spin & spin & wait");
        b.Linux["resources"] = new JsonObject { ["pids"] = new JsonObject { ["limit"] = 64 } };
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        LifecycleTests.WaitFor(() => CgroupProcs(b) >= 8);
        var kill = Timed(b, "kill", "--all", b.Id, "KILL");
        Assert.That(kill.ExitCode, Is.Zero, kill.ToString());
        LifecycleTests.WaitFor(() => CgroupProcs(b) == 0, timeoutMs: 2000);
        Assert.That(b.Runcs("delete", b.Id).ExitCode, Is.Zero);
    }
}
