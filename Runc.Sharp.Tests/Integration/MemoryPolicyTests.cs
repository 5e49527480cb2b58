using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// linux.memoryPolicy (runtime-spec 1.3, runc 1.4), as runc's memorypolicy.bats checks it: the
/// policy the container's process runs under, read from its /proc/self/numa_maps, for the
/// init and for an exec; refusals name the field in runc's words. This host has node 0 only.
/// </summary>
[TestFixture]
[NonParallelizable]
public class MemoryPolicyTests
{
    private const string Policy = "head -n 1 /proc/self/numa_maps | cut -d ' ' -f 2";

    private static TestBundle With(JsonObject policy, params string[] args)
    {
        var b = new TestBundle(args.Length > 0 ? args : ["sh", "-c", Policy]);
        b.Linux["memoryPolicy"] = policy;
        return b;
    }

    private static JsonObject P(string? mode, string? nodes, params string[] flags)
    {
        var p = new JsonObject();
        if (mode is not null) p["mode"] = mode;
        if (nodes is not null) p["nodes"] = nodes;
        if (flags.Length > 0) p["flags"] = new JsonArray(flags.Select(f => (JsonNode)f!).ToArray());
        return p;
    }

    [TestCase("MPOL_INTERLEAVE", "0", new string[0], "interleave:0")]
    [TestCase("MPOL_BIND", "0", new[] { "MPOL_F_STATIC_NODES" }, "bind=static:0")]
    [TestCase("MPOL_PREFERRED", "0", new string[0], "prefer:0")]
    [TestCase("MPOL_DEFAULT", null, new string[0], "default")]
    [TestCase("MPOL_LOCAL", "", new string[0], "local")]
    public void TheInitRunsUnderThePolicy(string mode, string? nodes, string[] flags, string shown)
    {
        using var b = With(P(mode, nodes, flags));
        var r = b.Run();
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.Stdout.Trim(), Is.EqualTo(shown));
    }

    [Test]
    public void AnExecRunsUnderThePolicyToo()
    {
        using var b = With(P("MPOL_PREFERRED", "0", "MPOL_F_RELATIVE_NODES"), "sleep", "300");
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        var r = b.Runcs("exec", b.Id, "sh", "-c", Policy);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.Stdout.Trim(), Is.EqualTo("prefer=relative:0"));
    }

    [TestCase(null, "0", new string[0], "linux.memoryPolicy.mode", "invalid memory policy mode \"\"")]
    [TestCase("INTERLEAVE", "0", new string[0], "linux.memoryPolicy.mode", "invalid memory policy mode \"INTERLEAVE\"")]
    [TestCase("MPOL_PREFERRED", "0", new[] { "MPOL_F_RELATIVE_NODES", "badflag" }, "linux.memoryPolicy.flags[1]", "invalid memory policy flag \"badflag\"")]
    [TestCase("MPOL_DEFAULT", "0-7", new string[0], "linux.memoryPolicy.nodes", "memory policy mode requires 0 nodes but got 8")]
    [TestCase("MPOL_BIND", "", new string[0], "linux.memoryPolicy.nodes", "memory policy mode requires at least one node but got 0")]
    [TestCase("MPOL_BIND", "0-9876543210", new string[0], "linux.memoryPolicy.nodes", "invalid memory policy nodes \"0-9876543210\"")]
    [TestCase("MPOL_BIND", "1", new string[0], "linux.memoryPolicy.nodes", "node 1 is not online on this host (online: 0)")]
    public void ABadPolicyIsRefusedNamingTheField(string? mode, string nodes, string[] flags, string path, string message)
    {
        using var b = With(P(mode, nodes, flags));
        var before = Runcs.InitProcesses();
        var r = b.Run();
        Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
        Assert.That(r.Stderr, Does.Contain(path).And.Contain(message), r.ToString());
        b.AssertNothingLeft(before);
    }
}
