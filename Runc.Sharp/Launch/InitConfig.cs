using Runc.Sharp.Linux.Mounts;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Launch;

/// <summary>Everything the init stage needs, sent by the parent as the first message.</summary>
public sealed record InitConfig
{
    public required string Id { get; init; }
    public required string Bundle { get; init; }
    public required string Rootfs { get; init; }
    public required RuntimeSpec Spec { get; init; }
    public int HostPid { get; init; }
    /// <summary>An exec into a running container: no rootfs, no fifo, only the process.</summary>
    public bool Exec { get; init; }
    /// <summary>--debug: the init reports its steps (<see cref="MessageType.Debug"/>) for the parent's log.</summary>
    public bool Debug { get; init; }
    /// <summary>
    /// linux.namespaces has no mount namespace: the container inherits the host's (a MUST of
    /// the spec). Its mounts land in the host's table, so the root changes by chroot alone and
    /// the propagation of / is left as it is; an exec chroots into <see cref="Rootfs"/>.
    /// </summary>
    public bool HostMountNamespace { get; init; }
    public bool NoPivot { get; init; }
    public bool NoNewKeyring { get; init; }
    /// <summary>Connected console socket inherited by init, or -1.</summary>
    public int ConsoleSocketFd { get; init; } = -1;
    /// <summary>The pipe the compiled linux.seccomp arrives on (<see cref="Linux.Seccomp.SeccompCompilation"/>), or -1.</summary>
    public int SeccompFd { get; init; } = -1;
    /// <summary>O_PATH descriptor of exec.fifo inherited by init.</summary>
    public int FifoFd { get; init; } = -1;
    /// <summary>Inherited descriptors 3 … 3+N-1 that the container keeps (LISTEN_FDS + --preserve-fds).</summary>
    public int ExtraFds { get; init; }
    public bool NewUserNamespace { get; init; }
    public bool PrivateCgroupNamespace { get; init; }
    public IReadOnlyList<CgroupMountSource> CgroupSources { get; init; } = [];
    /// <summary>Inherited user namespace descriptors for the id-mapped mounts, by mount index.</summary>
    public IReadOnlyList<IdMapFd> IdMapFds { get; init; } = [];
    /// <summary>The state document hooks run inside the container read on stdin.</summary>
    public string HookState { get; init; } = "{}";
    /// <summary>Extra environment for the process (LISTEN_FDS/LISTEN_PID when sockets are passed).</summary>
    public IReadOnlyList<string> ExtraEnv { get; init; } = [];
}
