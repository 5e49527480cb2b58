using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// linux.netDevices (runc 1.4's netdev.bats, with a veth pair: this kernel has no dummy links):
/// the host's device shows inside the container under its new name with its MTU and its
/// permanent global addresses, and is gone from the host.
/// </summary>
[TestFixture]
[NonParallelizable]
public class NetDeviceTests
{
    private string _host = null!, _peer = null!;

    [SetUp]
    public void VethPair()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        (_host, _peer) = ($"rv{suffix}a", $"rv{suffix}b");
        Ip("link", "add", _host, "type", "veth", "peer", "name", _peer);
    }

    [TearDown]
    public void Remove()
    {
        Runcs.Exec("ip", ["link", "del", _peer]);
        Runcs.Exec("ip", ["link", "del", _host]);
    }

    private static void Ip(params string[] args)
    {
        var r = Runcs.Exec("ip", args);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
    }

    private TestBundle Moving(string? rename, params string[] args)
    {
        var b = new TestBundle(args);
        b.Linux["netDevices"] = new JsonObject { [_host] = rename is null ? new JsonObject() : new JsonObject { ["name"] = rename } };
        return b;
    }

    [Test]
    public void TheDeviceMovesInRenamedWithItsMtuAndGlobalAddress()
    {
        Ip("link", "set", "mtu", "1789", "dev", _host);
        Ip("address", "add", "169.254.169.77/24", "dev", _host);
        Ip("address", "add", "127.0.0.33/8", "dev", _host);
        using var b = Moving("ctr0", "ip", "address", "show", "dev", "ctr0");
        var r = b.Run();
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.Stdout, Does.Contain("mtu 1789 "));
        Assert.That(r.Stdout, Does.Contain("inet 169.254.169.77/24 brd 169.254.169.255 scope global ctr0"), "a permanent address of global scope comes along");
        Assert.That(r.Stdout, Does.Not.Contain("127.0.0.33"), "one of host scope does not");
    }

    [Test]
    public void TheDeviceLeavesTheHostAndAVirtualOneEndsWithTheContainer()
    {
        using var b = Moving(null, "sleep", "300");
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        Assert.That(Directory.Exists($"/sys/class/net/{_host}"), Is.False, "moved out of the host's namespace");
        var inside = b.Runcs("exec", b.Id, "cat", $"/sys/class/net/{_host}/operstate");
        Assert.That(inside.ExitCode, Is.Zero, "same name inside: " + inside);
        Assert.That(b.Runcs("delete", "--force", b.Id).ExitCode, Is.Zero);
        for (int i = 0; i < 50 && Directory.Exists($"/sys/class/net/{_peer}"); i++)
            Thread.Sleep(20);
        Assert.That(Directory.Exists($"/sys/class/net/{_peer}"), Is.False, "a veth is deleted with the namespace, and its peer with it");
    }

    /// <summary>A joined namespace is entered by the child after its release: the device must still land there, and stay after delete.</summary>
    [Test]
    public void TheDeviceMovesIntoAJoinedNamespaceAndStaysThere()
    {
        var ns = "runcs-it-" + _host;
        Ip("netns", "add", ns);
        try
        {
            using var b = Moving("joined0", "sleep", "300");
            foreach (var n in b.Linux["namespaces"]!.AsArray().Where(n => n!["type"]!.GetValue<string>() == "network"))
                n!["path"] = $"/var/run/netns/{ns}";
            Assert.That(b.Run("-d").ExitCode, Is.Zero);
            Assert.That(b.Runcs("delete", "--force", b.Id).ExitCode, Is.Zero);
            var r = Runcs.Exec("ip", ["netns", "exec", ns, "ip", "link", "show", "joined0"]);
            Assert.That(r.ExitCode, Is.Zero, "the namespace's owner keeps the device: " + r);
        }
        finally
        {
            Runcs.Exec("ip", ["netns", "del", ns]);
        }
    }

    [TestCase("nosuchdev0", null, "linux.netDevices.nosuchdev0: link not found for interface nosuchdev0 on runtime namespace")]
    [TestCase(null, "bad/name", "linux.netDevices.{host}.name: invalid network device name \"bad/name\"")]
    [TestCase(null, "averyveryverylongname", "invalid network device name \"averyveryverylongname\"")]
    public void ABadDeviceIsRefusedNamingIt(string? device, string? rename, string message)
    {
        using var b = new TestBundle("true");
        b.Linux["netDevices"] = new JsonObject { [device ?? _host] = rename is null ? new JsonObject() : new JsonObject { ["name"] = rename } };
        var before = Runcs.InitProcesses();
        var r = b.Create();
        Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
        Assert.That(r.Stderr, Does.Contain(message.Replace("{host}", _host)), r.ToString());
        b.AssertNothingLeft(before);
        Assert.That(Directory.Exists($"/sys/class/net/{_host}"), Is.True, "a refused config moves nothing");
    }

    [Test]
    public void WithoutANetworkNamespaceItIsRefused()
    {
        using var b = Moving(null, "true");
        b.Linux["namespaces"] = new JsonArray(b.Linux["namespaces"]!.AsArray().Where(n => n!["type"]!.GetValue<string>() != "network").Select(n => n!.DeepClone()).ToArray());
        var r = b.Create();
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("linux.netDevices: unable to move network devices without a network namespace"), r.ToString());
    }
}
