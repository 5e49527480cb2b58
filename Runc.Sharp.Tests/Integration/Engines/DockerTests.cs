using System.Diagnostics;
using NUnit.Framework;
using static Runc.Sharp.Tests.Integration.Engines.SideBySide;

namespace Runc.Sharp.Tests.Integration.Engines;

/// <summary>
/// dockerd drives the runtime through its managed containerd and the runc shim, with runcs
/// added by `--add-runtime runcs=PATH` beside Docker's own runc. Each scenario runs with
/// `docker run --runtime runcs` and `--runtime runc`; each must show what it expects, and
/// both must show the same.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DockerTests
{
    private Docker _docker = null!;

    [OneTimeSetUp]
    public void StartDocker()
    {
        _docker = Docker.Start("--add-runtime", $"runcs={Runcs.Binary}");
        _docker.ImportTestImage();
    }

    [OneTimeTearDown]
    public void StopDocker() => _docker?.Dispose();

    private static string[] RunFlags(Runtime runtime, string name) => ["--runtime", runtime.Name, "--network", "none", "--name", name];

    /// <summary>Runs the scenario with each runtime; afterwards neither may have left runtime state or a cgroup.</summary>
    private void Same(Func<Runtime, string, string> scenario, Action<string> expect) => SideBySide.Same("docker", runtime =>
    {
        var name = runtime.ContainerName();
        var transcript = scenario(runtime, name);
        var ids = _docker.Run("ps", "-aq", "--no-trunc", "--filter", $"name={name}").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(ids, Is.Empty, $"{runtime.Name}: the scenario must remove its container");
        return transcript;
    }, expect);

    private string Id(string name) => _docker.Run("inspect", "-f", "{{.Id}}", name).Stdout.Trim();

    /// <summary>`docker rm -f`, then checks that the runtime kept no state and no cgroup of it.</summary>
    private string RemoveForced(Runtime runtime, string name)
    {
        var id = Id(name);
        var running = State(name).StartsWith("running", StringComparison.Ordinal);
        Assert.That(_docker.RuntimeStateDirs(id), running ? Has.Count.EqualTo(1) : Has.Count.LessThanOrEqualTo(1), $"{runtime.Name}: where is the state of {id}?");
        if (running)
            Assert.That(File.Exists(Path.Combine(_docker.RuntimeStateDirs(id)[0], "spec.json")), Is.EqualTo(runtime.Name == "runcs"),
                $"--runtime {runtime.Name} must run {runtime.Binary} (runcs keeps spec.json beside state.json, runc does not)");
        var rm = _docker.Run("rm", "-f", name);
        Assert.Multiple(() =>
        {
            Assert.That(_docker.RuntimeStateDirs(id), Is.Empty, $"{runtime.Name}: runtime state left behind");
            Assert.That(Docker.CgroupDirs(id), Is.Empty, $"{runtime.Name}: cgroup left behind");
        });
        return $"rm -f exit {rm.ExitCode}";
    }

    private string State(string name) => _docker.Run("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}} oom={{.State.OOMKilled}}", name).Stdout.Trim();

    private void WaitForState(string name, string prefix)
    {
        var sw = Stopwatch.StartNew();
        while (!State(name).StartsWith(prefix, StringComparison.Ordinal))
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(30))
                Assert.Fail($"{name} is \"{State(name)}\", not \"{prefix}…\"");
            Thread.Sleep(100);
        }
    }

    /// <summary>Docker applies its default seccomp profile: the shell runs under it (mode 2, a filter).</summary>
    [Test]
    public void RunRmPrintsOutputAndReturnsTheExitCode() => Same((rt, name) =>
        Transcript(_docker.Run(["run", "--rm", .. RunFlags(rt, name), TestImage.Name, "sh", "-c", "echo hello; echo to-stderr >&2; grep Seccomp: /proc/self/status; exit 3"])),
        t => Assert.That(t, Is.EqualTo("exit 3\nhello\nSeccomp:\t2\n")));

    [Test]
    public void RunWithATerminal() => Same((rt, name) =>
        Transcript(Tty.Run(_docker.Argv(["run", "--rm", "-t", .. RunFlags(rt, name), TestImage.Name, "sh", "-c", "tty; test -t 1 && echo stdout-is-tty; exit 2"]))),
        t => Assert.That(t, Is.EqualTo("exit 2\n/dev/pts/0\nstdout-is-tty\n")));

    [Test]
    public void DetachedContainerExecTopStatsPauseUpdateKill() => Same((rt, name) =>
    {
        var run = _docker.Run(["run", "-d", .. RunFlags(rt, name), "--memory", "64m", "--cpus", "0.5", "--pids-limit", "32", TestImage.Name,
            "sh", "-c", "trap 'echo got-usr1' USR1; sleep 1000 & while true; do wait; done"]);
        Assert.That(run.ExitCode, Is.Zero, $"docker run -d: {run}");
        var limits = _docker.Run("exec", name, "sh", "-c",
            "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/pids/pids.max; exit 4");
        var tty = Tty.Run(_docker.Argv("exec", "-t", name, "tty"));
        var top = _docker.Run("top", name);
        // Sorted by name: docker top lists by pid, and pids wrap around on a busy host.
        var topCommands = top.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries).Last().Trim());
        var stats = _docker.Run("stats", "--no-stream", "--format", "{{.MemUsage}}|{{.PIDs}}|{{.CPUPerc}}", name).Stdout.Trim().Split('|');
        _docker.Run("pause", name);
        var paused = State(name);
        _docker.Run("unpause", name);
        var unpaused = State(name);
        var update = _docker.Run("update", "--memory", "128m", "--memory-swap", "256m", name);
        var updated = _docker.Run("exec", name, "cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes");
        var kill = _docker.Run("kill", "-s", "USR1", name);
        Thread.Sleep(500);
        var logs = _docker.Run("logs", name);
        return $"{Transcript(limits)}{Transcript(tty)}top: {string.Join(", ", topCommands.Select(c => c.StartsWith("sleep", StringComparison.Ordinal) ? "sleep" : c).Distinct().Order(StringComparer.Ordinal))}\n" +
               $"stats: limit {stats[0].Split('/').Last().Trim()}, pids {(stats.Length > 1 ? stats[1] : "?")}, cpu {(stats.Length > 2 && stats[2].EndsWith('%') ? "present" : "missing")}\n" +
               $"{paused}\n{unpaused}\nupdate exit {update.ExitCode}\n{updated.Stdout}kill exit {kill.ExitCode}\n{logs.Stdout}{State(name)}\n{RemoveForced(rt, name)}";
    }, t => Assert.That(t, Is.EqualTo(
        "exit 4\n67108864\n50000\n100000\n32\nexit 0\n/dev/pts/0\n" +
        "top: sh -c trap 'echo got-usr1' USR1; sleep 1000 & while true; do wait; done, sleep\n" +
        "stats: limit 64MiB, pids 2, cpu present\npaused 0 oom=false\nrunning 0 oom=false\nupdate exit 0\n134217728\n268435456\n" +
        "kill exit 0\ngot-usr1\nrunning 0 oom=false\nrm -f exit 0")));

    [Test]
    public void StopSendsSigtermThenSigkillAfterTheTimeout() => Same((rt, name) =>
    {
        var polite = name + "-polite";
        Assert.That(_docker.Run(["run", "-d", .. RunFlags(rt, polite), TestImage.Name, "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done"]).ExitCode, Is.Zero);
        Assert.That(_docker.Run(["run", "-d", .. RunFlags(rt, name), TestImage.Name, "sleep", "1000"]).ExitCode, Is.Zero);
        var sw = Stopwatch.StartNew();
        var stopPolite = _docker.Run("stop", "-t", "10", polite);
        var politeFast = sw.Elapsed < TimeSpan.FromSeconds(5);
        sw.Restart();
        var stopStubborn = _docker.Run("stop", "-t", "1", name);
        var waited = sw.Elapsed >= TimeSpan.FromSeconds(1);
        var states = $"{State(polite)}\n{State(name)}";
        RemoveForced(rt, polite);
        RemoveForced(rt, name);
        return $"stop exit {stopPolite.ExitCode}, before the timeout: {politeFast}\nstop exit {stopStubborn.ExitCode}, after the timeout: {waited}\n{states}";
    }, t => Assert.That(t, Is.EqualTo("stop exit 0, before the timeout: True\nstop exit 0, after the timeout: True\nexited 0 oom=false\nexited 137 oom=false")));

    [Test]
    public void MemoryAndPidsLimitsAreEnforcedInside() => Same((rt, name) =>
    {
        // Only the shell forks, so it and 31 sleeps fill the limit and it exits 2 at the 32nd fork.
        var pids = _docker.Run(["run", "--rm", .. RunFlags(rt, name + "-pids"), "--pids-limit", "32", TestImage.Name,
            "sh", "-c", "for i in $(seq 40); do sleep 100 & echo $i; done"]);
        var oom = _docker.Run(["run", .. RunFlags(rt, name), "--memory", "64m", "--memory-swap", "64m", TestImage.Name, "sh", "-c", "exec tail /dev/zero"]);
        var state = State(name);
        return $"{Transcript(pids)}{oom.ExitCode}\n{state}\n{RemoveForced(rt, name)}";
    }, t => Assert.That(t, Is.EqualTo($"exit 2\n{string.Concat(Enumerable.Range(1, 31).Select(i => $"{i}\n"))}137\nexited 137 oom=true\nrm -f exit 0")));

    [Test]
    public void SecurityAndEnvironmentFlags()
    {
        using var volume = new TempDir();
        File.WriteAllText(Path.Combine(volume.Path, "from-host"), "hello from the host\n");
        File.SetUnixFileMode(volume.Path, (UnixFileMode)0x1ed);
        Same((rt, name) => Transcript(_docker.Run([
            "run", "--rm", .. RunFlags(rt, name), "--read-only", "--cap-drop", "ALL", "--cap-add", "NET_BIND_SERVICE",
            "--user", "1000:1000", "--hostname", "box", "--ulimit", "nofile=256:512", "--tmpfs", "/scratch:size=1m",
            "-v", $"{volume.Path}:/vol:ro", TestImage.Name, "sh", "-c",
            "id; hostname; ulimit -n; ulimit -Hn; grep -E '^Cap(Eff|Bnd)' /proc/self/status; " +
            "touch /rootfs-file 2>/dev/null || echo rootfs read-only; touch /scratch/x && echo tmpfs writable; " +
            "grep ' /scratch ' /proc/mounts | cut -d' ' -f3,4; cat /vol/from-host; touch /vol/x 2>/dev/null || echo volume read-only"])),
            t => Assert.That(t, Is.EqualTo("exit 0\nuid=1000(user) gid=1000(user) groups=1000(user)\nbox\n256\n512\n" +
                "CapEff:\t0000000000000000\nCapBnd:\t0000000000000400\nrootfs read-only\ntmpfs writable\n" +
                "tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k\nhello from the host\nvolume read-only\n")));
    }

    [Test]
    public void InitRunsDockerInitAsPidOne() => Same((rt, name) =>
        Transcript(_docker.Run(["run", "--rm", "--init", .. RunFlags(rt, name), TestImage.Name, "sh", "-c", "cat /proc/1/cmdline | tr '\\0' ' '; echo"])),
        t => Assert.That(t, Is.EqualTo("exit 0\n/sbin/docker-init -- sh -c cat /proc/1/cmdline | tr '\\0' ' '; echo \n")));

    [Test]
    public void AMissingCommandPrintsTheRuntimesError() => Same((rt, name) =>
    {
        var r = _docker.Run(["run", "--rm", .. RunFlags(rt, name), TestImage.Name, "/nonexistent"]);
        return $"exit {r.ExitCode}\ncause printed: {r.Stderr.Contains("exec: \"/nonexistent\": stat /nonexistent: no such file or directory")}";
    }, t => Assert.That(t, Is.EqualTo("exit 127\ncause printed: True")));
}
