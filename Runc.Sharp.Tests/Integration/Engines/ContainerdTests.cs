using System.Diagnostics;
using NUnit.Framework;
using static Runc.Sharp.Tests.Integration.Engines.SideBySide;

namespace Runc.Sharp.Tests.Integration.Engines;

/// <summary>
/// containerd drives the runtime through its real runc shim (`ctr --runc-binary`, which
/// sets the shim's BinaryName option). Every scenario runs once with runcs and once with
/// runc; each must show what the scenario expects, and both must show the same.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ContainerdTests
{
    private Containerd _ctd = null!;

    [OneTimeSetUp]
    public void StartContainerd()
    {
        _ctd = Containerd.Start();
        _ctd.Import(TestImage.OciArchive);
    }

    [OneTimeTearDown]
    public void StopContainerd() => _ctd?.Dispose();

    /// <summary>Runs the scenario with each runtime under a fresh container id; nothing of either may be left.</summary>
    private void Same(Func<string, string, string> scenario, Action<string> expect) => SideBySide.Same("containerd", runtime =>
    {
        var id = runtime.ContainerName();
        var transcript = scenario(id, runtime.Binary);
        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists(_ctd.RuntimeStateDir(id)), Is.False, $"{runtime.Name}: runtime state left behind");
            Assert.That(CgroupDirs(id), Is.Empty, $"{runtime.Name}: cgroup left behind");
        });
        return transcript;
    }, expect);

    private IEnumerable<string> CgroupDirs(string id) =>
        Directory.GetDirectories("/sys/fs/cgroup").Select(h => Path.Combine(h, _ctd.Namespace, id)).Where(Directory.Exists);

    private ProcResult Detached(string id, string binary, params string[] command)
    {
        var r = _ctd.Ctr(["run", "-d", "--runc-binary", binary, TestImage.Name, id, .. command]);
        Assert.That(r.ExitCode, Is.Zero, $"ctr run -d: {r}");
        return r;
    }

    /// <summary>The task's status and pid as `ctr task ls` prints them.</summary>
    private (string Status, int Pid) Task(string id)
    {
        var r = _ctd.Ctr("task", "ls");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        var row = r.Stdout.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).FirstOrDefault(c => c.Length == 3 && c[0] == id);
        Assert.That(row, Is.Not.Null, $"task {id} not listed:\n{r.Stdout}");
        return (row![2], int.Parse(row[1]));
    }

    private void WaitForStatus(string id, string status)
    {
        var sw = Stopwatch.StartNew();
        while (Task(id).Status != status)
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(20))
                Assert.Fail($"task {id} did not become {status}; it is {Task(id).Status}");
            Thread.Sleep(50);
        }
    }

    /// <summary>Kills and removes the task and the container; returns what `ctr task delete` said.</summary>
    private string Remove(string id)
    {
        if (Task(id).Status != "STOPPED")
        {
            _ctd.Ctr("task", "kill", "-s", "KILL", id);
            WaitForStatus(id, "STOPPED");
        }
        var deleted = _ctd.Ctr("task", "delete", id);
        Assert.That(deleted.ExitCode, Is.Zero, $"ctr task delete: {deleted}");
        var removed = _ctd.Ctr("container", "delete", id);
        Assert.That(removed.ExitCode, Is.Zero, $"ctr container delete: {removed}");
        var code = System.Text.RegularExpressions.Regex.Match(deleted.Stderr, @"exit code (\d+)");
        return $"exit code {(code.Success ? code.Groups[1].Value : "0")}";
    }

    [Test]
    public void RunPrintsOutputAndReturnsTheExitCode() => Same(
        (id, binary) => Transcript(_ctd.Ctr("run", "--rm", "--runc-binary", binary, TestImage.Name, id, "sh", "-c", "echo hello; cat /etc/hostname 2>/dev/null | wc -l; exit 3")),
        t => Assert.That(t, Is.EqualTo("exit 3\nhello\n0\n")));

    [Test]
    public void RunWithATerminal() => Same(
        (id, binary) => Transcript(Tty.Run(_ctd.CtrArgv("run", "-t", "--rm", "--runc-binary", binary, TestImage.Name, id, "sh", "-c", "tty; test -t 0 && echo stdin-is-tty; exit 6"))),
        t => Assert.That(t, Is.EqualTo("exit 6\n/dev/pts/0\nstdin-is-tty\n")));

    [Test]
    public void ExecWithAndWithoutATerminal() => Same((id, binary) =>
    {
        Detached(id, binary, "sleep", "1000");
        var plain = _ctd.Ctr("task", "exec", "--exec-id", "plain", id, "sh", "-c", "echo in-exec; cat /proc/1/cmdline | tr '\\0' ' '; echo; exit 5");
        var tty = Tty.Run(_ctd.CtrArgv("task", "exec", "-t", "--exec-id", "tty", id, "sh", "-c", "tty; exit 4"));
        // ctr resizes the pty after the exec starts and logs (with runc too) when the process has already gone.
        tty = tty with { Stdout = string.Concat(tty.Stdout.Split('\n').Where(l => !l.Contains("resize pty")).Select(l => l + "\n")).TrimEnd('\n') + "\n" };
        var missing = _ctd.Ctr("task", "exec", "--exec-id", "missing", id, "/nonexistent");
        var stopped = Remove(id);
        return $"{Transcript(plain)}{Transcript(tty)}exit {(missing.ExitCode == 0 ? "0" : "non-zero")}\n" +
               $"{missing.Stderr.Contains("no such file or directory")}\n{stopped}";
    }, t => Assert.That(t, Is.EqualTo("exit 5\nin-exec\nsleep 1000 \nexit 4\n/dev/pts/0\nexit non-zero\nTrue\nexit code 137")));

    [Test]
    public void PsListsTheContainersProcesses() => Same((id, binary) =>
    {
        Detached(id, binary, "sh", "-c", "sleep 1000 & sleep 1000 & wait");
        var pid = Task(id).Pid;
        var sw = Stopwatch.StartNew();
        string[] pids;
        do
        {
            var ps = _ctd.Ctr("task", "ps", id);
            Assert.That(ps.ExitCode, Is.Zero, ps.ToString());
            pids = ps.Stdout.Split('\n').Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(c => c.Length > 0).Select(c => c[0]).ToArray();
        }
        while (pids.Length < 3 && sw.Elapsed < TimeSpan.FromSeconds(10));
        var listsInit = pids.Contains(pid.ToString());
        Remove(id);
        return $"{pids.Length} processes, init listed: {listsInit}";
    }, t => Assert.That(t, Is.EqualTo("3 processes, init listed: True")));

    [Test]
    public void PauseFreezesAndResumeThaws() => Same((id, binary) =>
    {
        Detached(id, binary, "sleep", "1000");
        var freezer = $"/sys/fs/cgroup/freezer/{_ctd.Namespace}/{id}/freezer.state";
        Assert.That(_ctd.Ctr("task", "pause", id).ExitCode, Is.Zero);
        var paused = $"{Task(id).Status} {File.ReadAllText(freezer).Trim()}";
        Assert.That(_ctd.Ctr("task", "resume", id).ExitCode, Is.Zero);
        var resumed = $"{Task(id).Status} {File.ReadAllText(freezer).Trim()}";
        Remove(id);
        return $"{paused}\n{resumed}";
    }, t => Assert.That(t, Is.EqualTo("PAUSED FROZEN\nRUNNING THAWED")));

    [Test]
    public void MetricsReadTheContainersCgroups() => Same((id, binary) =>
    {
        Detached(id, binary, "sleep", "1000");
        var metrics = _ctd.Ctr("task", "metrics", id);
        Assert.That(metrics.ExitCode, Is.Zero, metrics.ToString());
        var rows = metrics.Stdout.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(c => c.Length == 2 && c[0].Contains('.')).ToDictionary(c => c[0], c => c[1]);
        Remove(id);
        return $"{string.Join(' ', rows.Keys)}\npids.current={rows.GetValueOrDefault("pids.current")}\nmemory used: {long.Parse(rows.GetValueOrDefault("memory.usage_in_bytes", "0")) > 0}";
    }, t => Assert.That(t, Does.Contain("pids.current=1\nmemory used: True").And.Contain("cpuacct.usage")));

    [Test]
    public void KillDeliversTheSignalAndDeleteCleansUp() => Same((id, binary) =>
    {
        Detached(id, binary, "sh", "-c", "trap 'exit 7' TERM; while true; do sleep 0.1; done");
        Assert.That(_ctd.Ctr("task", "kill", id).ExitCode, Is.Zero);
        WaitForStatus(id, "STOPPED");
        return Remove(id);
    }, t => Assert.That(t, Is.EqualTo("exit code 7")));

    [Test]
    public void KillAllStopsExecProcessesToo() => Same((id, binary) =>
    {
        Detached(id, binary, "sleep", "1000");
        Assert.That(_ctd.Ctr("task", "exec", "-d", "--exec-id", "extra", id, "sleep", "1000").ExitCode, Is.Zero);
        var kill = _ctd.Ctr("task", "kill", "-a", "-s", "KILL", id);
        WaitForStatus(id, "STOPPED");
        return $"kill exit {kill.ExitCode}\n{Remove(id)}";
    }, t => Assert.That(t, Is.EqualTo("kill exit 0\nexit code 137")));

    [Test]
    public void ForceDeleteRemovesARunningTask() => Same((id, binary) =>
    {
        Detached(id, binary, "sleep", "1000");
        var forced = _ctd.Ctr("task", "delete", "-f", id);
        var removed = _ctd.Ctr("container", "delete", id);
        return $"delete -f exit {forced.ExitCode}\ncontainer delete exit {removed.ExitCode}";
    }, t => Assert.That(t, Is.EqualTo("delete -f exit 0\ncontainer delete exit 0")));

    [Test]
    public void AContainerThatCannotStartReportsTheRuntimesError() => Same((id, binary) =>
    {
        var r = _ctd.Ctr("run", "--rm", "--runc-binary", binary, TestImage.Name, id, "/nonexistent");
        _ctd.Ctr("container", "delete", id);
        const string Cause = "exec: \"/nonexistent\": stat /nonexistent: no such file or directory";
        return $"exit {(r.ExitCode == 0 ? "0" : "non-zero")}\nOCI runtime create failed: {r.Stderr.Contains("OCI runtime create failed")}\ncause: {r.Stderr.Contains(Cause)}";
    }, t => Assert.That(t, Is.EqualTo("exit non-zero\nOCI runtime create failed: True\ncause: True")));
}
