using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>process.*: checked from inside the container.</summary>
[TestFixture]
[NonParallelizable]
public class ProcessTests
{
    private static ProcResult RunShell(string script, Action<TestBundle>? configure = null) => TestBundle.RunShell(script, configure);

    [Test]
    public void RunPrintsOutputAndExitsWithTheContainerStatus()
    {
        var r = RunShell("echo hello; exit 7");
        Assert.That(r.Stdout, Is.EqualTo("hello\n"));
        Assert.That(r.ExitCode, Is.EqualTo(7));
    }

    [Test]
    public void KilledContainerExitsWith128PlusSignal()
    {
        using var b = new TestBundle("sleep", "300");
        b.Save();
        // run in the foreground, and SIGKILL the container from outside once it runs.
        var run = Task.Run(() => b.Runcs("run", "--bundle", b.Dir, b.Id));
        LifecycleTests.WaitFor(() => b.Runcs("state", b.Id) is { ExitCode: 0 } s && s.Stdout.Contains("\"running\""));
        Assert.That(b.Runcs("kill", b.Id, "KILL").ExitCode, Is.Zero);
        var r = run.Result;
        Assert.That(r.ExitCode, Is.EqualTo(128 + 9), r.ToString());
    }

    [Test]
    public void SignalsToRunAreForwardedToTheContainer()
    {
        using var b = new TestBundle("sh", "-c", "trap 'exit 42' TERM; while true; do sleep 0.05; done");
        b.Save();
        var psi = new System.Diagnostics.ProcessStartInfo(Runcs.Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--root", b.StateRoot, "run", "--bundle", b.Dir, b.Id })
            psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        LifecycleTests.WaitFor(() => b.Runcs("state", b.Id) is { ExitCode: 0 } s && s.Stdout.Contains("\"running\""));
        Thread.Sleep(200);
        Assert.That(Linux.Native.Libc.kill(p.Id, 15), Is.Zero);
        Assert.That(p.WaitForExit(10000), Is.True);
        Assert.That(p.ExitCode, Is.EqualTo(42), "runcs run exits with the container's status after forwarding SIGTERM");
    }

    [Test]
    public void InitIsPid1InItsOwnPidNamespace()
    {
        var r = RunShell("echo $$; ps -o pid | wc -l");
        Assert.That(r.Stdout.Split('\n')[0], Is.EqualTo("1"), r.ToString());
    }

    [TestCase(false)]
    [TestCase(true)]
    public void TimeOffsetsShiftTheContainersClocksAndInitIsStillPid1(bool userNamespace)
    {
        var r = RunShell("echo $$; cut -d. -f1 /proc/uptime; cat /proc/self/timens_offsets", b =>
        {
            b.Linux["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "time" });
            b.Linux["timeOffsets"] = new JsonObject
            {
                ["boottime"] = new JsonObject { ["secs"] = 100_000_000, ["nanosecs"] = 0 },
                ["monotonic"] = new JsonObject { ["secs"] = -5, ["nanosecs"] = 7 },
            };
            if (userNamespace)
                b.InUserNamespace();
        });
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("1"), $"the init is pid 1 of its pid namespace: {r}");
        var hostUptime = long.Parse(File.ReadAllText("/proc/uptime").Split('.')[0]);
        Assert.That(long.Parse(lines[1]), Is.InRange(100_000_000 + hostUptime - 5, 100_000_000 + hostUptime + 5), "boottime (uptime) is shifted");
        var offsets = lines[2..].Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.That(offsets, Is.EquivalentTo(new[] { "monotonic -5 7", "boottime 100000000 0" }));
    }

    /// <summary>runc's personality.bats with flags: LINUX32 applies (uname -m), the flags (none defined by the spec) only warn, as runc 1.3 does.</summary>
    [Test]
    public void PersonalityLinux32WithFlagsRunsAndWarns()
    {
        using var b = new TestBundle("uname", "-m");
        b.Linux["personality"] = new JsonObject { ["domain"] = "LINUX32", ["flags"] = new JsonArray("ADDR_NO_RANDOMIZE") };
        var r = b.Run();
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.Stdout, Is.EqualTo("i686\n"));
        Assert.That(r.Stderr, Does.Contain("ignoring unsupported personality flags: [ADDR_NO_RANDOMIZE] because personality flag has not supported at this time"));
    }

    [Test]
    public void HostnameAndDomainname()
    {
        var r = RunShell("hostname; cat /proc/sys/kernel/domainname", b =>
        {
            b.Config["hostname"] = "box-one";
            b.Config["domainname"] = "example.test";
        });
        Assert.That(r.Stdout, Is.EqualTo("box-one\nexample.test\n"), r.ToString());
    }

    [Test]
    public void UserGroupsAndUmask()
    {
        var r = RunShell("id -u; id -g; id -G; umask", b =>
        {
            b.Process["user"] = new JsonObject { ["uid"] = 1000, ["gid"] = 1000, ["additionalGids"] = new JsonArray(5, 65534), ["umask"] = 63 };
        });
        Assert.That(r.Stdout, Is.EqualTo("1000\n1000\n1000 5 65534\n0077\n"), r.ToString());
    }

    [Test]
    public void EnvCwdAndHome()
    {
        var r = RunShell("echo $FOO; pwd; echo $HOME", b =>
        {
            b.Process["env"] = new JsonArray("PATH=/bin:/usr/bin", "FOO=bar baz");
            b.Process["cwd"] = "/tmp";
        });
        Assert.That(r.Stdout, Is.EqualTo("bar baz\n/tmp\n/root\n"), r.ToString());
    }

    [Test]
    public void CapabilitySetsAreExactlyTheConfiguredOnes()
    {
        // CAP_KILL (5), CAP_NET_BIND_SERVICE (10), CAP_SYS_CHROOT (18) → 0x40420; ambient: NET_BIND_SERVICE only.
        var r = RunShell("grep ^Cap /proc/self/status", b =>
        {
            var set = new JsonArray("CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT");
            b.Process["capabilities"] = new JsonObject
            {
                ["bounding"] = set.DeepClone(), ["effective"] = set.DeepClone(), ["permitted"] = set.DeepClone(),
                ["inheritable"] = new JsonArray("CAP_NET_BIND_SERVICE"), ["ambient"] = new JsonArray("CAP_NET_BIND_SERVICE"),
            };
            b.Process["noNewPrivileges"] = false;
        });
        Assert.That(r.Stdout, Does.Contain("CapInh:\t0000000000000400"), r.ToString());
        Assert.That(r.Stdout, Does.Contain("CapPrm:\t0000000000040420"));
        Assert.That(r.Stdout, Does.Contain("CapEff:\t0000000000040420"));
        Assert.That(r.Stdout, Does.Contain("CapBnd:\t0000000000040420"));
        Assert.That(r.Stdout, Does.Contain("CapAmb:\t0000000000000400"));
    }

    [Test]
    public void AmbientCapabilitiesThatAreNotInheritableAreAWarning()
    {
        // runc 1.1's `spec` made such bundles, and runc runs them: CAP_KILL is raised, CAP_CHOWN only warned about.
        var r = RunShell("grep ^CapAmb /proc/self/status", b =>
        {
            b.Process["capabilities"]!["inheritable"] = new JsonArray("CAP_KILL");
            b.Process["capabilities"]!["ambient"] = new JsonArray("CAP_KILL", "CAP_CHOWN");
        });
        Assert.That(r, Is.EqualTo(new ProcResult(0, "CapAmb:\t0000000000000020\n",
            "runcs: warning: can't raise ambient capability CAP_CHOWN: operation not permitted\n")));
    }

    [Test]
    public void ADeadlineSchedulerWithACpusetIsNamed()
    {
        // runc's suite, scheduler.bats "scheduler vs cpus".
        using var b = new TestBundle("true");
        b.Linux["resources"]!["cpu"] = new JsonObject { ["cpus"] = "0" };
        b.Process["scheduler"] = new JsonObject { ["policy"] = "SCHED_DEADLINE", ["nice"] = 19, ["runtime"] = 42000, ["deadline"] = 1000000, ["period"] = 1000000 };
        Assert.That(b.Run(), Is.EqualTo(new ProcResult(1, "",
            "runcs: run failed: process.scheduler: process scheduler can't be used together with AllowedCPUs (linux.resources.cpu.cpus)\n")));
    }

    [Test]
    public void ACwdOnlyRootCanEnterIsEnteredBeforeTheUserSwitch()
    {
        // runc's suite, cwd.bats "create can chdir if runc has access".
        var r = RunShell("pwd; id -u", b =>
        {
            b.Config["mounts"]!.AsArray().Add(TestBundle.Mount("/tmp", "tmpfs", "tmpfs", "mode=700"));
            b.Process["cwd"] = "/tmp";
            b.Process["user"] = new JsonObject { ["uid"] = 42, ["gid"] = 42 };
        });
        Assert.That(r, Is.EqualTo(new ProcResult(0, "/tmp\n42\n", "")));
    }

    [Test]
    public void AMissingCwdNamesItInOneLine()
    {
        using var b = new TestBundle("true");
        b.Process["cwd"] = "/no/such/dir";
        var r = b.Run();
        Assert.That(r, Is.EqualTo(new ProcResult(1, "",
            "runcs: run failed: chdir to cwd (\"/no/such/dir\") set in config.json (process.cwd): no such file or directory\n")));
    }

    [Test]
    public void NonRootUserKeepsOnlyAmbientCapabilities()
    {
        var r = RunShell("grep -E '^Cap(Eff|Amb)' /proc/self/status", b =>
        {
            b.Process["user"] = new JsonObject { ["uid"] = 1000, ["gid"] = 1000 };
            var set = new JsonArray("CAP_NET_BIND_SERVICE");
            b.Process["capabilities"] = new JsonObject
            {
                ["bounding"] = set.DeepClone(), ["effective"] = set.DeepClone(), ["permitted"] = set.DeepClone(),
                ["inheritable"] = set.DeepClone(), ["ambient"] = set.DeepClone(),
            };
        });
        Assert.That(r.Stdout, Is.EqualTo("CapEff:\t0000000000000400\nCapAmb:\t0000000000000400\n"), r.ToString());
    }

    [Test]
    public void NoNewPrivilegesIsSet()
    {
        var r = RunShell("grep NoNewPrivs /proc/self/status", b => b.Process["noNewPrivileges"] = true);
        Assert.That(r.Stdout, Is.EqualTo("NoNewPrivs:\t1\n"), r.ToString());
    }

    [Test]
    public void RlimitsApply()
    {
        var r = RunShell("ulimit -n; ulimit -Hn; ulimit -c", b =>
        {
            b.Process["rlimits"] = new JsonArray(
                new JsonObject { ["type"] = "RLIMIT_NOFILE", ["soft"] = 512, ["hard"] = 768 },
                new JsonObject { ["type"] = "RLIMIT_CORE", ["soft"] = 0, ["hard"] = 0 });
        });
        Assert.That(r.Stdout, Is.EqualTo("512\n768\n0\n"), r.ToString());
    }

    [Test]
    public void RlimitAboveTheHostHardLimitFailsNamingTheLimit()
    {
        using var b = new TestBundle("true");
        b.Process["rlimits"] = new JsonArray(new JsonObject { ["type"] = "RLIMIT_NOFILE", ["soft"] = 1 << 30, ["hard"] = 1 << 30 });
        var before = Runcs.InitProcesses();
        var r = b.Run();
        Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
        Assert.That(r.Stderr, Does.Contain("RLIMIT_NOFILE").And.Contain("process.rlimits[0]"));
        b.AssertNothingLeft(before);
    }

    [Test]
    public void OomScoreAdj()
    {
        var r = RunShell("cat /proc/self/oom_score_adj", b => b.Process["oomScoreAdj"] = 500);
        Assert.That(r.Stdout, Is.EqualTo("500\n"), r.ToString());
    }

    [Test]
    public void OnlyStdioReachesTheContainer()
    {
        var r = RunShell("ls /proc/self/fd");
        // 0, 1, 2 and the descriptor ls itself opens on /proc/self/fd.
        Assert.That(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(4), r.ToString());
    }

    [Test]
    public void PreserveFdsPassesExtraDescriptors()
    {
        using var b = new TestBundle("sh", "-c", "cat <&3");
        b.Save();
        var file = Path.Combine(b.Dir, "extra.txt");
        File.WriteAllText(file, "through fd 3\n");
        // bash opens fd 3 on the file, then execs runcs with it.
        var r = Runcs.Exec("/bin/bash", ["-c", $"exec 3<{file}; exec {Runcs.Binary} --root {b.StateRoot} run --preserve-fds 1 --bundle {b.Dir} {b.Id}"]);
        Assert.That(r.Stdout, Is.EqualTo("through fd 3\n"), r.ToString());
    }

    [Test]
    public void MissingExecutableFailsAtCreateWithARunclikeMessage()
    {
        using var b = new TestBundle("no-such-binary");
        var before = Runcs.InitProcesses();
        var r = b.Run();
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr.Trim(), Is.EqualTo("runcs: run failed: exec: \"no-such-binary\": executable file not found in $PATH"));
        b.AssertNothingLeft(before);
    }
}
