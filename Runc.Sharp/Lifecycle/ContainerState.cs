using Runc.Sharp.Spec;

namespace Runc.Sharp.Lifecycle;

/// <summary>
/// What runcs records about a container in &lt;root&gt;/&lt;id&gt;/state.json. The status is
/// not stored: it is derived each time (see <see cref="StatusDeriver"/>). The full config
/// is kept apart (spec.json, <see cref="StateStore.ReadSpec"/>) so that the frequent
/// commands do not parse it.
/// </summary>
public sealed record ContainerState
{
    public required string Id { get; init; }
    public int InitPid { get; init; }
    /// <summary>Field 22 of /proc/&lt;pid&gt;/stat when init started; defeats pid reuse.</summary>
    public ulong InitStartTime { get; init; }
    public required DateTime Created { get; init; }
    public required string Bundle { get; init; }
    public required string Rootfs { get; init; }
    /// <summary>The config's ociVersion, annotations and hooks: all the later commands but exec and update need of it.</summary>
    public required string OciVersion { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    public Hooks? Hooks { get; init; }
    /// <summary>Controller (or "" for the unified hierarchy) → absolute cgroup directory runcs created.</summary>
    public IReadOnlyDictionary<string, string>? CgroupPaths { get; init; }
    /// <summary>Cgroup directories that existed before create; delete leaves them in place.</summary>
    public IReadOnlyList<string>? PreexistingCgroups { get; init; }
    /// <summary>Without a mount namespace: the mounts create added to the host's table below the rootfs, unmounted by delete.</summary>
    public IReadOnlyList<string>? HostMounts { get; init; }
    public bool SystemdCgroup { get; init; }
    public bool NoPivot { get; init; }
    public bool NoNewKeyring { get; init; }
    public bool Rootless { get; init; }
    /// <summary>No new pid namespace (the host's or a joined one): the init's death leaves the other processes running.</summary>
    public bool SharedPidNamespace { get; init; }
    /// <summary>
    /// Written before create makes any cgroup, mount or process, cleared once the init is
    /// ready: a record that still says so when another command holds the lock is what a
    /// killed create left, and delete removes it by what the record names.
    /// </summary>
    public bool Creating { get; init; }
    /// <summary>Without a mount namespace: the mount ids at or below the rootfs before create, which delete of a half-made container leaves.</summary>
    public IReadOnlyList<int>? HostMountsBefore { get; init; }
    /// <summary>The resctrl groups runcs made for linux.intelRdt, recorded before they are made; delete removes them.</summary>
    public IReadOnlyList<string>? ResctrlDirs { get; init; }
}
