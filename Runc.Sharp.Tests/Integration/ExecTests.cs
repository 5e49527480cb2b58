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
        b.WithCgroupNamespace();
        var r = b.Run("-d");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        return b;
    }

    [Test]
    public void WithoutACgroupNamespaceExecSeesTheSameCgroupsAsTheInit()
    {
        // runc's suite, cgroups.bats "exec (cgroup v1+hybrid joins correct cgroup)": this host's default spec has no cgroup namespace.
        using var b = new TestBundle("sleep", "300");
        Assert.That(b.Linux["namespaces"]!.AsArray().Select(n => n!["type"]!.GetValue<string>()), Has.No.Member("cgroup"));
        b.Linux["cgroupsPath"] = "/runcs-it-exec/" + b.Id;
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        var init = b.State()["pid"]!.GetValue<int>();
        var r = b.Runcs("exec", b.Id, "cat", "/proc/self/cgroup");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        var unified = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.That(unified, Is.EqualTo(File.ReadAllLines($"/proc/{init}/cgroup")[^1]).And.EndsWith("/runcs-it-exec/" + b.Id));
        b.Runcs("delete", "--force", b.Id);
        // delete removes the container's cgroup, not the parent it made on the way (runc neither).
        foreach (var parent in Directory.GetDirectories("/sys/fs/cgroup").Select(h => h + "/runcs-it-exec").Where(Directory.Exists))
            Directory.Delete(parent);
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

    [Test]
    public void ExecCapAddsToBoundingEffectiveAndPermittedOnly()
    {
        // runc's suite, capabilities.bats "exec --cap": CAP_KILL (5) and CAP_AUDIT_WRITE (26).
        using var b = new TestBundle("sleep", "300");
        b.Process["capabilities"] = new System.Text.Json.Nodes.JsonObject();
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        var r = b.Runcs("exec", "--cap", "CAP_KILL", "--cap", "CAP_AUDIT_WRITE", b.Id, "grep", "^Cap", "/proc/self/status");
        Assert.That(r, Is.EqualTo(new ProcResult(0,
            "CapInh:\t0000000000000000\nCapPrm:\t0000000020000020\nCapEff:\t0000000020000020\nCapBnd:\t0000000020000020\nCapAmb:\t0000000000000000\n", "")));
    }

    [Test]
    public void ExecIntoAMissingCwdIsOneLineAndExit255()
    {
        using var b = Running();
        var r = b.Runcs("exec", "--cwd", "/non-existent/.directory", b.Id, "true");
        Assert.That(r, Is.EqualTo(new ProcResult(255, "",
            "runcs: exec failed: chdir to cwd (\"/non-existent/.directory\") set in config.json (process.cwd): no such file or directory\n")));
    }
}
