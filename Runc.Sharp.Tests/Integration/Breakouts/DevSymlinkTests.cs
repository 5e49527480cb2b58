using NUnit.Framework;
using static Runc.Sharp.Tests.Integration.Breakouts.Hostile;

namespace Runc.Sharp.Tests.Integration.Breakouts;

/// <summary>
/// Device nodes the runtime trusts, replaced by symlinks in a rootfs whose /dev is its own
/// (no tmpfs): CVE-2025-31133 (/dev/null a symlink, so masking bind-mounts its target, say
/// a writable procfs file, over the masked paths) and CVE-2025-52565 (/dev/console a
/// symlink, so the pty is bind-mounted over a file of the container's choosing).
/// </summary>
[TestFixture]
[NonParallelizable]
public class DevSymlinkTests
{
    [TestCase("/proc/sys/kernel/core_pattern")]
    [TestCase("/proc/sysrq-trigger")]
    public void DevNullAsASymlinkIsNeverUsedToMask(string target)
    {
        var corePattern = HostCorePattern;
        using var rootfs = new PrivateRootfs();
        rootfs.Symlink("/dev/null", target);
        using var b = new TestBundle("sh", "-c", "stat -c '%F %t:%T' /proc/timer_list; cat /proc/timer_list | head -c 100 | wc -c");
        rootfs.Use(b);
        DevFromRootfs(b);
        var r = b.Run();
        Assert.That(HostCorePattern, Is.EqualTo(corePattern));
        if (r.ExitCode == 0)
            Assert.That(r.Stdout, Is.EqualTo("character special file 1:3\n0\n"), $"masked paths must be the real /dev/null (char 1:3): {r}");
        else
            Assert.That(r.Stderr, Does.Contain("/dev/null"), $"a refusal must name /dev/null: {r}");
    }

    [TestCase("/proc/sys/kernel/core_pattern")]
    [TestCase("/proc/sysrq-trigger")]
    public void DevConsoleAsASymlinkGetsThePtyInside(string target)
    {
        var corePattern = HostCorePattern;
        using var rootfs = new PrivateRootfs();
        rootfs.Symlink("/dev/console", target);
        using var b = new TestBundle("sh", "-c", $"stat -c '%F %t' /dev/console; grep -c ' {target} ' /proc/self/mountinfo; tty");
        rootfs.Use(b);
        DevFromRootfs(b);
        b.Process["terminal"] = true;
        var r = b.Run();
        var output = r.Stdout.Replace("\r", "");
        Assert.That(HostCorePattern, Is.EqualTo(corePattern));
        Assert.That(output, Does.Not.Contain($"{target} "), r.ToString());
        if (r.ExitCode == 0)
            Assert.That(output, Does.StartWith("character special file 88\n").Or.StartWith("character special file 136\n"),
                $"/dev/console must be the pty (major 136), mounted at /dev/console itself: {r}");
        else
            Assert.That(r.Stderr, Does.Contain("/dev/console"), $"a refusal must name /dev/console: {r}");
    }
}
