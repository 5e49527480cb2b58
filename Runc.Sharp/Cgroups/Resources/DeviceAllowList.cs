using System.Globalization;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Cgroups.Resources;

/// <summary>
/// The device rules a container's cgroup gets, runc 1.3's: linux.resources.devices in order,
/// then runc's default allows (mknod of any, the default devices, ptys, tun). A device of
/// linux.devices is created but not allowed by itself (its access is the config's to grant),
/// and one at a default device's path takes that default's place: its allow goes.
/// </summary>
public static class DeviceAllowList
{
    private static readonly (string? Path, DeviceRule Rule)[] DefaultAllows =
    [
        (null, Allow("c", null, null, "m")), (null, Allow("b", null, null, "m")),
        ("/dev/null", Allow("c", 1, 3, "rwm")), ("/dev/random", Allow("c", 1, 8, "rwm")), ("/dev/full", Allow("c", 1, 7, "rwm")),
        ("/dev/tty", Allow("c", 5, 0, "rwm")), ("/dev/zero", Allow("c", 1, 5, "rwm")), ("/dev/urandom", Allow("c", 1, 9, "rwm")),
        (null, Allow("c", 136, null, "rwm")), (null, Allow("c", 5, 2, "rwm")), (null, Allow("c", 10, 200, "rwm")),
    ];

    private static DeviceRule Allow(string type, long? major, long? minor, string access) =>
        new() { Allow = true, Type = type, Major = major, Minor = minor, Access = access };

    public static IReadOnlyList<DeviceRule> For(Spec.Linux? linux)
    {
        // Access letters other than r, w and m mean nothing and go, as in runc ("rwa" is "rw");
        // a rule left with none is no rule.
        var rules = (linux?.Resources?.Devices ?? [])
            .Select(r => string.IsNullOrEmpty(r.Access) ? r : r with { Access = new string(r.Access.Where(c => c is 'r' or 'w' or 'm').ToArray()) })
            .Where(r => r.Access != "")
            .ToList();
        var ownPaths = (linux?.Devices ?? []).Select(d => d.Path).ToHashSet();
        rules.AddRange(DefaultAllows.Where(d => d.Path is null || !ownPaths.Contains(d.Path)).Select(d => d.Rule));
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
