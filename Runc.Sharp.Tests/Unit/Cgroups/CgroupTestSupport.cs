using NUnit.Framework;
using Runc.Sharp.Cgroups.Resources;

namespace Runc.Sharp.Tests.Unit.Cgroups;

/// <summary>
/// An <see cref="ICgroupProbe"/> over an in-memory set of cgroup files: a file exists only
/// when a test adds it, and Read returns the content the test gave (null when absent).
/// </summary>
internal sealed class FakeProbe : ICgroupProbe
{
    private readonly Dictionary<(string Hierarchy, string File), string> _files = new();

    public List<(string Hierarchy, string File)> Reads { get; } = [];

    /// <summary>Adds a file to a hierarchy ("" is the unified one).</summary>
    public FakeProbe With(string hierarchy, string file, string content = "")
    {
        _files[(hierarchy, file)] = content;
        return this;
    }

    public FakeProbe WithUnified(params string[] files)
    {
        foreach (var f in files)
            With("", f);
        return this;
    }

    public bool Exists(string hierarchy, string file) => _files.ContainsKey((hierarchy, file));

    public string? Read(string hierarchy, string file)
    {
        Reads.Add((hierarchy, file));
        return _files.TryGetValue((hierarchy, file), out var v) ? v : null;
    }

    /// <summary>The control files a typical cgroup2 directory with every controller enabled has (no BFQ, no rsvd hugetlb).</summary>
    public static FakeProbe TypicalUnified() => new FakeProbe().WithUnified(
        "cgroup.procs", "cgroup.controllers",
        "cpuset.cpus", "cpuset.mems",
        "cpu.weight", "cpu.max", "cpu.max.burst", "cpu.idle",
        "memory.max", "memory.low", "memory.high", "memory.swap.max",
        "pids.max",
        "io.max", "io.weight",
        "hugetlb.2MB.max", "hugetlb.1GB.max",
        "rdma.max");
}

internal static class Plans
{
    /// <summary>"file=value" per write of a cgroup2 plan, asserting every write targets the unified hierarchy.</summary>
    public static string[] V2Lines(IReadOnlyList<CgroupWrite> plan)
    {
        Assert.That(plan.Select(w => w.Hierarchy), Is.All.EqualTo(""), "a v2 plan writes only into the unified hierarchy");
        return plan.Select(w => $"{w.File}={w.Value}").ToArray();
    }

    /// <summary>"hierarchy/file=value" per write of a v1 plan.</summary>
    public static string[] V1Lines(IReadOnlyList<CgroupWrite> plan) =>
        plan.Select(w => $"{w.Hierarchy}/{w.File}={w.Value}").ToArray();

    /// <summary>The sequence of groups with consecutive duplicates removed (e.g. controller order of a plan).</summary>
    public static string[] Runs(IEnumerable<string> keys)
    {
        var result = new List<string>();
        foreach (var k in keys)
        {
            if (result.Count == 0 || result[^1] != k)
                result.Add(k);
        }
        return result.ToArray();
    }

    /// <summary>The controller a cgroup2 file belongs to: the part before the first dot.</summary>
    public static string V2Controller(CgroupWrite w) => w.File.Split('.')[0];
}
