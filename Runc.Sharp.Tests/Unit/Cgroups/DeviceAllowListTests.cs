using NUnit.Framework;
using Runc.Sharp.Cgroups.Resources;
using Runc.Sharp.Spec;
using SpecLinux = Runc.Sharp.Spec.Linux;
using SpecResources = Runc.Sharp.Spec.Resources;

namespace Runc.Sharp.Tests.Unit.Cgroups;

public class DeviceAllowListTests
{
    /// <summary>runc 1.3's AllowedDevices (libcontainer/specconv/spec_linux.go), in its order, as v1 lines.</summary>
    internal static readonly string[] DefaultLines =
    [
        "c *:* m", "b *:* m",
        "c 1:3 rwm", "c 1:8 rwm", "c 1:7 rwm", "c 5:0 rwm", "c 1:5 rwm", "c 1:9 rwm",
        "c 136:* rwm", "c 5:2 rwm", "c 10:200 rwm",
    ];

    private static string[] Lines(IEnumerable<DeviceRule> rules) =>
        rules.Select(r => (r.Allow ? "allow " : "deny ") + DeviceAllowList.V1Line(r)).ToArray();

    [Test]
    public void WithoutAConfigTheListIsRuncsDefaultAllows()
    {
        Assert.That(Lines(DeviceAllowList.For(null)), Is.EqualTo(DefaultLines.Select(l => "allow " + l)));
        Assert.That(Lines(DeviceAllowList.For(new SpecLinux())), Is.EqualTo(DefaultLines.Select(l => "allow " + l)));
    }

    [Test]
    public void ConfigRulesComeFirstThenDefaultsAndTheConfigsDevicesGetNoRuleOfTheirOwn()
    {
        var linux = new SpecLinux
        {
            Resources = new SpecResources
            {
                Devices =
                [
                    new DeviceRule { Allow = false, Access = "rwm" },
                    new DeviceRule { Allow = true, Type = "c", Major = 10, Minor = 229, Access = "rw" },
                    new DeviceRule { Allow = false, Type = "b", Major = 8, Access = "w" },
                ],
            },
            Devices =
            [
                new Device { Path = "/dev/fuse", Type = "c", Major = 10, Minor = 229 },
                new Device { Path = "/dev/sda", Type = "b", Major = 8, Minor = 0 },
                new Device { Path = "/dev/ttyu", Type = "u", Major = 4, Minor = 1 },
            ],
        };
        var expected = new List<string> { "deny a *:* rwm", "allow c 10:229 rw", "deny b 8:* w" };
        expected.AddRange(DefaultLines.Select(l => "allow " + l));
        Assert.That(Lines(DeviceAllowList.For(linux)), Is.EqualTo(expected), "runc's suite, dev.bats \"device cgroup deny\"");
    }

    [Test]
    public void AccessLettersOtherThanRwmAreDroppedAsRuncDoes()
    {
        // runc's suite, update.bats "devices [minimal transition rules]" denies c 1:11 "rwa".
        var linux = new SpecLinux
        {
            Resources = new SpecResources
            {
                Devices = [new DeviceRule { Allow = false, Type = "c", Major = 1, Minor = 11, Access = "rwa" }, new DeviceRule { Allow = true, Type = "c", Major = 1, Minor = 12, Access = "x" }],
            },
        };
        Assert.That(Lines(DeviceAllowList.For(linux)).Take(2), Is.EqualTo(new[] { "deny c 1:11 rw", "allow c *:* m" }));
    }

    [Test]
    public void AConfigDeviceAtADefaultPathTakesTheDefaultsPlace()
    {
        var linux = new SpecLinux { Devices = [new Device { Path = "/dev/null", Type = "c", Major = 1, Minor = 7 }] };
        Assert.That(Lines(DeviceAllowList.For(linux)), Is.EqualTo(DefaultLines.Where(l => l != "c 1:3 rwm").Select(l => "allow " + l)));
    }

    [Test]
    public void AFifoDeviceGetsNoCgroupRule()
    {
        // The devices cgroup has no rule for fifos; writing "p 0:0 rwm" to devices.allow is EINVAL.
        var linux = new SpecLinux { Devices = [new Device { Path = "/dev/x", Type = "p" }] };
        Assert.That(Lines(DeviceAllowList.For(linux)), Is.EqualTo(Lines(DeviceAllowList.For(new SpecLinux()))));
    }

    [TestCase(null, null, null, "r", "a *:* r")]
    [TestCase("a", null, null, "rwm", "a *:* rwm")]
    [TestCase("a", 1L, 3L, "rw", "a *:* rw")]
    [TestCase("", null, null, null, "a *:* rwm")]
    [TestCase("c", 1L, 3L, "rwm", "c 1:3 rwm")]
    [TestCase("c", 136L, null, "rwm", "c 136:* rwm")]
    [TestCase("c", null, 5L, "r", "c *:5 r")]
    [TestCase("b", -1L, -1L, "m", "b *:* m")]
    [TestCase("b", 8L, 0L, null, "b 8:0 rwm")]
    [TestCase("c", 10L, 200L, "", "c 10:200 rwm")]
    public void V1Line(string? type, long? major, long? minor, string? access, string line) =>
        Assert.That(DeviceAllowList.V1Line(new DeviceRule { Allow = true, Type = type, Major = major, Minor = minor, Access = access }), Is.EqualTo(line));

    [Test]
    public void TheDefaultsAreNotSharedBetweenCalls()
    {
        var first = DeviceAllowList.For(null);
        var second = DeviceAllowList.For(new SpecLinux { Resources = new SpecResources { Devices = [new DeviceRule { Allow = false }] } });
        Assert.That(first, Has.Count.EqualTo(DefaultLines.Length));
        Assert.That(second, Has.Count.EqualTo(DefaultLines.Length + 1));
        Assert.That(second[0].Allow, Is.False);
    }
}
