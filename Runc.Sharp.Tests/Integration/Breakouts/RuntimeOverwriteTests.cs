using System.Security.Cryptography;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration.Breakouts;

/// <summary>
/// CVE-2019-5736: a container process opened the runtime through /proc/PID/exe while the
/// runtime's init ran in the container, and overwrote the host's runc binary. As root,
/// runcs's init (and exec's) runs from the binary seen through a private read-only overlay
/// (its path there is /runcs): nothing reachable from the container is the host file, and
/// the overlay refuses writes. Rootless, it is a sealed memfd copy (RootlessTests).
/// </summary>
[TestFixture]
[NonParallelizable]
public class RuntimeOverwriteTests
{
    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>What /proc/PID/exe of an init names: the binary at the root of its detached overlay.</summary>
    internal static string OverlayPath => "/" + Path.GetFileName(Runcs.Binary);

    [Test]
    public void TheInitOfACreatedContainerCannotBeOverwrittenFromInside()
    {
        var before = Hash(Runcs.Binary);
        using var b = new TestBundle("true");
        var created = b.Create();
        Assert.That(created.ExitCode, Is.Zero, created.ToString());
        // pid 1 is runcs's init, waiting for start: the window the CVE's exploit used.
        var r = b.Runcs("exec", b.Id, "sh", "-c",
            "readlink /proc/1/exe; (echo pwned > /proc/1/exe) 2>/dev/null && echo WROTE; (echo pwned >> /proc/1/exe) 2>/dev/null && echo APPENDED; " +
            "exec 3</proc/1/exe && (echo pwned >/proc/self/fd/3) 2>/dev/null && echo REOPENED; echo done");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo(OverlayPath), "the init runs from the read-only overlay, not the host file");
        Assert.That(lines[1..], Is.EqualTo(new[] { "done" }), "every write to the init's executable must fail");
        Assert.That(Hash(Runcs.Binary), Is.EqualTo(before), "the host binary must be unchanged");
    }

    [Test]
    public void TheInitsExecutableRefusesWritesEvenFromTheHost()
    {
        var before = Hash(Runcs.Binary);
        using var b = new TestBundle("true");
        Assert.That(b.Create().ExitCode, Is.Zero);
        var pid = b.State()["pid"]!.GetValue<int>();
        Assert.That(File.ResolveLinkTarget($"/proc/{pid}/exe", false)?.ToString(), Is.EqualTo(OverlayPath));
        Assert.That(() => File.OpenWrite($"/proc/{pid}/exe").Dispose(), Throws.InstanceOf<IOException>().With.Message.Contains("Read-only file system"),
            "the overlay has no upper layer, so not even root can write through it");
        Assert.That(Hash(Runcs.Binary), Is.EqualTo(before));
    }

    /// <summary>The exploit's other window: the init of an exec, held by strace while the container tries its executable.</summary>
    [Test]
    public void TheInitOfAnExecCannotBeOverwrittenFromInside()
    {
        var before = Hash(Runcs.Binary);
        using var b = new TestBundle("sleep", "1000");
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        int containerPid = b.State()["pid"]!.GetValue<int>();
        using var exec = new StalledExec(b, containerPid, "true");
        // With CAP_SYS_PTRACE, so that /proc/PID/exe of an init holding every capability opens at all.
        var r = b.Runcs("exec", "--cap", "CAP_SYS_PTRACE", b.Id, "sh", "-c",
            "for p in /proc/[0-9]*; do [ \"$(readlink $p/exe)\" = " + OverlayPath + " ] || continue; echo FOUND; " +
            "(echo pwned > $p/exe) 2>/dev/null && echo WROTE; (echo pwned >> $p/exe) 2>/dev/null && echo APPENDED; done; echo done");
        var (code, stderr) = exec.Finish();
        Assert.That(r.Stdout, Does.Contain("FOUND").And.Contain("done").And.Not.Contain("WROTE").And.Not.Contain("APPENDED"), r.ToString());
        Assert.That(code, Is.Zero, stderr);
        Assert.That(Hash(Runcs.Binary), Is.EqualTo(before), "the host binary must be unchanged");
    }

    [Test]
    public void AnExecdProcessRunningProcSelfExeGetsTheProtectedImage()
    {
        using var b = new TestBundle("sleep", "100");
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        // The CVE's entry point: the container makes the runtime execute /proc/self/exe
        // (here directly; in the exploit via a #!/proc/self/exe interpreter line). What runs is
        // the runtime's own image, so it must be the read-only one and the host file untouched.
        var before = Hash(Runcs.Binary);
        var r = b.Runcs("exec", b.Id, "/proc/self/exe", "--version");
        b.Runcs("delete", "--force", b.Id);
        Assert.That(r.Stdout, Does.StartWith("runcs version"), r.ToString());
        Assert.That(Hash(Runcs.Binary), Is.EqualTo(before));
    }
}
