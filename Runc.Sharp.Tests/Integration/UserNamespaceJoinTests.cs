using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// A container that joins another's user namespace by path (runc's userns.bats "userns join
/// …" and run.bats "joining namespaces"): the namespaces it makes are owned by the joined one,
/// so its root can mount there, and a namespace owned by another user namespace is joined
/// before the user namespace, while the host's credentials still may. Checked from inside
/// (id maps, /proc/self/ns) against the target's.
/// </summary>
[TestFixture]
[NonParallelizable]
public class UserNamespaceJoinTests
{
    private readonly List<string> _unmount = [];

    [TearDown]
    public void Unmount()
    {
        foreach (var path in _unmount)
        {
            Runcs.Exec("umount", ["-l", path]);
            File.Delete(path);
        }
        _unmount.Clear();
    }

    private static TestBundle Target()
    {
        var b = new TestBundle("sleep", "300");
        b.InUserNamespace();
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        return b;
    }

    private static int Pid(TestBundle b) => b.State()["pid"]!.GetValue<int>();

    /// <summary>A bundle that joins <paramref name="userns"/>, with no maps of its own and every other namespace new.</summary>
    private static TestBundle Joining(string userns, params string[] args)
    {
        var b = new TestBundle(args);
        b.InUserNamespace();
        b.Linux.Remove("uidMappings");
        b.Linux.Remove("gidMappings");
        foreach (var ns in b.Linux["namespaces"]!.AsArray().Where(n => n!["type"]!.GetValue<string>() == "user"))
            ns!["path"] = userns;
        return b;
    }

    private string BindMounted(string nsFile)
    {
        var path = Path.Combine(Path.GetTempPath(), $"runcs-it-ns-{Guid.NewGuid():N}");
        File.WriteAllText(path, "");
        _unmount.Add(path);
        var r = Runcs.Exec("mount", ["--bind", nsFile, path]);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        return path;
    }

    private static string Inode(string path) => Runcs.Exec("stat", ["-L", "-c", "%i", path]).Stdout.Trim();

    [TestCase(false)]
    [TestCase(true)]
    public void AContainerJoinsAnotherContainersUserNamespace(bool bindMounted)
    {
        using var target = Target();
        var userns = $"/proc/{Pid(target)}/ns/user";
        if (bindMounted)
            userns = BindMounted(userns);
        using var b = Joining(userns, "sleep", "300");
        b.Config["hostname"] = "joined";
        var run = b.Run("-d");
        Assert.That(run.ExitCode, Is.Zero, "its new mount and uts namespaces are the joined user namespace's: " + run);
        var maps = b.Runcs("exec", b.Id, "sh", "-c", "cat /proc/self/uid_map /proc/self/gid_map; readlink /proc/self/ns/user; hostname");
        Assert.That(maps.ExitCode, Is.Zero, maps.ToString());
        var lines = maps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.That(lines[0], Is.EqualTo("0 100000 65536"));
        Assert.That(lines[1], Is.EqualTo("0 100000 65536"));
        Assert.That(lines[2], Is.EqualTo($"user:[{Inode($"/proc/{Pid(target)}/ns/user")}]"));
        Assert.That(lines[3], Is.EqualTo("joined"), "the init could set the hostname: its uts namespace is owned by the joined user namespace");
    }

    /// <summary>runc's idmap.bats "implied mapping, userns join": an id-mapped bind with no maps of its own maps through the joined user namespace.</summary>
    [Test]
    public void AnIdMappedBindTakesTheJoinedUserNamespacesMaps()
    {
        using var target = Target();
        using var host = new TempDir();
        File.WriteAllText(Path.Combine(host.Path, "owned-by-root"), "x");
        using var b = Joining($"/proc/{Pid(target)}/ns/user", "stat", "-c", "%u:%g", "/home/user/owned-by-root");
        b.Config["mounts"]!.AsArray().Add(TestBundle.Mount("/home/user", "bind", host.Path, "bind", "idmap"));
        var r = b.Run();
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.Stdout, Is.EqualTo("0:0\n"), "the host's root is the container's through the joined maps (65534 without the id map)");
    }

    [Test]
    public void ANamespaceOwnedByAnotherUserNamespaceIsJoinedFirst()
    {
        using var target = Target();
        var userns = BindMounted($"/proc/{Pid(target)}/ns/user");
        Assert.That(target.Runcs("delete", "--force", target.Id).ExitCode, Is.Zero, "the bind mount keeps the user namespace");
        var netns = BindMounted("/proc/self/ns/net");
        using var b = Joining(userns, "sleep", "300");
        foreach (var ns in b.Linux["namespaces"]!.AsArray().Where(n => n!["type"]!.GetValue<string>() == "network"))
            ns!["path"] = netns;
        var run = b.Run("-d");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var r = b.Runcs("exec", b.Id, "sh", "-c", "readlink /proc/self/ns/user; readlink /proc/self/ns/net");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.Stdout, Is.EqualTo($"user:[{Inode(userns)}]\nnet:[{Inode("/proc/self/ns/net")}]\n"));
    }

    [Test]
    public void EveryNamespaceButMountIsJoined()
    {
        using var target = Target();
        var pid = Pid(target);
        using var b = new TestBundle("sleep", "300");
        b.InUserNamespace();
        b.Linux.Remove("uidMappings");
        b.Linux.Remove("gidMappings");
        foreach (var ns in b.Linux["namespaces"]!.AsArray().Select(n => n!.AsObject()).Where(n => n["type"]!.GetValue<string>() != "mount"))
            ns["path"] = $"/proc/{pid}/ns/" + (ns["type"]!.GetValue<string>() switch { "network" => "net", var t => t });
        var run = b.Run("-d");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var r = b.Runcs("exec", b.Id, "sh", "-c", "ps -o comm | grep -c sleep; cat /proc/self/uid_map");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.Stdout.Split('\n')[0], Is.EqualTo("2"), "both inits share the pid namespace");
        Assert.That(string.Join(' ', r.Stdout.Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)), Is.EqualTo("0 100000 65536"));
    }
}
