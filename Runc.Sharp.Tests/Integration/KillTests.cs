using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// kill as runc 1.3 does it: without a pid namespace of its own, the init's death does not end
/// the other processes, so SIGKILL goes to every process of the cgroup; --all reaches them after
/// the init is gone (a pod's shared pid namespace); signal 0 checks that the init exists.
/// </summary>
[TestFixture]
[NonParallelizable]
public class KillTests
{
    private static TestBundle HostPidNamespace()
    {
        var b = new TestBundle("sleep", "300");
        b.Linux["namespaces"] = new JsonArray(b.Linux["namespaces"]!.AsArray()
            .Where(n => n!["type"]!.GetValue<string>() != "pid").Select(n => n!.DeepClone()).ToArray());
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        for (int i = 0; i < 3; i++)
            Assert.That(b.Runcs("exec", "-d", b.Id, "sleep", "300").ExitCode, Is.Zero);
        return b;
    }

    private static int[] Processes(TestBundle b)
    {
        var ps = b.Runcs("ps", "--format", "json", b.Id);
        Assert.That(ps.ExitCode, Is.Zero, ps.ToString());
        return JsonNode.Parse(ps.Stdout)!.AsArray().Select(p => p!.GetValue<int>()).ToArray();
    }

    private static void AssertGone(IEnumerable<int> pids)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        var left = pids.ToList();
        while (left.Count > 0 && DateTime.UtcNow < deadline)
        {
            left = left.Where(p => Linux.ProcStat.Read(p) is { IsDead: false }).ToList();
            Thread.Sleep(20);
        }
        Assert.That(left, Is.Empty, "processes of the container still alive");
    }

    [Test]
    public void SigkillReachesEveryProcessWithoutAPidNamespace()
    {
        using var b = HostPidNamespace();
        var pids = Processes(b);
        Assert.That(pids, Has.Length.EqualTo(4));
        Assert.That(b.Runcs("kill", b.Id, "KILL").ExitCode, Is.Zero);
        AssertGone(pids);
        Assert.That(b.Status(), Is.EqualTo("stopped"));
    }

    [Test]
    public void SigkillReachesTheRestAfterTheInitDied()
    {
        using var b = HostPidNamespace();
        var pids = Processes(b);
        var init = b.State()["pid"]!.GetValue<int>();
        Linux.Native.Libc.kill(init, 9);
        AssertGone([init]);
        Assert.That(b.Status(), Is.EqualTo("stopped"));
        Assert.That(b.Runcs("kill", b.Id, "KILL").ExitCode, Is.Zero, "the container's processes outlived its init");
        AssertGone(pids);
        Assert.That(b.Runcs("kill", b.Id, "KILL"), Is.EqualTo(new ProcResult(1, "", "runcs: container not running\n")));
        Assert.That(b.Runcs("kill", "--all", b.Id, "KILL").ExitCode, Is.Zero, "--all of a stopped container is no error");
    }

    [Test]
    public void AllSendsAnySignalToEveryProcessAfterTheInitDied()
    {
        using var b = HostPidNamespace();
        var pids = Processes(b);
        var init = b.State()["pid"]!.GetValue<int>();
        Linux.Native.Libc.kill(init, 9);
        AssertGone([init]);
        Assert.That(b.Runcs("kill", "--all", b.Id, "TERM").ExitCode, Is.Zero);
        AssertGone(pids);
    }

    [Test]
    public void SigtermEndsAContainerThatWasNeverStarted()
    {
        // runc's suite, pidfd-socket.bats "create [--pidfd-socket]": the parked init is pid 1 of its
        // namespace, which gets only the signals it handles; runc's (and runcs's) handles SIGTERM.
        using var b = new TestBundle("sleep", "300");
        Assert.That(b.Create().ExitCode, Is.Zero);
        Assert.That(b.Runcs("kill", b.Id, "TERM").ExitCode, Is.Zero);
        LifecycleTests.WaitFor(() => b.Status() == "stopped");
    }

    [Test]
    public void SignalZeroChecksTheInitExists()
    {
        using var b = new TestBundle("sleep", "300");
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        Assert.That(b.Runcs("kill", b.Id, "0"), Is.EqualTo(new ProcResult(0, "", "")));
        Assert.That(b.Status(), Is.EqualTo("running"), "signal 0 delivers nothing");
        Assert.That(b.Runcs("kill", b.Id, "KILL").ExitCode, Is.Zero);
        AssertGone([b.State()["pid"]!.GetValue<int>()]);
        Assert.That(b.Runcs("kill", b.Id, "0"), Is.EqualTo(new ProcResult(1, "", "runcs: container not running\n")));
    }
}
