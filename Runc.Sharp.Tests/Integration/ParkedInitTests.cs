using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// What the init holds while it waits for `start` (runc's suite, create.bats "detect fd leak"):
/// nothing of runcs's caller and no host path, only its stdio, its channel, the fifo, a pipe and
/// the container's own procfs.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ParkedInitTests
{
    [Test]
    public void TheParkedInitHoldsNoHostFile()
    {
        using var b = new TestBundle("true");
        b.Save();
        var leaked = Path.Combine(b.Dir, "leaked");
        File.WriteAllText(leaked, "");
        // The caller leaves fd 7 open (not close-on-exec) across its exec of runcs.
        var r = Runcs.Exec("/bin/sh", ["-c", "exec 7<\"$1\"; shift; exec \"$@\" </dev/null", "sh", leaked,
            Runcs.Binary, "--root", b.StateRoot, "create", "--bundle", b.Dir, b.Id]);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        var pid = b.State()["pid"]!.GetValue<int>();
        var targets = Directory.GetFiles($"/proc/{pid}/fd")
            .Where(f => int.Parse(Path.GetFileName(f)) > 2)
            .Select(f => new FileInfo(f).LinkTarget!)
            .ToList();
        Assert.That(targets, Has.None.EqualTo(leaked), "the caller's descriptor");
        Assert.That(targets.Where(t => !(t.StartsWith("socket:[") || t.StartsWith("pipe:[") || t.EndsWith("/exec.fifo") || t == "/proc/1/task/1/fd")),
            Is.Empty, string.Join(", ", targets));
    }
}
