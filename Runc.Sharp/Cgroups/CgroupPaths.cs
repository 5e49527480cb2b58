using System.Globalization;

namespace Runc.Sharp.Cgroups;

/// <summary>Turns linux.cgroupsPath into one directory per hierarchy, with runc's rules.</summary>
public static class CgroupPaths
{
    /// <summary>
    /// Absolute cgroupsPath → under each hierarchy's root; relative → under runcs's own
    /// cgroup in that hierarchy; empty → the relative path "&lt;id&gt;".
    /// </summary>
    public static Dictionary<string, string> Resolve(CgroupLayout layout, string? cgroupsPath, string id, IReadOnlyDictionary<string, string> ownCgroups)
    {
        var inner = string.IsNullOrEmpty(cgroupsPath) ? id : cgroupsPath;
        if (inner.Split('/').Any(part => part == ".."))
            throw new RuncsException($"linux.cgroupsPath \"{cgroupsPath}\": must not contain \"..\"");
        var result = new Dictionary<string, string>();
        foreach (var (controller, mount) in layout.V1Mounts)
            result[controller] = Join(mount, inner, ownCgroups.GetValueOrDefault(controller, "/"));
        if (layout.UnifiedMount is { } unified)
            result[""] = Join(unified, inner, ownCgroups.GetValueOrDefault("", "/"));
        return result;
    }

    /// <summary>The cgroups this process is in, one directory per hierarchy ("" for the unified one).</summary>
    public static Dictionary<string, string> OfOwn(CgroupLayout layout, IReadOnlyDictionary<string, string> ownCgroups)
    {
        var result = new Dictionary<string, string>();
        foreach (var (controller, mount) in layout.V1Mounts)
            result[controller] = Join(mount, ownCgroups.GetValueOrDefault(controller, "/"), "/");
        if (layout.UnifiedMount is { } unified)
            result[""] = Join(unified, ownCgroups.GetValueOrDefault("", "/"), "/");
        return result;
    }

    private static string Join(string mount, string inner, string own)
    {
        var relative = inner.StartsWith('/') ? inner : own.TrimEnd('/') + "/" + inner;
        return Path.GetFullPath(mount + "/" + relative.TrimStart('/'));
    }

    /// <summary>Parses /proc/self/cgroup into controller → path ("" for the unified hierarchy).</summary>
    public static Dictionary<string, string> ParseProcCgroup(IEnumerable<string> lines)
    {
        var own = new Dictionary<string, string>();
        foreach (var line in lines)
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
                continue;
            if (parts[1].Length == 0)
                own[""] = parts[2];
            foreach (var c in parts[1].Split(','))
            {
                if (c.Length > 0)
                    own[c] = parts[2];
            }
        }
        return own;
    }

    public static Dictionary<string, string> Own() => ParseProcCgroup(File.ReadAllLines("/proc/self/cgroup"));

    public static string PidText(int pid) => pid.ToString(CultureInfo.InvariantCulture);
}
