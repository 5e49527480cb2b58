using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration.Breakouts;

/// <summary>
/// CVE-2024-21626: runc leaked a host directory fd into the init, and process.cwd (or
/// exec --cwd) of /proc/self/fd/N made the container start inside the host's filesystem.
/// runcs must start no process whose working directory is outside the container.
/// </summary>
[TestFixture]
[NonParallelizable]
public class LeakedFdCwdTests
{
    /// <summary>
    /// The cwd must be a path that exists in the container. A cwd in a host directory or in
    /// the host's procfs (say /proc/PID/fd, whose ../../sys is the host's sysctls) reads back
    /// as a path the container does not have; ".." from there can climb to the host's root.
    /// </summary>
    private static string Probe(HostMarker marker) =>
        "cwd=$(readlink /proc/self/cwd); [ -n \"$cwd\" ] && [ -e \"$cwd\" ] && [ \"$cwd\" -ef . ] || echo \"ESCAPED: cwd $cwd is not in the container\"; " +
        $"for up in ../../../../../../../.. ../../1/root; do cat $up{marker.File} 2>/dev/null && echo ESCAPED; done; echo done";

    [Test]
    public void ProcessCwdThroughAnInheritedFdStaysInside([Range(3, 12)] int fd)
    {
        using var marker = new HostMarker();
        using var b = new TestBundle("sh", "-c", Probe(marker));
        b.Process["cwd"] = $"/proc/self/fd/{fd}";
        var r = b.Run();
        Assert.That(r.Stdout, Does.Not.Contain("ESCAPED"), $"cwd /proc/self/fd/{fd} reached the host: {r}");
        if (r.ExitCode != 0)
            Assert.That(r.Stderr, Does.Contain("process.cwd"), $"a refused cwd must be named: {r}");
        Assert.That(marker.Untouched, Is.True);
    }

    [Test]
    public void ExecCwdThroughAnInheritedFdStaysInside([Range(3, 12)] int fd)
    {
        using var marker = new HostMarker();
        using var b = new TestBundle("sleep", "100");
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        var r = b.Runcs("exec", "--cwd", $"/proc/self/fd/{fd}", b.Id, "sh", "-c", Probe(marker));
        b.Runcs("delete", "--force", b.Id);
        Assert.That(r.Stdout, Does.Not.Contain("ESCAPED"), $"exec --cwd /proc/self/fd/{fd} reached the host: {r}");
        Assert.That(r.ExitCode is 0 or 255, Is.True, $"either the shell ran inside, or exec failed as a runtime error: {r}");
        Assert.That(marker.Untouched, Is.True);
    }
}
