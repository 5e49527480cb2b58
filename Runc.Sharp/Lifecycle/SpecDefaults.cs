using Runc.Sharp.Cgroups;
using Runc.Sharp.Linux.Native;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Lifecycle;

/// <summary>The config `spec` writes on this host: runc's example, with a cgroup namespace only where the cgroups are all v2.</summary>
public static class SpecDefaults
{
    public static RuntimeSpec ForThisHost(bool rootless)
    {
        bool cgroupNamespace = CgroupLayout.Host.Mode == CgroupMode.Unified;
        return rootless ? DefaultSpec.Rootless(Libc.geteuid(), Libc.getegid(), cgroupNamespace) : DefaultSpec.Example(cgroupNamespace);
    }
}
