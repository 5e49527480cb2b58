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
        var containerMounts = StalledExec.Link($"/proc/{containerPid}/ns/mnt");

        using var exec = new StalledExec(b, containerPid, "true");
        var initMounts = StalledExec.Link($"/proc/{exec.InitPid}/ns/mnt");
        // The attacker: root of the container's user namespace, with CAP_SYS_PTRACE there.
        var attack = b.Runcs("exec", "--cap", "CAP_SYS_PTRACE", b.Id, "sh", "-c",
            $"for p in /proc/[0-9]*; do cat $p/root{marker.File} 2>/dev/null && echo ESCAPED; done; echo done");

        var (code, stderr) = exec.Finish();
        Assert.Multiple(() =>
        {
            Assert.That(initMounts, Is.EqualTo(containerMounts), "the exec's init had another mount namespace than the container");
            Assert.That(attack.Stdout, Does.Contain("done").And.Not.Contain("ESCAPED"), attack.ToString());
            Assert.That(code, Is.Zero, stderr);
            Assert.That(marker.Untouched, Is.True);
        });
    }
}
