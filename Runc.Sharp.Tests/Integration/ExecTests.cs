using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>`exec` into a running container: namespaces, cgroup, user, env, exit codes.</summary>
[TestFixture]
[NonParallelizable]
public class ExecTests
{
    private static TestBundle Running()
    {
        var b = new TestBundle("sh", "-c", "echo marker > /dev/shm/m; hostname; sleep 300");
        b.Config["hostname"] = "exec-box";
        var r = b.Run("-d");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        return b;
    }

    [Test]
    public void ExecJoinsTheContainersNamespacesAndCgroup()
    {
        using var b = Running();
        var init = b.State()["pid"]!.GetValue<int>();
        var r = b.Runcs("exec", b.Id, "sh", "-c", "hostname; cat /dev/shm/m; echo $$; readlink /proc/1/exe; cat /proc/self/cgroup | grep pids");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        var lines = r.Stdout.Split('\n');
        Assert.That(lines[0], Is.EqualTo("exec-box"));
        Assert.That(lines[1], Is.EqualTo("marker"), "same mount namespace (its /dev/shm)");
        Assert.That(int.Parse(lines[2]), Is.GreaterThan(1), "a new pid in the container's pid namespace");
        Assert.That(lines[3], Is.EqualTo("/bin/busybox"), "pid 1 of that namespace is the container's init");
        Assert.That(lines[4], Does.EndWith(":pids:/"), "in the container's cgroup, which is its cgroup namespace root");
        Assert.That(File.ReadAllLines($"/proc/{init}/cgroup").First(l => l.Contains(":pids:")), Does.EndWith("/" + b.Id));
        var ps = JsonNode.Parse(b.Runcs("ps", "--format", "json", b.Id).Stdout)!.AsArray();
        Assert.That(ps.Count, Is.EqualTo(1), "the exec'd process has exited and left the cgroup");
        Assert.That(b.Runcs("delete", "-f", b.Id).ExitCode, Is.Zero);
    }

    [Test]
    public void ExecExitCodeUserAndEnv()
    {
        using var b = Running();
        var r = b.Runcs("exec", "-u", "1000:1000", "-g", "5", "-e", "GREETING=hi", "--cwd", "/tmp", b.Id, "sh", "-c", "id -u; id -G; echo $GREETING; pwd; exit 42");
        Assert.That(r.ExitCode, Is.EqualTo(42), r.ToString());
        Assert.That(r.Stdout, Is.EqualTo("1000\n1000 5\nhi\n/tmp\n"));
        Assert.That(b.Runcs("delete", "-f", b.Id).ExitCode, Is.Zero);
    }

    [Test]
    public void ExecWithProcessFileAndDetachWritesPidFile()
    {
        using var b = Running();
        var processFile = Path.Combine(b.Dir, "process.json");
        File.WriteAllText(processFile, new JsonObject
        {
            ["args"] = new JsonArray("sleep", "200"),
            ["cwd"] = "/",
            ["env"] = new JsonArray("PATH=/bin"),
            ["user"] = new JsonObject { ["uid"] = 0, ["gid"] = 0 },
        }.ToJsonString());
        var pidFile = Path.Combine(b.Dir, "exec.pid");
        var r = b.Runcs("exec", "--process", processFile, "--detach", "--pid-file", pidFile, b.Id);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        var pid = int.Parse(File.ReadAllText(pidFile));
        Assert.That(File.ReadAllText($"/proc/{pid}/cmdline"), Is.EqualTo("sleep\0" + "200\0"));
        Assert.That(b.Runcs("delete", "-f", b.Id).ExitCode, Is.Zero);
        Assert.That(LifecycleTests.ProcessGone(pid), Is.True, "delete --force kills exec'd processes too");
    }

    [Test]
    public void ExecRefusesStoppedAndPausedContainersAndFailsWith255()
    {
        using var b = Running();
        Assert.That(b.Runcs("pause", b.Id).ExitCode, Is.Zero);
        var paused = b.Runcs("exec", b.Id, "true");
        Assert.That(paused.ExitCode, Is.EqualTo(255));
        Assert.That(paused.Stderr, Does.Contain("paused"));
        Assert.That(b.Runcs("resume", b.Id).ExitCode, Is.Zero);
        var missing = b.Runcs("exec", b.Id, "no-such-command");
        Assert.That(missing.ExitCode, Is.EqualTo(255));
        Assert.That(missing.Stderr, Does.Contain("executable file not found"));
        Assert.That(b.Runcs("kill", b.Id, "KILL").ExitCode, Is.Zero);
        LifecycleTests.WaitFor(() => b.Status() == "stopped");
        var stopped = b.Runcs("exec", b.Id, "true");
        Assert.That(stopped.ExitCode, Is.EqualTo(255));
        Assert.That(stopped.Stderr, Does.Contain("cannot exec in a stopped container"));
    }
}
