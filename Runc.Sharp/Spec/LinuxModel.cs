namespace Runc.Sharp.Spec;

public sealed record Linux : SpecNode
{
    public IReadOnlyList<Namespace>? Namespaces { get; init; }
    public IReadOnlyList<IdMapping>? UidMappings { get; init; }
    public IReadOnlyList<IdMapping>? GidMappings { get; init; }
    public IReadOnlyDictionary<string, TimeOffset>? TimeOffsets { get; init; }
    public IReadOnlyList<Device>? Devices { get; init; }
    public IReadOnlyDictionary<string, NetDevice>? NetDevices { get; init; }
    public string? CgroupsPath { get; init; }
    public Resources? Resources { get; init; }
    public IntelRdt? IntelRdt { get; init; }
    public IReadOnlyDictionary<string, string>? Sysctl { get; init; }
    public Seccomp? Seccomp { get; init; }
    public string? RootfsPropagation { get; init; }
    public IReadOnlyList<string>? MaskedPaths { get; init; }
    public IReadOnlyList<string>? ReadonlyPaths { get; init; }
    public string? MountLabel { get; init; }
    public Personality? Personality { get; init; }
    public MemoryPolicy? MemoryPolicy { get; init; }
}

public sealed record Namespace : SpecNode
{
    public string? Type { get; init; }
    public string? Path { get; init; }
}

public sealed record TimeOffset : SpecNode
{
    public long Secs { get; init; }
    public uint Nanosecs { get; init; }
}

public sealed record Device : SpecNode
{
    public string? Type { get; init; }
    public string? Path { get; init; }
    public long Major { get; init; }
    public long Minor { get; init; }
    public uint? FileMode { get; init; }
    public uint? Uid { get; init; }
    public uint? Gid { get; init; }
}

public sealed record NetDevice : SpecNode
{
    public string? Name { get; init; }
}

public sealed record IntelRdt : SpecNode
{
    public string? ClosID { get; init; }
    public string? L3CacheSchema { get; init; }
    public string? MemBwSchema { get; init; }
    public IReadOnlyList<string>? Schemata { get; init; }
    public bool EnableMonitoring { get; init; }
}

public sealed record Personality : SpecNode
{
    public string? Domain { get; init; }
    public IReadOnlyList<string>? Flags { get; init; }
}

public sealed record MemoryPolicy : SpecNode
{
    public string? Mode { get; init; }
    public string? Nodes { get; init; }
    public IReadOnlyList<string>? Flags { get; init; }
}

public sealed record Seccomp : SpecNode
{
    public string? DefaultAction { get; init; }
    public uint? DefaultErrnoRet { get; init; }
    public IReadOnlyList<string>? Architectures { get; init; }
    public IReadOnlyList<string>? Flags { get; init; }
    public string? ListenerPath { get; init; }
    public string? ListenerMetadata { get; init; }
    public IReadOnlyList<Syscall>? Syscalls { get; init; }
}

public sealed record Syscall : SpecNode
{
    public IReadOnlyList<string>? Names { get; init; }
    public string? Action { get; init; }
    public uint? ErrnoRet { get; init; }
    public IReadOnlyList<SyscallArg>? Args { get; init; }
}

public sealed record SyscallArg : SpecNode
{
    public uint Index { get; init; }
    public ulong Value { get; init; }
    public ulong ValueTwo { get; init; }
    public string? Op { get; init; }
}
