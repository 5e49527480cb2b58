using NUnit.Framework;
using Runc.Sharp.Cgroups.Systemd;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Tests.Unit;

/// <summary>The systemd driver's pure parts: cgroupsPath to unit and cgroup, device rules to DeviceAllow, D-Bus marshalling.</summary>
public class SystemdUnitTests
{
    [TestCase("system.slice:runc:abc", "system.slice", "runc-abc.scope", "/system.slice/runc-abc.scope")]
    [TestCase(":cri-containerd:abc", "system.slice", "cri-containerd-abc.scope", "/system.slice/cri-containerd-abc.scope")]
    [TestCase("kubepods-burstable-pod1.slice:cri-containerd:abc", "kubepods-burstable-pod1.slice", "cri-containerd-abc.scope",
        "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/cri-containerd-abc.scope")]
    [TestCase("-.slice::abc", "-.slice", "abc.scope", "/abc.scope")]
    [TestCase(null, "system.slice", "runcs-ID.scope", "/system.slice/runcs-ID.scope")]
    public void CgroupsPathNamesTheScopeAndItsCgroup(string? cgroupsPath, string slice, string name, string cgroup)
    {
        var unit = SystemdUnit.Parse(cgroupsPath, "ID");
        Assert.That((unit.Slice, unit.Name, unit.CgroupPath), Is.EqualTo((slice, name, cgroup)));
    }

    [TestCase("a:b", "expected \"slice:prefix:name\"")]
    [TestCase("system.slice:p:", "the name part is empty")]
    [TestCase("system.slice:p:x.slice", "a slice as the container's own unit")]
    [TestCase("a/b.slice:p:x", "is not a slice name")]
    [TestCase("-a.slice:p:x", "is not a valid slice name")]
    [TestCase("a--b.slice:p:x", "is not a valid slice name")]
    [TestCase("system.slice:p:x/y", "cannot contain \"/\"")]
    public void AMalformedCgroupsPathIsRefused(string cgroupsPath, string message) =>
        Assert.That(() => SystemdUnit.Parse(cgroupsPath, "id"), Throws.InstanceOf<RuncsException>().With.Message.Contain(message));

    private static readonly Dictionary<(char, long), string> Majors = new() { [('c', 136)] = "pts", [('c', 10)] = "misc" };

    private static DeviceRule Rule(bool allow, string? type, long? major, long? minor, string access = "rwm") =>
        new() { Allow = allow, Type = type, Major = major, Minor = minor, Access = access };

    private static List<(string, string)> DeviceAllow(IReadOnlyList<DeviceRule> rules)
    {
        var props = ScopeProperties.Devices(rules, Majors)!;
        Assert.That(props.Select(p => p.Name), Is.EqualTo(new[] { "DevicePolicy", "DeviceAllow" }));
        var w = new DbusWriter();
        props[1].Value(w);
        var r = new DbusReader(w.ToArray());
        int length = (int)r.UInt32();
        r.Align(8);
        int end = r.Position + length;
        var entries = new List<(string, string)>();
        while (r.Position < end)
        {
            r.Align(8);
            entries.Add((r.String(), r.String()));
        }
        return entries;
    }

    [Test]
    public void DenyAllThenAllowsBecomeAStrictAllowList()
    {
        var entries = DeviceAllow([Rule(false, null, null, null), Rule(true, "c", null, null, "m"), Rule(true, "c", 1, 3),
            Rule(true, "c", 136, null), Rule(true, "b", 8, 0, "r")]);
        Assert.That(entries, Is.EqualTo(new[] { ("char-*", "m"), ("/dev/char/1:3", "rwm"), ("char-pts", "rwm"), ("/dev/block/8:0", "r") }));
    }

    [Test]
    public void RulesBeforeTheLastDenyAllDoNotCount() =>
        Assert.That(DeviceAllow([Rule(true, "c", 1, 5), Rule(false, "a", null, null), Rule(true, "c", 1, 3)]),
            Is.EqualTo(new[] { ("/dev/char/1:3", "rwm") }));

    [Test]
    public void AllowingEveryDeviceNeedsNoDeviceProperties() =>
        Assert.That(ScopeProperties.Devices([Rule(false, null, null, null), Rule(true, "a", null, null)], Majors), Is.Null);

    [TestCase(true)]
    [TestCase(false)]
    public void ADenyOfSomethingAllowedIsRefused(bool allowAllFirst)
    {
        DeviceRule[] rules = allowAllFirst
            ? [Rule(true, null, null, null), Rule(false, "c", 1, 3)]
            : [Rule(false, null, null, null), Rule(true, "c", 1, null), Rule(false, "c", 1, 3)];
        Assert.That(() => ScopeProperties.Devices(rules, Majors), Throws.InstanceOf<RuncsException>().With.Message.Contain("systemd's DeviceAllow holds only allowed devices"));
    }

    [Test]
    public void AMajorWithoutANameIsRefused() =>
        Assert.That(() => ScopeProperties.Devices([Rule(false, null, null, null), Rule(true, "c", 250, null)], Majors),
            Throws.InstanceOf<RuncsException>().With.Message.Contain("major 250 is not in /proc/devices"));

    [Test]
    public void ProcDevicesPrefersAPlainName()
    {
        var names = ScopeProperties.ProcDevices(["Character devices:", "  4 /dev/vc/0", "  4 tty", "136 pts", "", "Block devices:", "  8 sd"]);
        Assert.That(names, Is.EquivalentTo(new Dictionary<(char, long), string> { [('c', 4)] = "tty", [('c', 136)] = "pts", [('b', 8)] = "sd" }));
    }

    [Test]
    public void AMethodCallIsMarshalledAsTheSpecificationAligns()
    {
        var w = new DbusWriter();
        w.Byte(1);
        w.String("ab");
        w.Array(8, () => w.Struct(() => { w.String("x"); w.Variant("t", () => w.UInt64(7)); }));
        w.Array(8, () => { });
        Assert.That(Convert.ToHexString(w.ToArray()), Is.EqualTo(
            "01000000" + "02000000" + "616200" + "00" + "18000000" + "01000000" + "7800" + "017400" + "00000000000000"
            + "0700000000000000" + "00000000" + "00000000"));
    }
}
