using NUnit.Framework;
using Runc.Sharp.Linux;

namespace Runc.Sharp.Tests.Unit;

public class MountInfoTests
{
    [Test]
    public void ParsesALineWithOptionalFields()
    {
        var m = MountInfoLine.Parse("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:2 - ext3 /dev/root rw,errors=continue");
        Assert.That(m, Is.EqualTo(new MountInfoLine(36, 35, "/mnt1", "/mnt2", "rw,noatime", "ext3", "/dev/root", "rw,errors=continue")));
    }

    [Test]
    public void UnescapesOctal()
    {
        var m = MountInfoLine.Parse(@"40 23 0:50 / /mnt/with\040space\011tab rw - tmpfs my\134src rw")!;
        Assert.That(m.MountPoint, Is.EqualTo("/mnt/with space\ttab"));
        Assert.That(m.Source, Is.EqualTo(@"my\src"));
        Assert.That(MountInfoLine.Unescape(@"a\12b\0"), Is.EqualTo(@"a\12b\0"), "incomplete escapes stay");
    }

    [TestCase("")]
    [TestCase("no dash here")]
    [TestCase("1 2 3 - x y z")]
    [TestCase("36 35 98:0 / /m rw - ext3 /dev/root")]
    public void MalformedIsNull(string line) => Assert.That(MountInfoLine.Parse(line), Is.Null);

    [Test]
    public void ParsesThisHostsMountinfo()
    {
        var lines = File.ReadAllLines("/proc/self/mountinfo");
        var parsed = lines.Select(MountInfoLine.Parse).ToList();
        Assert.That(parsed, Has.None.Null);
        Assert.That(parsed.Select(m => m!.MountPoint), Does.Contain("/"));
    }
}
