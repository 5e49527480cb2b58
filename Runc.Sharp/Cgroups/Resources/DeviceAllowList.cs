using System.Globalization;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Cgroups.Resources;

/// <summary>
/// The device rules a container's cgroup gets: linux.resources.devices in order, then
/// runc's default allows (the default devices, ptys, tun) and the config's own devices,
/// so the devices the container is given are usable however strict the config is.
/// </summary>
public static class DeviceAllowList
{
    private static readonly DeviceRule[] DefaultAllows =
    [
        Allow("c", null, null, "m"), Allow("b", null, null, "m"),
        Allow("c", 1, 3, "rwm"), Allow("c", 1, 8, "rwm"), Allow("c", 1, 7, "rwm"), Allow("c", 5, 0, "rwm"),
        Allow("c", 1, 5, "rwm"), Allow("c", 1, 9, "rwm"), Allow("c", 5, 1, "rwm"), Allow("c", 136, null, "rwm"),
        Allow("c", 5, 2, "rwm"), Allow("c", 10, 200, "rwm"),
    ];

    private static DeviceRule Allow(string type, long? major, long? minor, string access) =>
        new() { Allow = true, Type = type, Major = major, Minor = minor, Access = access };

    public static IReadOnlyList<DeviceRule> For(Spec.Linux? linux)
    {
        var rules = new List<DeviceRule>(linux?.Resources?.Devices ?? []);
        rules.AddRange(DefaultAllows);
        // The devices cgroup knows only block and character devices; fifos need no rule.
        foreach (var d in linux?.Devices ?? [])
        {
            if (d.Type is "c" or "u" or "b")
                rules.Add(Allow(d.Type == "b" ? "b" : "c", d.Major, d.Minor, "rwm"));
        }
        return rules;
    }

    /// <summary>"c 1:3 rwm", with '*' for a missing major or minor, "a" for all devices.</summary>
    public static string V1Line(DeviceRule r)
    {
        var type = string.IsNullOrEmpty(r.Type) ? "a" : r.Type;
        var access = string.IsNullOrEmpty(r.Access) ? "rwm" : r.Access;
        if (type == "a")
            return $"a *:* {access}";
        string Num(long? n) => n is { } v && v >= 0 ? v.ToString(CultureInfo.InvariantCulture) : "*";
        return $"{type} {Num(r.Major)}:{Num(r.Minor)} {access}";
    }
}
