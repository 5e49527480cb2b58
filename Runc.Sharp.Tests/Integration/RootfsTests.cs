using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>Mounts, /dev, masked and read-only paths, user namespaces: checked from inside the container.</summary>
[TestFixture]
[NonParallelizable]
public class RootfsTests
{
    private static ProcResult RunShell(string script, Action<TestBundle>? configure = null) => TestBundle.RunShell(script, configure);


    [Test]
    public void DevHasTheDefaultDevicesAndLinks()
    {
        var r = RunShell("ls -l /dev | awk '{print $1, $5, $6, $NF}'; readlink /dev/fd; readlink /dev/stdin; readlink /dev/ptmx");
        Assert.That(r.Stdout, Does.Contain("crw-rw-rw- 1, 3 null"), r.ToString());
        foreach (var dev in new[] { "1, 5 zero", "1, 7 full", "1, 8 random", "1, 9 urandom", "5, 0 tty" })
            Assert.That(r.Stdout, Does.Contain(dev));
        Assert.That(r.Stdout, Does.Contain("/proc/self/fd\n/proc/self/fd/0\npts/ptmx\n"));
    }

    /// <summary>runc's dev.bats "redundant default /dev/ptmx": a /dev/ptmx in linux.devices stays the link to the container's own pts/ptmx, with or without a user namespace.</summary>
    [TestCase(false)]
    [TestCase(true)]
    public void ARedundantDevPtmxStaysTheLinkToPtsPtmx(bool userNamespace)
    {
        var r = RunShell("readlink /dev/ptmx; ls -lLn /dev/ptmx | awk '{print $1, $3, $4, $5, $6}'", b =>
        {
            if (userNamespace)
                b.InUserNamespace();
            b.Linux["devices"] = new JsonArray(new JsonObject { ["path"] = "/dev/ptmx", ["type"] = "c", ["major"] = 5, ["minor"] = 2 });
        });
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.Stdout, Is.EqualTo("pts/ptmx\ncrw-rw-rw- 0 0 5, 2\n"), r.ToString());
    }

    [Test]
    public void ConfiguredDevicesAreCreatedWithModeAndOwner()
    {
        var r = RunShell("ls -ln /dev/mydev | awk '{print $1, $3, $4, $5, $6}'", b =>
            b.Linux["devices"] = new JsonArray(new JsonObject
            {
                ["path"] = "/dev/mydev", ["type"] = "c", ["major"] = 1, ["minor"] = 3, ["fileMode"] = 416, ["uid"] = 1000, ["gid"] = 1000,
            }));
        Assert.That(r.Stdout, Is.EqualTo("crw-r----- 1000 1000 1, 3\n"), r.ToString());
    }

    [Test]
    public void TmpfsAndBindMountsWithOptions()
    {
        using var host = new TempDir();
        File.WriteAllText(Path.Combine(host.Path, "hello.txt"), "from the host\n");
        var r = RunShell("cat /data/hello.txt; echo x > /data/new 2>/dev/null && echo writable || echo readonly; grep -E ' /(scratch|data) ' /proc/self/mountinfo | awk '{print $5, $6}'", b =>
        {
            var mounts = b.Config["mounts"]!.AsArray();
            mounts.Add(TestBundle.Mount("/scratch", "tmpfs", "tmpfs", "nosuid", "nodev", "noexec", "size=1m"));
            mounts.Add(TestBundle.Mount("/data", "bind", host.Path, "rbind", "ro"));
        });
        Assert.That(r.Stdout, Does.StartWith("from the host\nreadonly\n"), r.ToString());
        Assert.That(r.Stdout, Does.Contain("/scratch rw,nosuid,nodev,noexec"));
        Assert.That(r.Stdout, Does.Contain("/data ro"));
    }

    [Test]
    public void TmpfsOverAnExistingDirectoryKeepsItsMode()
    {
        var r = RunShell("stat -c '%n %a' /home/user /tmp", b =>
        {
            var mounts = b.Config["mounts"]!.AsArray();
            mounts.Add(TestBundle.Mount("/home/user", "tmpfs", "tmpfs", "size=1m"));
            mounts.Add(TestBundle.Mount("/tmp", "tmpfs", "tmpfs", "size=1m"));
        });
        Assert.That(r.Stdout, Is.EqualTo("/home/user 755\n/tmp 1777\n"), $"runc chmods a tmpfs to the mode of the directory it covers: {r}");
    }

    [Test]
    public void TmpcopyupFillsTheTmpfsWithTheDirectorysContents()
    {
        using var rootfs = new TempDir();
        Runcs.Exec("/bin/cp", ["-a", Runcs.Rootfs + "/.", rootfs.Path]);
        var etc = Path.Combine(rootfs.Path, "etc");
        Directory.CreateDirectory(Path.Combine(etc, "sub"));
        File.WriteAllText(Path.Combine(etc, "sub", "deep"), "deep\n");
        File.CreateSymbolicLink(Path.Combine(etc, "link"), "passwd");
        Runcs.Exec("chown", ["1000:1000", Path.Combine(etc, "sub", "deep")]);
        var r = RunShell("grep ' /etc ' /proc/self/mountinfo | cut -d' ' -f9; head -1 /etc/passwd; cat /etc/sub/deep; readlink /etc/link; " +
            "stat -c '%u:%g' /etc/sub/deep; echo new > /etc/added && echo written", b =>
        {
            b.Config["root"]!["path"] = rootfs.Path;
            b.Config["root"]!["readonly"] = true;
            b.Config["mounts"]!.AsArray().Add(TestBundle.Mount("/etc", "tmpfs", "tmpfs", "tmpcopyup", "mode=755"));
        });
        Assert.That(r.Stdout, Is.EqualTo("tmpfs\nroot:x:0:0:root:/root:/bin/sh\ndeep\npasswd\n1000:1000\nwritten\n"), r.ToString());
        Assert.That(File.Exists(Path.Combine(etc, "added")), Is.False, "writes land in the tmpfs, not in the rootfs");
    }

    /// <summary>
    /// A mapping {containerID c, hostID h} on a mount, as runc writes it into the mount's user
    /// namespace: what the source owns as c is seen (and made) as h through the mount.
    /// </summary>
    [Test]
    public void AnIdMappedBindShowsHostIdsAsTheMountsMappingSays()
    {
        using var host = new TempDir();
        File.SetUnixFileMode(host.Path, (UnixFileMode)0x1ed);
        File.WriteAllText(Path.Combine(host.Path, "owned-by-root"), "x");
        var mapping = new JsonArray(new JsonObject { ["containerID"] = 0, ["hostID"] = 1000, ["size"] = 1 });
        var r = RunShell("stat -c '%u:%g' /mapped/owned-by-root /mapped; touch /mapped/made-by-1000 && echo made; grep ' /mapped ' /proc/self/mountinfo | grep -c idmapped", b =>
        {
            b.Process["user"] = new JsonObject { ["uid"] = 1000, ["gid"] = 1000 };
            var m = TestBundle.Mount("/mapped", "bind", host.Path, "bind", "idmap");
            m["uidMappings"] = mapping.DeepClone();
            m["gidMappings"] = mapping.DeepClone();
            b.Config["mounts"]!.AsArray().Add(m);
        });
        Assert.That(r.Stdout, Is.EqualTo("1000:1000\n1000:1000\nmade\n1\n"), $"what the host owns as 0 is 1000's through the mount: {r}");
        var made = Runcs.Exec("stat", ["-c", "%u:%g", Path.Combine(host.Path, "made-by-1000")]);
        Assert.That(made.Stdout.Trim(), Is.EqualTo("0:0"), "and what 1000 makes there is owned by 0 on the host");
    }

    [Test]
    public void AnIdMappedBindWithoutAnyMappingsIsRefusedByName()
    {
        using var host = new TempDir();
        using var b = new TestBundle("true");
        b.Config["mounts"]!.AsArray().Add(TestBundle.Mount("/mapped", "bind", host.Path, "bind", "idmap"));
        var before = Runcs.InitProcesses();
        var r = b.Create();
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("mounts[").And.Contain("an id-mapped mount needs uidMappings and gidMappings"), r.ToString());
        b.AssertNothingLeft(before);
    }

    /// <summary>
    /// In a container with a user namespace (runc's idmap.bats): runcs id-maps the bind with the
    /// host's credentials and the init moves it in. Without an id map the host's root files
    /// show as the overflow id (65534); through the container's maps they are its root's; a
    /// mount's own mapping (host 0 as 100001, the container's uid 1) wins; ridmap maps the
    /// submounts too.
    /// </summary>
    [TestCase("idmap", false, "0:0")]
    [TestCase("idmap", true, "1:1")]
    [TestCase("bind", false, "65534:65534")]
    public void AnIdMappedBindInAUserNamespace(string option, bool ownMapping, string owner)
    {
        using var host = new TempDir();
        File.SetUnixFileMode(host.Path, (UnixFileMode)0x1ff);
        File.WriteAllText(Path.Combine(host.Path, "owned-by-root"), "x");
        var r = RunShell("stat -c '%u:%g' /home/user/owned-by-root; touch /home/user/made 2>/dev/null && echo made || echo not-made", b =>
        {
            b.InUserNamespace();
            // A mount point the rootfs has: the container's root (host 100000) cannot make one in the host's rootfs.
            var m = TestBundle.Mount("/home/user", "bind", host.Path, "bind", option);
            if (ownMapping)
            {
                m["uidMappings"] = new JsonArray(new JsonObject { ["containerID"] = 0, ["hostID"] = 100001, ["size"] = 65535 });
                m["gidMappings"] = new JsonArray(new JsonObject { ["containerID"] = 0, ["hostID"] = 100001, ["size"] = 65535 });
            }
            b.Config["mounts"]!.AsArray().Add(m);
        });
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        // The container's root is host 100000, which the mount's own mapping (from 100001) does not map back: it cannot write there.
        Assert.That(r.Stdout, Is.EqualTo($"{owner}\n{(ownMapping ? "not-made" : "made")}\n"), r.ToString());
        if (!ownMapping)
        {
            var made = Runcs.Exec("stat", ["-c", "%u:%g", Path.Combine(host.Path, "made")]);
            Assert.That(made.Stdout.Trim(), Is.EqualTo(option == "bind" ? "100000:100000" : "0:0"), "what the container's root makes there, as the host sees it");
        }
    }

    [Test]
    public void RidmapMapsTheSubmountsOfAnRbindInAUserNamespace()
    {
        using var host = new TempDir();
        using var sub = new TempDir();
        File.WriteAllText(Path.Combine(sub.Path, "in-submount"), "x");
        var subMount = Path.Combine(host.Path, "sub");
        Directory.CreateDirectory(subMount);
        Assert.That(Runcs.Exec("mount", ["--bind", sub.Path, subMount]).ExitCode, Is.Zero);
        try
        {
            var r = RunShell("stat -c '%u:%g' /home/user/sub/in-submount", b =>
            {
                b.InUserNamespace();
                b.Config["mounts"]!.AsArray().Add(TestBundle.Mount("/home/user", "bind", host.Path, "rbind", "ridmap"));
            });
            Assert.That(r.Stdout, Is.EqualTo("0:0\n"), r.ToString());
        }
        finally
        {
            Runcs.Exec("umount", [subMount]);
        }
    }

    [Test]
    public void MountDestinationsAreCreatedInsideTheRootfs()
    {
        var r = RunShell("test -d /a/b/c && echo made", b =>
            b.Config["mounts"]!.AsArray().Add(TestBundle.Mount("/a/b/c", "tmpfs", "tmpfs")));
        Assert.That(r.Stdout, Is.EqualTo("made\n"), r.ToString());
    }

    [Test]
    public void MaskedPathsReadEmptyAndReadonlyPathsRefuseWrites()
    {
        // /proc/timer_list (a file: /dev/null over it) and /proc/acpi (a directory: empty tmpfs) are in the default list.
        Assert.That(File.Exists("/proc/timer_list") && Directory.Exists("/proc/acpi"), Is.True, "host kernel lacks the masked paths this test reads");
        Assert.That(File.ReadAllText("/proc/timer_list").Length, Is.GreaterThan(0), "the host file has content");
        var r = RunShell("wc -c < /proc/timer_list; ls /proc/acpi | wc -l; echo 1 > /proc/sys/kernel/ns_last_pid 2>/dev/null && echo wrote || echo refused");
        Assert.That(r.Stdout, Is.EqualTo("0\n0\nrefused\n"), r.ToString());
    }

    [Test]
    public void ReadonlyRootRefusesWritesWritableRootAllowsThem()
    {
        var ro = RunShell("touch /x 2>/dev/null && echo wrote || echo refused");
        Assert.That(ro.Stdout, Is.EqualTo("refused\n"), ro.ToString());
    }

    [Test]
    public void SysctlIsWrittenInTheContainer()
    {
        var r = RunShell("cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni", b =>
            b.Linux["sysctl"] = new JsonObject { ["net.ipv4.ip_forward"] = "1", ["kernel.shmmni"] = "1234" });
        Assert.That(r.Stdout, Is.EqualTo("1\n1234\n"), r.ToString());
    }

    [Test]
    public void UserNamespaceMapsRootToAnUnprivilegedHostId()
    {
        var r = RunShell("cat /proc/self/uid_map /proc/self/gid_map; id -u; ls -ln /dev/null | awk '{print $1}'", b =>
        {
            b.InUserNamespace();
        });
        var lines = r.Stdout.Split('\n');
        Assert.That(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "0", "100000", "65536" }), r.ToString());
        Assert.That(lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "0", "100000", "65536" }));
        Assert.That(lines[2], Is.EqualTo("0"));
        Assert.That(lines[3], Does.StartWith("crw-rw-rw-"), "default devices are bind-mounted from the host in a user namespace");
    }

    [Test]
    public void NoPivotStillJailsTheProcess()
    {
        using var b = new TestBundle("sh", "-c", "ls / | wc -l; cat /proc/self/mountinfo | wc -l");
        var r = b.Run("--no-pivot");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        var entries = Directory.GetFileSystemEntries(Runcs.Rootfs).Length;
        Assert.That(r.Stdout.Split('\n')[0], Is.EqualTo(entries.ToString()), "the container sees the bundle's rootfs as /");
    }

    [Test]
    public void NoPivotHidesTheHostsProcfsFromNewProcMounts()
    {
        // runc's suite, no_pivot.bats: a procfs the host left fully visible would let the container mount its own.
        using var b = new TestBundle("unshare", "-mrpf", "sh", "-c", "mount -t proc none /proc && echo mounted");
        b.Process["capabilities"]!["bounding"]!.AsArray().Add("CAP_SETFCAP");
        b.Process["capabilities"]!["permitted"]!.AsArray().Add("CAP_SETFCAP");
        var r = b.Run("--no-pivot");
        Assert.That(r.ExitCode, Is.Not.Zero, r.ToString());
        Assert.That(r.Stdout, Does.Not.Contain("mounted"));
        Assert.That(r.Stderr, Does.Contain("mount: permission denied"));
    }

    [Test]
    public void AReadonlyDevGetsItsNodesFirst()
    {
        // runc's suite, mounts.bats "run [ro /dev mount]".
        var r = RunShell("grep '^tmpfs /dev ' /proc/mounts | cut -d' ' -f4 | cut -d, -f1; ls /dev/null /dev/pts/ptmx", b =>
        {
            var dev = b.Config["mounts"]!.AsArray().First(m => m!["destination"]!.GetValue<string>() == "/dev")!;
            dev["options"]!.AsArray().Add("ro");
        });
        Assert.That(r, Is.EqualTo(new ProcResult(0, "ro\n/dev/null\n/dev/pts/ptmx\n", "")));
    }

    [Test]
    public void ADestinationThatNamesTheRootfsIsTakenAsJoined()
    {
        // runc's suite, mounts.bats "mount order": destinations given as host paths inside the rootfs.
        var r = RunShell("cat /data/passwd", b =>
        {
            var rootfs = b.Config["root"]!["path"]!.GetValue<string>();
            b.Config["mounts"]!.AsArray().Add(TestBundle.Mount(rootfs + "/data", "bind", rootfs + "/etc", "rbind"));
        });
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.Stdout, Is.EqualTo(File.ReadAllText(Path.Combine(Runcs.Rootfs, "etc/passwd"))));
    }

    [Test]
    public void ABindSourceTheUserNamespaceCannotReachIsOpenedByRuncs()
    {
        // runc's suite, userns.bats "userns with 2 inaccessible mounts": only the host's root can enter the parent.
        using var src = new TempDir();
        var parent = Path.Combine(src.Path, "private");
        Directory.CreateDirectory(Path.Combine(parent, "dir"));
        File.WriteAllText(Path.Combine(parent, "dir", "f"), "reached\n");
        File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var r = RunShell("cat /tmp/f", b =>
        {
            b.InUserNamespace();
            b.Config["mounts"]!.AsArray().Add(TestBundle.Mount("/tmp", "bind", Path.Combine(parent, "dir"), "bind"));
        });
        Assert.That(r, Is.EqualTo(new ProcResult(0, "reached\n", "")));
    }

    /// <summary>A tmpfs whose own mount flags are FLAGS (set by a bind remount, as runc's mounts_sshfs.bats does).</summary>
    private sealed class FlaggedTmpfs : IDisposable
    {
        public TempDir Dir { get; } = new();

        public FlaggedTmpfs(string flags)
        {
            Host("mount", "-t", "tmpfs", "-o", "rw,suid,dev,exec,strictatime", "tmpfs", Dir.Path);
            Host("mount", "--bind", "-o", "remount," + flags, Dir.Path);
        }

        private static void Host(params string[] args)
        {
            var r = Runcs.Exec(args[0], args[1..]);
            Assert.That(r.ExitCode, Is.Zero, r.ToString());
        }

        public void Dispose()
        {
            Runcs.Exec("umount", [Dir.Path]);
            Dir.Dispose();
        }
    }

    private static string OwnFlagsOfTmp => "awk '$2 == \"/tmp\" { print $4 }' /proc/self/mounts";

    [Test]
    public void ABindWithAFlagGetsExactlyTheFlagsItNames()
    {
        // runc's suite, mounts_sshfs.bats: "bind,dev" over a ro,noexec source clears ro and noexec too.
        using var src = new FlaggedTmpfs("ro,noexec,nosuid");
        var r = RunShell(OwnFlagsOfTmp, b => b.Config["mounts"]!.AsArray().Add(TestBundle.Mount("/tmp", "bind", src.Dir.Path, "bind", "dev")));
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.Stdout.Trim().Split(','), Does.Contain("rw").And.Not.Contain("noexec").And.Not.Contain("nosuid"), r.ToString());

        var keep = RunShell(OwnFlagsOfTmp, b => b.Config["mounts"]!.AsArray().Add(TestBundle.Mount("/tmp", "bind", src.Dir.Path, "bind")));
        Assert.That(keep.Stdout.Trim().Split(','), Does.Contain("ro").And.Contain("noexec").And.Contain("nosuid"), "bind alone keeps the source's flags");
    }

    [Test]
    public void InAUserNamespaceTheLockedFlagsStayOrTheMountFails()
    {
        using var src = new FlaggedTmpfs("nosuid,nodev,noexec");
        var kept = RunShell(OwnFlagsOfTmp, b =>
        {
            b.InUserNamespace();
            b.Config["mounts"]!.AsArray().Add(TestBundle.Mount("/tmp", "bind", src.Dir.Path, "bind", "ro"));
        });
        Assert.That(kept.ExitCode, Is.Zero, kept.ToString());
        Assert.That(kept.Stdout.Trim().Split(','), Does.Contain("ro").And.Contain("nosuid").And.Contain("nodev").And.Contain("noexec"));

        var refused = RunShell(OwnFlagsOfTmp, b =>
        {
            b.InUserNamespace();
            b.Config["mounts"]!.AsArray().Add(TestBundle.Mount("/tmp", "bind", src.Dir.Path, "bind", "exec"));
        });
        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Stderr, Does.Match("^runcs: run failed: remount /tmp \\(mounts\\[\\d+\\]\\): cannot clear locked flags noexec: operation not permitted\n$"));
    }

    [Test]
    public void SymlinkedMountDestinationStaysInsideTheRootfs()
    {
        using var rootfs = new TempDir();
        Runcs.Exec("/bin/cp", ["-a", Runcs.Rootfs + "/.", rootfs.Path]);
        using var outside = new TempDir();
        // A destination that is a symlink to a host path must resolve inside the rootfs (CVE-2021-30465 class).
        File.CreateSymbolicLink(Path.Combine(rootfs.Path, "escape"), outside.Path);
        var r = RunShell("echo inside > /escape/proof 2>/dev/null; ls /escape", b =>
        {
            b.Config["root"]!["path"] = rootfs.Path;
            b.Config["root"]!["readonly"] = false;
            b.Config["mounts"]!.AsArray().Add(TestBundle.Mount("/escape", "tmpfs", "tmpfs"));
        });
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(Directory.GetFileSystemEntries(outside.Path), Is.Empty, "the host directory must be untouched");
    }
}

public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("runcs-tmp-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
