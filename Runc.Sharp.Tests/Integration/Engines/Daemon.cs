using System.Diagnostics;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration.Engines;

/// <summary>
/// A daemon (containerd, dockerd) started by hand for one fixture, its output in a log
/// file under its temp dir. Dispose stops it with SIGTERM, then SIGKILL.
/// </summary>
public sealed class Daemon : IDisposable
{
    private readonly Process _process;

    public string Name { get; }
    public string LogPath { get; }

    private Daemon(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
    }

    public static Daemon Start(string file, IEnumerable<string> args, string logPath)
    {
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("log=$1; shift; exec \"$@\" >\"$log\" 2>&1 </dev/null");
        psi.ArgumentList.Add("sh");
        psi.ArgumentList.Add(logPath);
        psi.ArgumentList.Add(file);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        return new Daemon(Path.GetFileName(file), Process.Start(psi)!, logPath);
    }

    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    /// <summary>Polls until <paramref name="ready"/> holds; fails with the daemon's log if it exits or takes too long.</summary>
    public void WaitUntil(Func<bool> ready, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (!ready())
        {
            if (_process.HasExited)
                Assert.Fail($"{Name} exited with {_process.ExitCode} before it was ready:\n{Log}");
            if (sw.Elapsed > timeout)
                Assert.Fail($"{Name} not ready after {timeout.TotalSeconds} s:\n{Log}");
            Thread.Sleep(100);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Linux.Native.Libc.kill(_process.Id, 15);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
                _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
