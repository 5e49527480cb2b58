namespace Runc.Sharp.Cgroups;

/// <summary>One container's cgroups, whatever the host's hierarchy looks like.</summary>
public interface ICgroupManager
{
    /// <summary>Hierarchy key ("" for cgroup2) → directory.</summary>
    IReadOnlyDictionary<string, string> Paths { get; }

    /// <summary>The directories that exist already (before <see cref="Create"/>: those a delete must leave).</summary>
    IReadOnlyList<string> Existing();

    /// <summary>Creates every directory that does not exist yet.</summary>
    void Create();

    void Freeze();
    void Thaw();
    bool IsFrozen();

    /// <summary>
    /// SIGKILL to every process at once through cgroup v2's cgroup.kill, which no fork can
    /// race; false when the kernel or the layout has none (then the caller signals each pid).
    /// </summary>
    bool TryKillAll();

    /// <summary>Host pids of every process in the container's cgroup.</summary>
    IReadOnlyList<int> Pids();

    /// <summary>Removes the directories runcs created, never a pre-existing one.</summary>
    void Destroy(IReadOnlyCollection<string> keep);
}
