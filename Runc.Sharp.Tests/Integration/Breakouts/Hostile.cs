using System.Text.Json.Nodes;

namespace Runc.Sharp.Tests.Integration.Breakouts;

/// <summary>Config pieces the breakout tests build hostile bundles from.</summary>
public static class Hostile
{
    /// <summary>Drops the config's own /dev tmpfs, so /dev is whatever the (hostile) rootfs has there.</summary>
    public static void DevFromRootfs(TestBundle b)
    {
        var mounts = b.Config["mounts"]!.AsArray();
        foreach (var m in mounts.Where(m => m!["destination"]!.GetValue<string>() == "/dev").ToList())
            mounts.Remove(m);
    }

    /// <summary>The host's core_pattern: a host-wide, unnamespaced sysctl whose change means a host takeover.</summary>
    public static string HostCorePattern => File.ReadAllText("/proc/sys/kernel/core_pattern");
}
