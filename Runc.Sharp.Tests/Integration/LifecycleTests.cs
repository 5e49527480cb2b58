using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>create → start → kill → delete, observed through state, the pid file and the host.</summary>
[TestFixture]
[NonParallelizable]
public class LifecycleTests
{
    [Test]
    public void CreateStartKillDelete()
    {
        using var b = new TestBundle("sleep", "300");
        var pidFile = Path.Combine(b.Dir, "init.pid");
        var c = b.Create("--pid-file", pidFile);
        Assert.That(c.ExitCode, Is.Zero, c.ToString());
        Assert.That(c.Stdout, Is.Empty);

        var state = b.State();
        Assert.That(state["status"]!.GetValue<string>(), Is.EqualTo("created"));
        Assert.That(state["id"]!.GetValue<string>(), Is.EqualTo(b.Id));
        Assert.That(state["bundle"]!.GetValue<string>(), Is.EqualTo(b.Dir));
        var pidText = File.ReadAllText(pidFile);
        Assert.That(pidText, Does.Match("^[0-9]+$"), "pid file holds digits only");
        Assert.That(state["pid"]!.GetValue<int>(), Is.EqualTo(int.Parse(pidText)));
        Assert.That(File.Exists(Path.Combine(b.StateRoot, b.Id, "exec.fifo")), Is.True);
        Assert.That(File.ReadAllText($"/proc/{pidText}/cmdline"), Does.StartWith("runcs\0init"), "init waits, not yet the user process");

        var s = b.Runcs("start", b.Id);
        Assert.That(s.ExitCode, Is.Zero, s.ToString());
        Assert.That(b.Status(), Is.EqualTo("running"));
        Assert.That(File.ReadAllText($"/proc/{pidText}/cmdline"), Does.StartWith("sleep\0" + "300"));
        Assert.That(File.Exists(Path.Combine(b.StateRoot, b.Id, "exec.fifo")), Is.False, "start consumes exec.fifo");

        var again = b.Runcs("start", b.Id);
        Assert.That(again.ExitCode, Is.EqualTo(1));
        Assert.That(again.Stderr, Does.Contain("cannot start an already running container"));

        var notStopped = b.Runcs("delete", b.Id);
        Assert.That(notStopped.ExitCode, Is.EqualTo(1));
        Assert.That(notStopped.Stderr, Does.Contain($"cannot delete container {b.Id} that is not stopped: running"));

        Assert.That(b.Runcs("kill", b.Id, "KILL").ExitCode, Is.Zero);
        WaitFor(() => b.Status() == "stopped");
        Assert.That(b.State()["pid"]!.GetValue<int>(), Is.Zero);

        var dead = b.Runcs("kill", b.Id, "TERM");
        Assert.That(dead.ExitCode, Is.EqualTo(1));
        Assert.That(dead.Stderr, Does.Contain("container not running"));
        Assert.That(b.Runcs("kill", "--all", b.Id, "9").ExitCode, Is.Zero, "kill --all of a stopped container succeeds");

        var d = b.Runcs("delete", b.Id);
        Assert.That(d.ExitCode, Is.Zero, d.ToString());
        Assert.That(b.CgroupDirs(), Is.Empty);
        var gone = b.Runcs("state", b.Id);
        Assert.That(gone.ExitCode, Is.EqualTo(1));
        Assert.That(gone.Stderr, Does.Contain("container does not exist"));
        Assert.That(b.Runcs("delete", b.Id).Stderr, Does.Contain("container does not exist"));
        Assert.That(b.Runcs("delete", "--force", b.Id).ExitCode, Is.Zero);
    }

    [Test]
    public void StateJsonHasRuncsShapeAndNoTrailingNewline()
    {
        using var b = new TestBundle("sleep", "300");
        b.Config["annotations"] = new JsonObject { ["org.example"] = "yes" };
        Assert.That(b.Create().ExitCode, Is.Zero);
        var r = b.Runcs("state", b.Id);
        Assert.That(r.Stdout, Does.Not.EndWith("\n"));
        var keys = JsonNode.Parse(r.Stdout)!.AsObject().Select(kv => kv.Key).ToArray();
        Assert.That(keys, Is.EqualTo(new[] { "ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "annotations", "owner" }));
        Assert.That(b.Runcs("delete", b.Id).ExitCode, Is.Zero, "delete of a created container kills and removes it");
        Assert.That(Directory.Exists(Path.Combine(b.StateRoot, b.Id)), Is.False);
    }

    [Test]
    public void KillDeliversTheSignalToInit()
    {
        using var b = new TestBundle("sh", "-c", "trap 'echo got USR1 > /dev/shm/x; exit 3' USR1; while true; do sleep 0.1; done");
        Assert.That(b.Create().ExitCode, Is.Zero);
        Assert.That(b.Runcs("start", b.Id).ExitCode, Is.Zero);
        Thread.Sleep(300);
        Assert.That(b.Runcs("kill", b.Id, "usr1").ExitCode, Is.Zero);
        WaitFor(() => b.Status() == "stopped");
    }

    [Test]
    public void KillAllSignalsEveryProcessOfTheCgroup()
    {
        using var b = new TestBundle("sh", "-c", "sleep 300 & sleep 300 & wait");
        Assert.That(b.Create().ExitCode, Is.Zero);
        Assert.That(b.Runcs("start", b.Id).ExitCode, Is.Zero);
        WaitFor(() => b.Runcs("ps", "--format", "json", b.Id).Stdout.Split(',').Length == 3);
        var ps = JsonNode.Parse(b.Runcs("ps", "--format", "json", b.Id).Stdout)!.AsArray();
        Assert.That(b.Runcs("kill", "--all", b.Id, "KILL").ExitCode, Is.Zero);
        WaitFor(() => b.Status() == "stopped");
        foreach (var pid in ps)
            WaitFor(() => !File.Exists($"/proc/{pid!.GetValue<int>()}/cmdline") || File.ReadAllText($"/proc/{pid!.GetValue<int>()}/stat").Contains(") Z "));
        Assert.That(b.Runcs("delete", b.Id).ExitCode, Is.Zero);
    }

    [Test]
    public void DeleteForceKillsARunningContainer()
    {
        using var b = new TestBundle("sleep", "300");
        Assert.That(b.Create().ExitCode, Is.Zero);
        Assert.That(b.Runcs("start", b.Id).ExitCode, Is.Zero);
        var before = Runcs.InitProcesses();
        var pid = b.State()["pid"]!.GetValue<int>();
        var d = b.Runcs("delete", "--force", b.Id);
        Assert.That(d.ExitCode, Is.Zero, d.ToString());
        Assert.That(ProcessGone(pid), Is.True);
        b.AssertNothingLeft(before);
    }

    [Test]
    public void RunDetachedThenListShowsIt()
    {
        using var b = new TestBundle("sleep", "300");
        var r = b.Run("--detach");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(b.Status(), Is.EqualTo("running"));
        var list = b.Runcs("list", "--format", "json");
        var entry = JsonNode.Parse(list.Stdout)!.AsArray().Single()!;
        Assert.That(entry["id"]!.GetValue<string>(), Is.EqualTo(b.Id));
        Assert.That(entry["owner"]!.GetValue<string>(), Is.EqualTo("root"));
        var table = b.Runcs("list").Stdout.Split('\n');
        Assert.That(table[0], Does.StartWith("ID"));
        Assert.That(table[1], Does.StartWith(b.Id).And.Contain("running"));
        Assert.That(b.Runcs("list", "-q").Stdout, Is.EqualTo(b.Id + "\n"));
        Assert.That(b.Runcs("delete", "-f", b.Id).ExitCode, Is.Zero);
        Assert.That(b.Runcs("list", "--format=json").Stdout, Is.EqualTo("null\n"));
    }

    [Test]
    public void RunKeepLeavesAStoppedContainer()
    {
        using var b = new TestBundle("true");
        Assert.That(b.Run("--keep").ExitCode, Is.Zero);
        Assert.That(b.Status(), Is.EqualTo("stopped"));
        Assert.That(b.Runcs("delete", b.Id).ExitCode, Is.Zero);
    }

    [Test]
    public void PauseAndResumeFreezeTheContainer()
    {
        using var b = new TestBundle("sh", "-c", "while true; do date +%s%N > /dev/shm/tick; sleep 0.05; done");
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        Assert.That(b.Runcs("pause", b.Id).ExitCode, Is.Zero);
        Assert.That(b.Status(), Is.EqualTo("paused"));
        var pid = b.State()["pid"]!.GetValue<int>();
        var ticks1 = File.ReadAllText($"/proc/{pid}/root/dev/shm/tick");
        Thread.Sleep(400);
        Assert.That(File.ReadAllText($"/proc/{pid}/root/dev/shm/tick"), Is.EqualTo(ticks1), "a frozen container makes no progress");
        Assert.That(b.Runcs("pause", b.Id).Stderr, Does.Contain("container not running"));
        Assert.That(b.Runcs("resume", b.Id).ExitCode, Is.Zero);
        Assert.That(b.Status(), Is.EqualTo("running"));
        WaitFor(() => File.ReadAllText($"/proc/{pid}/root/dev/shm/tick") != ticks1);
        Assert.That(b.Runcs("resume", b.Id).Stderr, Does.Contain("container not paused"));
        Assert.That(b.Runcs("delete", "--force", b.Id).ExitCode, Is.Zero);
    }

    [Test]
    public void FiftyConcurrentCommandsOnOneIdSerialise()
    {
        using var b = new TestBundle("sleep", "300");
        Assert.That(b.Create().ExitCode, Is.Zero);
        var results = Enumerable.Range(0, 50).AsParallel().WithDegreeOfParallelism(50)
            .Select(i => i % 2 == 0 ? b.Runcs("pause", b.Id) : b.Runcs("resume", b.Id)).ToList();
        foreach (var r in results)
            Assert.That(r.Stderr, Does.Not.Contain("Unhandled").And.Not.Contain("corrupt"), r.ToString());
        Assert.That(b.Status(), Is.AnyOf("created", "paused"));
        var deletes = Enumerable.Range(0, 50).AsParallel().WithDegreeOfParallelism(50)
            .Select(_ => b.Runcs("delete", "--force", b.Id)).ToList();
        Assert.That(deletes.All(d => d.ExitCode == 0), Is.True, string.Join("\n", deletes.Where(d => d.ExitCode != 0)));
        Assert.That(Directory.Exists(Path.Combine(b.StateRoot, b.Id)), Is.False);
        Assert.That(b.CgroupDirs(), Is.Empty);
    }

    public static bool ProcessGone(int pid)
    {
        for (int i = 0; i < 100; i++)
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat) || File.ReadAllText(stat).Contains(") Z ", StringComparison.Ordinal))
                return true;
            Thread.Sleep(20);
        }
        return false;
    }

    public static void WaitFor(Func<bool> condition, int timeoutMs = 10000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                Assert.Fail("condition not met in time");
            Thread.Sleep(20);
        }
    }
}
