using System.Text.Json.Nodes;
using NUnit.Framework;
using Runc.Sharp.Tests.Integration.Breakouts;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// linux.namespaces without a mount namespace: the spec says the container MUST inherit the
/// runtime's. Its mounts then sit in the host's table below the rootfs; delete must take
/// every one of them away again, and exec must land inside the rootfs too.
/// </summary>
[TestFixture]
[NonParallelizable]
public class HostMountNamespaceTests
{
    private static string MountsBelow(string rootfs) =>
        string.Join('\n', File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4])
            .Where(m => m == rootfs || m.StartsWith(rootfs + "/", StringComparison.Ordinal)));

    [Test]
    public void TheContainerSharesTheHostsMountNamespaceAndDeleteUnmountsWhatItMounted()
    {
        using var rootfs = new PrivateRootfs();
        using var marker = new HostMarker();
        using var b = new TestBundle("sleep", "1000");
        rootfs.Use(b);
        b.Linux["namespaces"] = new JsonArray(new JsonObject { ["type"] = "pid" }, new JsonObject { ["type"] = "ipc" },
            new JsonObject { ["type"] = "uts" }, new JsonObject { ["type"] = "network" });
        var before = Runcs.InitProcesses();
        Assert.That(MountsBelow(rootfs.Path), Is.Empty);

        var run = b.Run("-d");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        int pid = b.State()["pid"]!.GetValue<int>();
        var exec = b.Runcs("exec", b.Id, "sh", "-c", $"readlink /proc/self/ns/mnt; test -e /bin/busybox && echo ROOTFS; cat {marker.File} 2>/dev/null && echo ESCAPED; echo done");
        Assert.Multiple(() =>
        {
            Assert.That(new FileInfo($"/proc/{pid}/ns/mnt").LinkTarget, Is.EqualTo(new FileInfo("/proc/self/ns/mnt").LinkTarget));
            Assert.That(new FileInfo($"/proc/{pid}/root").LinkTarget, Is.EqualTo(rootfs.Path), "the container is chrooted into its rootfs");
            Assert.That(MountsBelow(rootfs.Path), Does.Contain(rootfs.Path + "/proc"), "its /proc is in the host's table");
            Assert.That(exec.ExitCode, Is.Zero, exec.ToString());
            Assert.That(exec.Stdout, Does.Contain("ROOTFS").And.Contain("done").And.Not.Contain("ESCAPED"), "exec runs inside the rootfs");
        });

        var delete = b.Runcs("delete", "--force", b.Id);
        Assert.That(delete.ExitCode, Is.Zero, delete.ToString());
        Assert.That(MountsBelow(rootfs.Path), Is.Empty, "delete left mounts in the host's table");
        b.AssertNothingLeft(before);
    }

    [Test]
    public void AFailedCreateUnmountsWhatItMounted()
    {
        using var rootfs = new PrivateRootfs();
        using var b = new TestBundle("/no/such/program");
        rootfs.Use(b);
        b.Linux["namespaces"] = new JsonArray(new JsonObject { ["type"] = "pid" }, new JsonObject { ["type"] = "uts" });
        var before = Runcs.InitProcesses();
        var create = b.Create();
        Assert.That(create.ExitCode, Is.Not.Zero);
        Assert.That(create.Stderr, Does.Contain("/no/such/program"), create.ToString());
        Assert.That(MountsBelow(rootfs.Path), Is.Empty, "a failed create left mounts in the host's table");
        b.AssertNothingLeft(before);
    }
}
