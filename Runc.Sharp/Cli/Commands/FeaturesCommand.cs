using System.Text.Json;
using Runc.Sharp.Linux.Resctrl;
using Runc.Sharp.Linux.Seccomp;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Cli.Commands;

public static class FeaturesCommand
{
    public static CommandDef Define() =>
        new("features", "show the enabled features", "", 0, 0, [], _ =>
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(Report(), FeaturesJson.Default.Features));
            return 0;
        });

    /// <summary>Only what runcs really does; keep in step with the launch, cgroups and security code.</summary>
    public static Features Report() => new(
        OciVersionMin: "1.0.0",
        OciVersionMax: DefaultSpec.OciVersion,
        Hooks: HookPhases.Names,
        MountOptions: MountOptions.KnownNames.ToList(),
        Linux: new LinuxFeatures(
            Namespaces: Known.NamespaceTypes,
            Capabilities: Known.Capabilities,
            Cgroup: new CgroupFeatures(V1: true, V2: true, Systemd: true, SystemdUser: false, Rdma: false),
            Seccomp: new SeccompFeatures(
                Enabled: true,
                Actions: SeccompFilter.SupportedActions,
                Operators: Known.SeccompOperators,
                Archs: SeccompFilter.SupportedArchitectures.ToList(),
                KnownFlags: Known.SeccompFlags,
                SupportedFlags: SeccompFilter.SupportedFlags),
            Apparmor: new EnabledFeature(false),
            Selinux: new EnabledFeature(false),
            // True only where resctrl is mounted: a config with linux.intelRdt is refused elsewhere.
            IntelRdt: ResctrlGroup.HostRoot() is null ? new IntelRdtFeatures(false, false, false) : new IntelRdtFeatures(true, true, true),
            MemoryPolicy: new MemoryPolicyFeatures(Known.MemoryPolicyModes, Known.MemoryPolicyFlags),
            MountExtensions: new MountExtensions(new EnabledFeature(true)),
            NetDevices: new EnabledFeature(true)),
        Annotations: new Dictionary<string, string>
        {
            ["org.opencontainers.runcs.version"] = VersionText.Version,
            ["org.opencontainers.runcs.commit"] = VersionText.Commit,
            ["io.github.seccomp.libseccomp.version"] = SeccompFilter.LibraryVersion,
        },
        // runc lists "bundle", "org.systemd.property." and "org.criu.config", which it acts on;
        // runcs acts on no annotation of the config.
        PotentiallyUnsafeConfigAnnotations: []);
}
