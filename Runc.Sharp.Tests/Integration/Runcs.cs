using System.Diagnostics;
using System.Text;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>The result of one runcs (or other) process: exit code and what it printed.</summary>
public sealed record ProcResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Locates the published runcs and the busybox rootfs that scripts/test.sh prepares.</summary>
public static class Runcs
{
    public static string Binary => Require("RUNCS_BINARY", "out/runcs", File.Exists);
    public static string Rootfs => Require("RUNCS_ROOTFS", "bundles/busybox/rootfs", Directory.Exists);

    private static string Require(string env, string relative, Func<string, bool> exists)
    {
        var path = Environment.GetEnvironmentVariable(env);
        if (string.IsNullOrEmpty(path))
            path = Path.Combine(RepoRoot(), relative);
        if (!exists(path))
            Assert.Fail($"{path} is missing ({env} unset): run scripts/test.sh, which builds runcs and the rootfs first");
        return path;
    }

    public static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Runc.Sharp.sln")))
            dir = Path.GetDirectoryName(dir);
        return dir ?? "/";
    }

    public static void RequireRoot()
    {
        if (Environment.UserName != "root" && Linux.Native.Libc.geteuid() != 0)
            Assert.Fail("integration tests start real containers and must run as root (scripts/test.sh runs them as root)");
    }

    /// <summary>
    /// Runs a program to completion. Its stdout and stderr go to files, not pipes: a
    /// detached container inherits them and may hold them open long after runcs exits.
    /// </summary>
    public static ProcResult Exec(string file, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null,
        string? cwd = null, IDictionary<string, string>? env = null)
    {
        var outFile = Path.GetTempFileName();
        var errFile = Path.GetTempFileName();
        try
        {
            var psi = new ProcessStartInfo("/bin/sh")
            {
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = cwd ?? Environment.CurrentDirectory,
            };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("out=$1; err=$2; shift 2; exec \"$@\" >\"$out\" 2>\"$err\"");
            psi.ArgumentList.Add("sh");
            psi.ArgumentList.Add(outFile);
            psi.ArgumentList.Add(errFile);
            psi.ArgumentList.Add(file);
            foreach (var a in args)
                psi.ArgumentList.Add(a);
            foreach (var (k, v) in env ?? new Dictionary<string, string>())
                psi.Environment[k] = v;
            using var p = Process.Start(psi)!;
            if (stdin is not null)
                p.StandardInput.Write(stdin);
            p.StandardInput.Close();
            if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
            {
                p.Kill(entireProcessTree: true);
                Assert.Fail($"{file} {string.Join(' ', args)} did not finish in time");
            }
            return new ProcResult(p.ExitCode, File.ReadAllText(outFile), File.ReadAllText(errFile));
        }
        finally
        {
            File.Delete(outFile);
            File.Delete(errFile);
        }
    }

    /// <summary>Every process whose command line is the runcs init stage.</summary>
    public static IReadOnlyList<int> InitProcesses() =>
        ProcessesWhose(cmdline => cmdline.StartsWith("runcs\0init\0", StringComparison.Ordinal));

    /// <summary>Every process whose NUL-separated command line satisfies <paramref name="match"/> (gone or hidden ones are skipped).</summary>
    public static IReadOnlyList<int> ProcessesWhose(Func<string, bool> match)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                if (match(Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "cmdline")))))
                    pids.Add(pid);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return pids;
    }

    /// <summary>Unmounts whatever an engine left mounted under <paramref name="dir"/>, deepest first, then removes the directory.</summary>
    public static void RemoveWithMounts(string dir)
    {
        foreach (var mount in File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4]).Where(m => m.StartsWith(dir, StringComparison.Ordinal)).Reverse())
            Linux.Native.Libc.umount2(mount, 2 /* MNT_DETACH */);
        Directory.Delete(dir, recursive: true);
    }
}
