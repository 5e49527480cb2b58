using System.Text.Json.Nodes;
using NUnit.Framework;
using static Runc.Sharp.Tests.Integration.Breakouts.Hostile;

namespace Runc.Sharp.Tests.Integration.Breakouts;

/// <summary>
/// CVE-2025-52881: the runtime's own writes to procfs (sysctls, oom_score_adj, LSM
/// attributes) redirected by a mount the config puts over the procfs file, so they land in
/// a file of the attacker's choosing on the host. Here the "host file" is a harmless temp
/// file; a runtime that follows the redirect overwrites it.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ProcfsRedirectTests
{
    [Test]
    public void ASysctlWriteIsNotRedirectedByABindOverProcSys()
    {
        using var marker = new HostMarker();
        using var b = new TestBundle("true");
        b.Config["mounts"]!.AsArray().Add(TestBundle.Mount("/proc/sys/kernel/domainname", "bind", marker.File, "bind", "rw"));
        b.Linux["sysctl"] = new JsonObject { ["kernel.domainname"] = "pwned" };
        var r = b.Run();
        Assert.That(marker.Untouched, Is.True, $"the sysctl write went through the bind mount into the host file: {r}");
    }

    [Test]
    public void OomScoreAdjIsNotRedirectedByABindOverProcSelf()
    {
        using var marker = new HostMarker();
        using var b = new TestBundle("true");
        b.Config["mounts"]!.AsArray().Add(TestBundle.Mount("/proc/self/oom_score_adj", "bind", marker.File, "bind", "rw"));
        b.Config["mounts"]!.AsArray().Add(TestBundle.Mount("/proc/1/oom_score_adj", "bind", marker.File, "bind", "rw"));
        b.Process["oomScoreAdj"] = 500;
        var r = b.Run();
        Assert.That(marker.Untouched, Is.True, $"the oom_score_adj write went through the bind mount into the host file: {r}");
    }
}
