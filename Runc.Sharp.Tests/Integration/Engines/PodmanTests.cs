using NUnit.Framework;
using static Runc.Sharp.Tests.Integration.Engines.SideBySide;

namespace Runc.Sharp.Tests.Integration.Engines;

/// <summary>
/// podman drives the runtime through conmon (`podman --runtime PATH`), with podman's
/// default seccomp profile applied. Each scenario runs with runcs and with runc; each
/// must show what it expects, and both must show the same.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PodmanTests
{
    private Podman _podman = null!;

    [OneTimeSetUp]
    public void LoadImage()
    {
        _podman = Podman.Start();
        _podman.LoadTestImage();
    }

    [OneTimeTearDown]
    public void RemoveAll() => _podman?.Dispose();

    /// <summary>Runs the scenario with each runtime under a fresh container name; nothing of either may be left.</summary>
    private static void Same(Func<string, string, string> scenario, Action<string> expect) => SideBySide.Same("podman", runtime =>
    {
        var stateBefore = RuntimeStates();
        var transcript = scenario(runtime.ContainerName(), runtime.Binary);
        Assert.That(RuntimeStates().Except(stateBefore), Is.Empty, $"{runtime.Name}: runtime state left behind");
        Assert.That(ContainerCgroups(), Is.Empty, $"{runtime.Name}: container cgroup left behind");
        return transcript;
    }, expect);

    /// <summary>The containers runcs and runc keep state for, in the runtime roots podman gives them.</summary>
    /// <summary>Container directories under the runtimes' roots: named as a container id may be (not runcs's seccomp@cache).</summary>
    private static IEnumerable<string> RuntimeStates() =>
        new[] { "/run/runcs", "/run/runc" }.Where(Directory.Exists).SelectMany(Directory.GetDirectories)
            .Where(d => Lifecycle.ContainerId.Problem(Path.GetFileName(d)) is null).ToList();

    /// <summary>With cgroupfs, podman puts each container in libpod_parent/libpod-ID (and conmon in libpod_parent/conmon).</summary>
    private static IEnumerable<string> ContainerCgroups() =>
        Directory.Exists("/sys/fs/cgroup/memory/libpod_parent")
            ? Directory.GetDirectories("/sys/fs/cgroup/memory/libpod_parent", "libpod-*")
            : [];

    [Test]
    public void RunPrintsOutputUnderPodmansSeccompProfile() => Same(
        (name, runtime) => Transcript(_podman.Run(runtime, ["run", "--rm", "--name", name, .. Podman.RunFlags, TestImage.Name,
            "sh", "-c", "echo hello; grep Seccomp: /proc/self/status; exit 3"])),
        t => Assert.That(t, Is.EqualTo("exit 3\nhello\nSeccomp:\t2\n"),
            "podman applies its default seccomp profile; runcs must load it (linux.seccomp, issue 6)"));

    [Test]
    public void ExecStopAndRemoveADetachedContainer() => Same((name, runtime) =>
    {
        var run = _podman.Run(runtime, ["run", "-d", "--name", name, .. Podman.RunFlags, TestImage.Name, "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done"]);
        Assert.That(run.ExitCode, Is.Zero, $"podman run -d: {run}");
        var id = _podman.Run(runtime, "inspect", "--format", "{{.Id}}", name).Stdout.Trim();
        var ownRoot = Directory.Exists(Path.Combine("/run", Path.GetFileName(runtime), id));
        var exec = _podman.Run(runtime, "exec", name, "sh", "-c", "echo in-exec; cat /proc/1/cmdline | tr '\\0' ' '; echo; exit 4");
        var tty = _podman.Run(runtime, "exec", "-t", name, "tty");
        var status = _podman.Run(runtime, "inspect", "--format", "{{.State.Status}}", name);
        var stop = _podman.Run(runtime, "stop", "--time", "10", name);
        var stopped = _podman.Run(runtime, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name);
        var rm = _podman.Run(runtime, "rm", name);
        return $"state in the runtime's own root: {ownRoot}\n{Transcript(exec)}{Transcript(tty).Replace("\r", "")}{status.Stdout}stop exit {stop.ExitCode}\n{stopped.Stdout}rm exit {rm.ExitCode}";
    }, t => Assert.That(t, Is.EqualTo("state in the runtime's own root: True\nexit 4\nin-exec\nsh -c trap 'exit 0' TERM; while true; do sleep 0.1; done \nexit 0\n/dev/pts/0\nrunning\nstop exit 0\nexited 0\nrm exit 0")));

    [Test]
    public void StopKillsAContainerThatIgnoresSigterm() => Same((name, runtime) =>
    {
        Assert.That(_podman.Run(runtime, ["run", "-d", "--name", name, .. Podman.RunFlags, TestImage.Name, "sleep", "1000"]).ExitCode, Is.Zero);
        var stop = _podman.Run(runtime, "stop", "--time", "1", name);
        var stopped = _podman.Run(runtime, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name);
        _podman.Run(runtime, "rm", name);
        return $"stop exit {stop.ExitCode}\n{stopped.Stdout}";
    }, t => Assert.That(t, Is.EqualTo("stop exit 0\nexited 137\n")));

    [Test]
    public void AMissingCommandReportsTheRuntimesError() => Same((name, runtime) =>
    {
        var r = _podman.Run(runtime, ["run", "--rm", "--name", name, .. Podman.RunFlags, TestImage.Name, "/nonexistent"]);
        _podman.Run(runtime, "rm", "--force", name);
        return $"exit {r.ExitCode}\ncause: {r.Stderr.Contains("exec: \"/nonexistent\": stat /nonexistent: no such file or directory")}";
    }, t => Assert.That(t, Is.EqualTo("exit 127\ncause: True")));

    [Test]
    public void TheReadmeCommandRunsRuncs()
    {
        var argv = ReadmeSnippet.Get("podman").Trim().Split(' ');
        Assert.That(argv[..2], Is.EqualTo(new[] { "podman", "--runtime" }), "the README shows podman's --runtime flag");
        var run = Array.IndexOf(argv, "run");
        var before = RuntimeStates();
        // This host needs the storage flags and RunFlags (DESIGN.md); the README's words are kept as they are.
        var r = _podman.Command([.. argv[1..(run + 1)], .. Podman.RunFlags, .. argv[(run + 1)..]]);
        Assert.That((r.ExitCode, r.Stdout), Is.EqualTo((0, "hello\n")), r.ToString());
        Assert.That(argv[2], Is.EqualTo(Runcs.Binary));
        Assert.That(RuntimeStates().Except(before), Is.Empty, "--rm leaves no runtime state");
    }
}
