using System.Text.Json;
using System.Text.Json.Serialization;

namespace Runc.Sharp.Spec;

// The OCI runtime-spec 1.3 configuration (config.json) as immutable records.
// Every record keeps the members it does not model in Extra, so that a config
// read and written again loses nothing (other platforms, newer spec fields).

public abstract record SpecNode
{
    // The serializer cannot fill extension data through an init accessor, hence the
    // internal setter; nothing outside the serializer assigns it.
    [JsonExtensionData]
    [JsonInclude]
    public Dictionary<string, JsonElement>? Extra { get; internal set; }
}

public sealed record RuntimeSpec : SpecNode
{
    public string? OciVersion { get; init; }
    public Process? Process { get; init; }
    public Root? Root { get; init; }
    public string? Hostname { get; init; }
    public string? Domainname { get; init; }
    public IReadOnlyList<Mount>? Mounts { get; init; }
    public Hooks? Hooks { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    public Linux? Linux { get; init; }
}

public sealed record Root : SpecNode
{
    public string? Path { get; init; }
    public bool Readonly { get; init; }
}

public sealed record Mount : SpecNode
{
    public string? Destination { get; init; }
    public string? Type { get; init; }
    public string? Source { get; init; }
    public IReadOnlyList<string>? Options { get; init; }
    public IReadOnlyList<IdMapping>? UidMappings { get; init; }
    public IReadOnlyList<IdMapping>? GidMappings { get; init; }
}

public sealed record IdMapping : SpecNode
{
    public uint ContainerID { get; init; }
    public uint HostID { get; init; }
    public uint Size { get; init; }
}

public sealed record Process : SpecNode
{
    public bool Terminal { get; init; }
    public ConsoleSize? ConsoleSize { get; init; }
    private readonly User? _user;

    /// <summary>process.user; absent means uid 0, gid 0 (as runc).</summary>
    public User User { get => _user ?? User.Root; init => _user = value; }
    public IReadOnlyList<string>? Args { get; init; }
    public string? CommandLine { get; init; }
    public IReadOnlyList<string>? Env { get; init; }
    public string? Cwd { get; init; }
    public Capabilities? Capabilities { get; init; }
    public IReadOnlyList<Rlimit>? Rlimits { get; init; }
    public bool NoNewPrivileges { get; init; }
    public string? ApparmorProfile { get; init; }
    public int? OomScoreAdj { get; init; }
    public Scheduler? Scheduler { get; init; }
    public string? SelinuxLabel { get; init; }
    public IoPriority? IoPriority { get; init; }
    public CpuAffinity? ExecCPUAffinity { get; init; }
}

public sealed record ConsoleSize : SpecNode
{
    public uint Height { get; init; }
    public uint Width { get; init; }
}

public sealed record User : SpecNode
{
    public static readonly User Root = new();

    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public uint? Umask { get; init; }
    public IReadOnlyList<uint>? AdditionalGids { get; init; }
    public string? Username { get; init; }
}

public sealed record Capabilities : SpecNode
{
    public IReadOnlyList<string>? Bounding { get; init; }
    public IReadOnlyList<string>? Effective { get; init; }
    public IReadOnlyList<string>? Inheritable { get; init; }
    public IReadOnlyList<string>? Permitted { get; init; }
    public IReadOnlyList<string>? Ambient { get; init; }
}

public sealed record Rlimit : SpecNode
{
    public string? Type { get; init; }
    public ulong Hard { get; init; }
    public ulong Soft { get; init; }
}

public sealed record Scheduler : SpecNode
{
    public string? Policy { get; init; }
    public int Nice { get; init; }
    public int Priority { get; init; }
    public IReadOnlyList<string>? Flags { get; init; }
    public ulong Runtime { get; init; }
    public ulong Deadline { get; init; }
    public ulong Period { get; init; }
}

public sealed record IoPriority : SpecNode
{
    public string? Class { get; init; }
    public int Priority { get; init; }
}

public sealed record CpuAffinity : SpecNode
{
    public string? Initial { get; init; }
    public string? Final { get; init; }
}

public sealed record Hooks : SpecNode
{
    public IReadOnlyList<Hook>? Prestart { get; init; }
    public IReadOnlyList<Hook>? CreateRuntime { get; init; }
    public IReadOnlyList<Hook>? CreateContainer { get; init; }
    public IReadOnlyList<Hook>? StartContainer { get; init; }
    public IReadOnlyList<Hook>? Poststart { get; init; }
    public IReadOnlyList<Hook>? Poststop { get; init; }
}

public sealed record Hook : SpecNode
{
    public string? Path { get; init; }
    public IReadOnlyList<string>? Args { get; init; }
    public IReadOnlyList<string>? Env { get; init; }
    public int? Timeout { get; init; }
}
