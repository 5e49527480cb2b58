using System.Diagnostics;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Linux.Process;

/// <summary>
/// Runs one OCI hook: its path with its args (args[0] is the name it is given) and only
/// its env, the container state JSON on stdin, killed after its timeout.
/// </summary>
public static class HookProcess
{
    public static void Run(Hook hook, string phase, int index, string stateJson)
    {
        var what = $"{phase} hook #{index} ({hook.Path})";
        var psi = new ProcessStartInfo(hook.Path!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        foreach (var arg in (hook.Args ?? []).Skip(1))
            psi.ArgumentList.Add(arg);
        psi.Environment.Clear();
        foreach (var kv in hook.Env ?? [])
        {
            var eq = kv.IndexOf('=');
            if (eq > 0)
                psi.Environment[kv[..eq]] = kv[(eq + 1)..];
        }
        System.Diagnostics.Process process;
        try
        {
            process = System.Diagnostics.Process.Start(psi) ?? throw new RuncsException($"error running {what}: did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RuncsException($"error running {what}: {e.Message}");
        }
        using (process)
        {
            try
            {
                process.StandardInput.Write(stateJson);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // A hook may exit without reading its stdin.
            }
            var timeout = hook.Timeout is { } t ? TimeSpan.FromSeconds(t) : Timeout.InfiniteTimeSpan;
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new RuncsException($"error running {what}: timed out after {hook.Timeout}s");
            }
            if (process.ExitCode != 0)
                throw new RuncsException($"error running {what}: exit status {process.ExitCode}");
        }
    }
}
