using System.Text.Json.Nodes;
using NUnit.Framework;
using static Runc.Sharp.Tests.Integration.Breakouts.Hostile;

namespace Runc.Sharp.Tests.Integration.Breakouts;

/// <summary>
/// Mount destinations the rootfs turns into symlinks that point out of it:
/// CVE-2019-19921 and its regression CVE-2023-27561 (/proc a symlink, so procfs and the
/// masks land elsewhere), CVE-2019-16884's fake /proc, and CVE-2021-30465 (a destination
/// swapped for a symlink while the runtime mounts). Every mount must land inside the
/// rootfs, where the container sees it, and the host must be unchanged.
/// </summary>
[TestFixture]
[NonParallelizable]
public class MountSymlinkTests
{
    [TestCase("absolute")]
    [TestCase("relative")]
    public void ProcAsASymlinkOutOfTheRootfsStaysInside(string kind)
    {
        using var rootfs = new PrivateRootfs();
        using var marker = new HostMarker();
        rootfs.Symlink("/proc", kind == "absolute" ? marker.Dir : "../../../../../../.." + marker.Dir);
        using var b = new TestBundle("sh", "-c", "grep -q '^Pid:' /proc/self/status && echo procfs; stat -c %F /proc/timer_list");
        rootfs.Use(b);
        var r = b.Run();
        Assert.That(marker.Untouched, Is.True, $"procfs or a mask landed in the host directory: {r}");
        Assert.That(File.ReadAllText("/proc/self/mountinfo"), Does.Not.Contain(marker.Dir));
        if (r.ExitCode == 0)
            Assert.That(r.Stdout, Is.EqualTo("procfs\ncharacter special file\n"),
                $"procfs must be mounted inside the rootfs, with /proc/timer_list masked by /dev/null: {r}");
        else
            Assert.That(r.Stderr, Does.Contain("proc"), r.ToString());
    }

    [Test]
    public void ADestinationSwappedForASymlinkDuringCreateStaysInside()
    {
        using var rootfs = new PrivateRootfs();
        using var marker = new HostMarker();
        var race = rootfs["/race"];
        var link = rootfs["/race-link"];
        File.CreateSymbolicLink(link, marker.Dir);
        using var stop = new CancellationTokenSource();
        Directory.CreateDirectory(race);
        // The attacker: swaps /race, a directory, with a symlink to the host directory, again and again.
        var attacker = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
                Rename.Exchange(link, race);
        });
        var outcomes = new List<string>();
        try
        {
            for (int i = 0; i < 25; i++)
            {
                using var b = new TestBundle("sh", "-c", "grep -c ' tmpfs .*nr_inodes=7' /proc/self/mountinfo");
                rootfs.Use(b);
                b.Config["mounts"]!.AsArray().Add(TestBundle.Mount("/race/sub", "tmpfs", "tmpfs", "nr_inodes=7"));
                var r = b.Run();
                outcomes.Add(r.ExitCode == 0 ? r.Stdout.Trim() : "refused: " + r.Stderr.Trim());
                if (r.ExitCode == 0)
                    Assert.That(r.Stdout.Trim(), Is.EqualTo("1"), $"run {i}: the tmpfs was mounted outside the rootfs, so the container cannot see it: {r}");
            }
        }
        finally
        {
            stop.Cancel();
            attacker.Wait();
        }
        Assert.That(marker.Untouched, Is.True, "nothing may be created in the host directory");
        Assert.That(File.ReadAllText("/proc/self/mountinfo"), Does.Not.Contain(marker.Dir));
        TestContext.Out.WriteLine($"outcomes: {string.Join(' ', outcomes)}");
    }
}
