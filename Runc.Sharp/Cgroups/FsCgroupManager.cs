namespace Runc.Sharp.Cgroups;

/// <summary>
/// The cgroupfs driver for legacy, hybrid and unified hosts: a directory per v1
/// controller and, where cgroup2 is mounted, one in the unified hierarchy.
/// </summary>
public sealed class FsCgroupManager : ICgroupManager
{
    private readonly Dictionary<string, string> _paths;

    public FsCgroupManager(IReadOnlyDictionary<string, string> paths) => _paths = new(paths);

    public IReadOnlyDictionary<string, string> Paths => _paths;

    private string? V1(string controller) => _paths.GetValueOrDefault(controller);
    private string? Unified => _paths.GetValueOrDefault("");

    /// <summary>The directories that exist already (a container's delete leaves them).</summary>
    public IReadOnlyList<string> Existing() => _paths.Values.Distinct().Where(Directory.Exists).ToList();

    /// <summary>Makes the directories that do not exist yet.</summary>
    public void Create()
    {
        foreach (var dir in _paths.Values.Distinct())
        {
            if (!Directory.Exists(dir))
                CgroupFiles.CreateDirectory(dir);
        }
        if (V1("cpuset") is { } cpuset)
            CgroupFiles.InheritCpuset(cpuset);
    }

    public void Set(CgroupMode mode, Spec.Linux? linux, bool includeDevices) =>
        Resources.ResourceApplier.Apply(mode, _paths, linux, includeDevices);

    public bool TryKillAll()
    {
        if (Unified is not { } unified || !File.Exists(Path.Combine(unified, "cgroup.kill")))
            return false;
        CgroupFiles.Write(unified, "cgroup.kill", "1");
        return true;
    }

    public void Freeze() => SetFrozen(true);
    public void Thaw() => SetFrozen(false);

    private void SetFrozen(bool frozen)
    {
        if (V1("freezer") is { } freezer)
        {
            var want = frozen ? "FROZEN" : "THAWED";
            for (int attempt = 0; ; attempt++)
            {
                CgroupFiles.Write(freezer, "freezer.state", want);
                if (CgroupFiles.Read(freezer, "freezer.state").Trim() == want)
                    return;
                if (attempt > 1000)
                    throw new RuncsException($"freezer {freezer}: did not reach {want}");
                Thread.Sleep(1);
            }
        }
        if (Unified is { } unified && File.Exists(Path.Combine(unified, "cgroup.freeze")))
        {
            CgroupFiles.Write(unified, "cgroup.freeze", frozen ? "1" : "0");
            CgroupFiles.WaitForEvent(unified, "frozen", frozen ? "1" : "0", TimeSpan.FromSeconds(10));
            return;
        }
        throw new RuncsException("pause/resume needs the freezer controller, which this host does not mount");
    }

    /// <summary>
    /// The memory cgroup's OOM kills so far, with its usage and peak usage (v1's memory.*
    /// files, or v2's where the memory controller is there); null without a memory cgroup.
    /// </summary>
    public (long Kills, long Usage, long Peak)? MemoryOom()
    {
        static long Number(string? text) => long.TryParse(text?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
        static long Field(string? text, string key) =>
            Number(text?.Split('\n').FirstOrDefault(l => l.StartsWith(key + " ", StringComparison.Ordinal))?[(key.Length + 1)..]);
        if (V1("memory") is { } v1)
            return (Field(CgroupFiles.TryRead(v1, "memory.oom_control"), "oom_kill"),
                Number(CgroupFiles.TryRead(v1, "memory.usage_in_bytes")), Number(CgroupFiles.TryRead(v1, "memory.max_usage_in_bytes")));
        if (Unified is { } v2 && CgroupFiles.TryRead(v2, "memory.events") is { } events)
            return (Field(events, "oom_kill"), Number(CgroupFiles.TryRead(v2, "memory.current")), Number(CgroupFiles.TryRead(v2, "memory.peak")));
        return null;
    }

    /// <summary>Frozen in the v1 freezer or, on a hybrid host too, in the unified hierarchy.</summary>
    public bool IsFrozen() =>
        V1("freezer") is { } freezer && CgroupFiles.TryRead(freezer, "freezer.state")?.Trim() is "FROZEN" or "FREEZING"
        || Unified is { } unified && CgroupFiles.TryRead(unified, "cgroup.freeze")?.Trim() == "1";

    public IReadOnlyList<int> Pids()
    {
        var dir = V1("pids") ?? V1("freezer") ?? V1("memory") ?? Unified ?? _paths.Values.FirstOrDefault();
        return dir is null ? [] : CgroupFiles.ReadPids(dir);
    }

    public void Destroy(IReadOnlyCollection<string> keep)
    {
        foreach (var dir in _paths.Values.Distinct())
        {
            if (!keep.Contains(dir))
                CgroupFiles.RemoveTree(dir);
        }
    }
}
