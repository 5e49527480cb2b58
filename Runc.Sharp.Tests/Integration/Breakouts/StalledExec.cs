using System.Diagnostics;

namespace Runc.Sharp.Tests.Integration.Breakouts;

/// <summary>
/// `runcs exec` under strace, which holds each of its two writes (the release of the child, then
/// the config it sends the init) for 2 s, so the exec's init waits, started and in the container,
/// while a test looks at it: the window that attacks on an exec's init race for.
/// </summary>
public sealed class StalledExec : IDisposable
{
    private readonly Process _exec;

    public StalledExec(TestBundle b, int containerPid, params string[] args)
    {
        var start = new ProcessStartInfo("strace")
        {
            ArgumentList = { "-o", "/dev/null", "-e", "trace=write", "-e", "inject=write:delay_enter=2000000",
                Runcs.Binary, "--root", b.StateRoot, "exec", b.Id },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        _exec = Process.Start(start)!;
        int init = 0;
        LifecycleTests.WaitFor(() => (init = Find(b, containerPid)) != 0);
        InitPid = init;
    }

    /// <summary>The host pid of the exec's init, already the runcs image.</summary>
    public int InitPid { get; }

    /// <summary>Waits for the exec; its exit code, and its stderr for a failure message.</summary>
    public (int ExitCode, string Stderr) Finish()
    {
        _exec.WaitForExit();
        return (_exec.ExitCode, _exec.StandardError.ReadToEnd());
    }

    public static string? Link(string path) => new FileInfo(path).LinkTarget;

    /// <summary>
    /// A process of the container's cgroup that already is the runcs image (its exe, read
    /// before anything else about it: the exec comes after every join), or 0.
    /// </summary>
    private static int Find(TestBundle b, int containerPid)
    {
        foreach (var dir in b.CgroupDirs().Where(d => File.Exists(Path.Combine(d, "cgroup.procs"))))
        {
            foreach (var pid in File.ReadAllLines(Path.Combine(dir, "cgroup.procs")).Select(int.Parse).Where(p => p != containerPid))
            {
                try
                {
                    if (Link($"/proc/{pid}/exe") == RuntimeOverwriteTests.OverlayPath)
                        return pid;
                }
                catch (IOException)
                {
                }
            }
        }
        return 0;
    }

    public void Dispose()
    {
        if (!_exec.HasExited)
            _exec.Kill(entireProcessTree: true);
        _exec.Dispose();
    }
}
