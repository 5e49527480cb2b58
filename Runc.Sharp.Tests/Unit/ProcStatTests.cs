using NUnit.Framework;
using Runc.Sharp.Linux;

namespace Runc.Sharp.Tests.Unit;

public class ProcStatTests
{
    // Fields 3..52 of proc(5) after "pid (comm) "; starttime (field 22) is 987654.
    private const string Tail = "S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 12345678 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

    [Test]
    public void ParsesStateAndStartTime()
    {
        var stat = ProcStat.Parse("1234 (sh) " + Tail);
        Assert.That(stat, Is.EqualTo(new ProcStat('S', 987654)));
        Assert.That(stat!.Value.IsDead, Is.False);
    }

    [TestCase("a b")]
    [TestCase("a b) c")]
    [TestCase(") (")]
    [TestCase("((x))")]
    [TestCase("")]
    [TestCase("S 1 2 3")]
    public void CommMayContainSpacesAndParentheses(string comm)
    {
        Assert.That(ProcStat.Parse($"1234 ({comm}) " + Tail), Is.EqualTo(new ProcStat('S', 987654)));
    }

    [TestCase('Z', true)]
    [TestCase('X', true)]
    [TestCase('x', true)]
    [TestCase('R', false)]
    [TestCase('D', false)]
    [TestCase('T', false)]
    [TestCase('I', false)]
    public void DeadStates(char state, bool dead)
    {
        var stat = ProcStat.Parse("7 (p) " + state + Tail[1..]);
        Assert.That(stat!.Value.State, Is.EqualTo(state));
        Assert.That(stat.Value.IsDead, Is.EqualTo(dead));
    }

    [TestCase("")]
    [TestCase("1234")]
    [TestCase("1234 (sh")]
    [TestCase("1234 (sh)")]
    [TestCase("1234 (sh) S 1 2 3")]
    [TestCase("1234 (sh) SS 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1")]
    [TestCase("1234 (sh) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 -5 1")]
    [TestCase("1234 (sh) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 abc 1")]
    public void MalformedIsNull(string text) => Assert.That(ProcStat.Parse(text), Is.Null);

    [Test]
    public void ReadsOwnProcess()
    {
        var self = ProcStat.Read(Environment.ProcessId);
        Assert.That(self, Is.Not.Null);
        Assert.That(self!.Value.IsDead, Is.False);
        Assert.That(self.Value.StartTime, Is.GreaterThan(0UL));
        Assert.That(ProcStat.Read(Environment.ProcessId), Is.EqualTo(self), "start time is stable");
    }

    [Test]
    public void MissingProcessIsNull()
    {
        // pid_max is at most 2^22 on Linux, so this pid cannot exist.
        Assert.That(ProcStat.Read(int.MaxValue), Is.Null);
        Assert.That(ProcStat.Read(-1), Is.Null);
    }
}
