using System.Diagnostics;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration.Breakouts;

/// <summary>
/// CVE-2016-9962's class: exec into a container that has its own user namespace. The init
/// of an exec runs in that user namespace; if its root were still the host's, a container
/// process with CAP_SYS_PTRACE there could open /proc/PID/root of it and walk the host's
/// filesystem. runcs's init joins the container's mount namespace before it is the runcs
/// image, so it is never seen with the host's mount tree.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ExecInitMountNamespaceTests
{
    /// <summary>
    /// strace holds every write of exec's parent, the config it sends the init among them, so
    /// the init waits, started and in the container, for as long as the test looks at it.
    /// </summary>
    [Test]
    public void AnExecsInitIsInTheContainersMountNamespaceFromItsFirstInstruction()
    {
        using var marker = new HostMarker();
        // Readable by the container's root (host uid 100000): only the mount tree may stop it.
        File.SetUnixFileMode(marker.Dir, (UnixFileMode)0b111_101_101);
        using var b = new TestBundle("sleep", "1000");
        b.InUserNamespace();
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        int containerPid = b.State()["pid"]!.GetValue<int>();
        var containerMounts = Link($"/proc/{containerPid}/ns/mnt");

        using var exec = Process.Start(new ProcessStartInfo("strace")
        {
            ArgumentList = { "-o", "/dev/null", "-e", "trace=write", "-e", "inject=write:delay_enter=600000",
                Integration.Runcs.Binary, "--root", b.StateRoot, "exec", b.Id, "true" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        int init = 0;
        LifecycleTests.WaitFor(() => (init = ExecInit(b, containerPid)) != 0);
        // The attacker: root of the container's user namespace, with CAP_SYS_PTRACE there.
        var attack = b.Runcs("exec", "--cap", "CAP_SYS_PTRACE", b.Id, "sh", "-c",
            $"for p in /proc/[0-9]*; do cat $p/root{marker.File} 2>/dev/null && echo ESCAPED; done; echo done");
        var initMounts = Link($"/proc/{init}/ns/mnt");

        exec.WaitForExit();
        Assert.Multiple(() =>
        {
            Assert.That(initMounts, Is.EqualTo(containerMounts), "the exec's init had another mount namespace than the container");
            Assert.That(attack.Stdout, Does.Contain("done").And.Not.Contain("ESCAPED"), attack.ToString());
            Assert.That(exec.ExitCode, Is.Zero, exec.StandardError.ReadToEnd());
            Assert.That(marker.Untouched, Is.True);
        });
    }

    private static string? Link(string path) => new FileInfo(path).LinkTarget;

    /// <summary>
    /// A process in the container's cgroup that already is the runcs image (its exe, read
    /// before its mount namespace: the join comes before the exec), or 0.
    /// </summary>
    private static int ExecInit(TestBundle b, int containerPid)
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
}
