using NUnit.Framework;
using Runc.Sharp.Linux;

namespace Runc.Sharp.Tests.Unit;

public class SignalsTests
{
    [TestCase("9", 9)]
    [TestCase("1", 1)]
    [TestCase("64", 64)]
    [TestCase("KILL", 9)]
    [TestCase("SIGKILL", 9)]
    [TestCase("kill", 9)]
    [TestCase("sigterm", 15)]
    [TestCase("TERM", 15)]
    [TestCase("HUP", 1)]
    [TestCase("USR1", 10)]
    [TestCase("SIGUSR2", 12)]
    [TestCase("CHLD", 17)]
    [TestCase("WINCH", 28)]
    [TestCase("SYS", 31)]
    [TestCase("IOT", 6)]
    [TestCase("POLL", 29)]
    [TestCase("RTMIN", 34)]
    [TestCase("RTMIN+1", 35)]
    [TestCase("SIGRTMIN+3", 37)]
    [TestCase("RTMAX", 64)]
    [TestCase("RTMAX-1", 63)]
    [TestCase("rtmax-30", 34)]
    [TestCase("0", 0)]
    public void Parses(string text, int expected) => Assert.That(Signals.Parse(text), Is.EqualTo(expected));

    [TestCase("65")]
    [TestCase("-9")]
    [TestCase("+9")]
    [TestCase(" 9")]
    [TestCase("FOO")]
    [TestCase("SIG")]
    [TestCase("")]
    [TestCase("SIGSIGKILL")]
    [TestCase("RTMIN-1")]
    [TestCase("RTMAX+1")]
    [TestCase("RTMIN+31")]
    public void RejectsUnknown(string text)
    {
        var e = Assert.Throws<RuncsException>(() => Signals.Parse(text))!;
        Assert.That(e.Message, Is.EqualTo($"unknown signal \"{text}\""));
    }

    // A typo after RTMIN/RTMAX must be a user error like any other unknown name, not a crash.
    [TestCase("RTMIN+X")]
    [TestCase("RTMINFOO")]
    [TestCase("RTMAX-")]
    [TestCase("RTMIN+99999999999")]
    public void RejectsMalformedRealtimeOffset(string text)
    {
        var e = Assert.Throws<RuncsException>(() => Signals.Parse(text))!;
        Assert.That(e.Message, Is.EqualTo($"unknown signal \"{text}\""));
    }
}
