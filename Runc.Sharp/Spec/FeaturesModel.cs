using System.Text.Json;
using System.Text.Json.Serialization;

namespace Runc.Sharp.Spec;

/// <summary>runtime-spec features.json (features.md): what this runtime implements.</summary>
public sealed record Features(
    string OciVersionMin,
    string OciVersionMax,
    IReadOnlyList<string> Hooks,
    IReadOnlyList<string> MountOptions,
    LinuxFeatures Linux,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyList<string> PotentiallyUnsafeConfigAnnotations);

public sealed record LinuxFeatures(
    IReadOnlyList<string> Namespaces,
    IReadOnlyList<string> Capabilities,
    CgroupFeatures Cgroup,
    SeccompFeatures Seccomp,
    EnabledFeature Apparmor,
    EnabledFeature Selinux,
    IntelRdtFeatures IntelRdt,
    MemoryPolicyFeatures MemoryPolicy,
    MountExtensions MountExtensions,
    EnabledFeature NetDevices);

public sealed record CgroupFeatures(bool V1, bool V2, bool Systemd, bool SystemdUser, bool Rdma);

public sealed record SeccompFeatures(
    bool Enabled,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> Operators,
    IReadOnlyList<string> Archs,
    IReadOnlyList<string> KnownFlags,
    IReadOnlyList<string> SupportedFlags);

public sealed record EnabledFeature(bool Enabled);

public sealed record IntelRdtFeatures(bool Enabled, bool Schemata, bool Monitoring);

public sealed record MemoryPolicyFeatures(IReadOnlyList<string> Modes, IReadOnlyList<string> Flags);

public sealed record MountExtensions(EnabledFeature Idmap);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, IndentSize = 4)]
[JsonSerializable(typeof(Features))]
internal sealed partial class FeaturesJson : JsonSerializerContext;
