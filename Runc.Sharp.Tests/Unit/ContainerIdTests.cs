using NUnit.Framework;
using Runc.Sharp.Lifecycle;

namespace Runc.Sharp.Tests.Unit;

public class ContainerIdTests
{
    private static IEnumerable<string> ValidIds()
    {
        yield return "a";
        yield return "abc_DEF-1.2+3";
        yield return "...";
        yield return ".hidden";
        yield return "0";
        yield return new string('x', ContainerId.MaxLength);
    }

    private static IEnumerable<string> InvalidIds()
    {
        yield return ".";
        yield return "..";
        yield return "../x";
        yield return "a/b";
        yield return "/abs";
        yield return "a b";
        yield return "é";
        yield return "tab\t";
        yield return "a:b";
        yield return "a\0b";
        yield return new string('x', ContainerId.MaxLength + 1);
    }

    [TestCaseSource(nameof(ValidIds))]
    public void Valid(string id)
    {
        Assert.That(ContainerId.Problem(id), Is.Null);
        Assert.DoesNotThrow(() => ContainerId.Validate(id));
    }

    [TestCaseSource(nameof(InvalidIds))]
    public void Invalid(string id)
    {
        Assert.That(ContainerId.Problem(id), Is.Not.Null);
        Assert.Throws<RuncsException>(() => ContainerId.Validate(id));
    }

    [Test]
    public void EmptyAndNull()
    {
        Assert.That(ContainerId.Problem(""), Is.EqualTo("container id cannot be empty"));
        Assert.That(ContainerId.Problem(null), Is.EqualTo("container id cannot be empty"));
    }

    [Test]
    public void Messages()
    {
        Assert.That(ContainerId.Problem(".."), Is.EqualTo("invalid container id \"..\""));
        Assert.That(ContainerId.Problem("a/b"), Is.EqualTo("invalid container id \"a/b\": only [A-Za-z0-9_+.-] are allowed"));
        Assert.That(ContainerId.Problem(new string('x', 1025)), Is.EqualTo("container id is longer than 1024 characters"));
    }
}
