using Runc.Sharp.Cgroups.Resources;

namespace Runc.Sharp.Cgroups.Systemd;

/// <summary>One unit property of StartTransientUnit's a(sv): name, variant signature, value.</summary>
public sealed record ScopeProperty(string Name, string Signature, Action<DbusWriter> Value);

/// <summary>A container's scope: its unit, its properties, and whether it has a devices cgroup of its own.</summary>
public sealed record ScopePlan(SystemdUnit Unit, IReadOnlyList<ScopeProperty> Properties, bool DevicesCgroup);

/// <summary>
/// The limits systemd itself writes into the scope's cgroup: given as unit properties, as runc
/// gives them, because a daemon-reload rewrites those files from the unit (measured here: a
/// memory limit written only through cgroupfs was back at "max" after one). runcs still
/// writes every limit through cgroupfs after the scope starts.
/// </summary>
public static class ScopeProperties
{
    /// <summary>Every property for the config; no devices cgroup when all devices are allowed.</summary>
    public static ScopePlan For(SystemdUnit unit, Spec.Linux? linux, bool unified)
    {
        var devices = Devices(DeviceAllowList.For(linux), ProcDevices(File.ReadLines("/proc/devices")));
        return new ScopePlan(unit, [.. Limits(linux?.Resources, unified), .. devices ?? []], devices is not null);
    }

    public static IReadOnlyList<ScopeProperty> Limits(Spec.Resources? r, bool unified)
    {
        var list = new List<ScopeProperty>();
        if (r?.Memory?.Limit is { } memory)
            list.Add(UInt64(unified ? "MemoryMax" : "MemoryLimit", memory < 0 ? ulong.MaxValue : (ulong)memory));
        if (r?.Cpu?.Shares is { } shares and > 0)
            list.Add(unified ? UInt64("CPUWeight", Conversions.SharesToWeight(shares)) : UInt64("CPUShares", shares));
        if (r?.Cpu?.Quota is { } quota and > 0)
        {
            ulong period = r.Cpu.Period is { } p and > 0 ? p : 100000;
            // systemd keeps the quota per second in steps of 10 ms, rounded up (runc's rounding).
            ulong perSecond = (ulong)quota * 1000000 / period;
            if (perSecond % 10000 != 0)
                perSecond = (perSecond / 10000 + 1) * 10000;
            list.Add(UInt64("CPUQuotaPerSecUSec", perSecond));
            list.Add(UInt64("CPUQuotaPeriodUSec", period));
        }
        if (r?.Pids?.Limit is { } pids and not 0)
            list.Add(UInt64("TasksMax", pids < 0 ? ulong.MaxValue : (ulong)pids));
        return list;
    }

    private static ScopeProperty UInt64(string name, ulong value) => new(name, "t", w => w.UInt64(value));

    /// <summary>
    /// The device rules as DevicePolicy and DeviceAllow (runc gives them the same way). Without
    /// them systemd does not run the devices controller for the scope: on a new slice it moved
    /// the init up to the slice and removed runcs's devices cgroup (measured). DeviceAllow is an
    /// allow list: rules that deny what an earlier rule allowed are refused; all devices allowed
    /// at the end needs no cgroup at all (null).
    /// </summary>
    public static IReadOnlyList<ScopeProperty>? Devices(IReadOnlyList<Spec.DeviceRule> rules, IReadOnlyDictionary<(char, long), string> majors)
    {
        var allowed = new List<Spec.DeviceRule>();
        bool allowAll = true;
        foreach (var rule in rules)
        {
            bool all = string.IsNullOrEmpty(rule.Type) || rule.Type == "a";
            if (all && rule.Major is null && rule.Minor is null)
            {
                allowAll = rule.Allow;
                allowed.Clear();
            }
            else if (rule.Allow)
                allowed.Add(rule);
            else if (allowAll || allowed.Any(a => Overlaps(a, rule)))
                throw new RuncsException("--systemd-cgroup: linux.resources.devices denies a device that an earlier rule allows; systemd's DeviceAllow holds only allowed devices");
        }
        if (allowAll)
            return null;
        var entries = allowed.Select(r => (Entry(r, majors), string.IsNullOrEmpty(r.Access) ? "rwm" : r.Access)).Distinct().ToList();
        return
        [
            new ScopeProperty("DevicePolicy", "s", w => w.String("strict")),
            new ScopeProperty("DeviceAllow", "a(ss)", w => w.Array(8, () =>
            {
                foreach (var (device, access) in entries)
                    w.Struct(() => { w.String(device); w.String(access); });
            })),
        ];
    }

    private static bool Overlaps(Spec.DeviceRule allowed, Spec.DeviceRule denied) =>
        (string.IsNullOrEmpty(allowed.Type) || allowed.Type == "a" || denied.Type is null or "a" || allowed.Type == denied.Type)
        && (allowed.Major is null || denied.Major is null || allowed.Major == denied.Major)
        && (allowed.Minor is null || denied.Minor is null || allowed.Minor == denied.Minor);

    /// <summary>
    /// systemd's names: "char-*" for every character device, "char-pts" for a major by its
    /// /proc/devices name, "/dev/char/136:0" for one device (parsed, never stat'ed).
    /// </summary>
    private static string Entry(Spec.DeviceRule r, IReadOnlyDictionary<(char, long), string> majors)
    {
        var kind = r.Type == "b" ? "block" : "char";
        if (string.IsNullOrEmpty(r.Type) || r.Type == "a")
            throw new RuncsException("--systemd-cgroup: linux.resources.devices: a rule for every device type with a major or minor number has no systemd form");
        if (r.Major is null)
            return r.Minor is null ? $"{kind}-*" : throw new RuncsException($"--systemd-cgroup: linux.resources.devices: {kind} devices of any major with minor {r.Minor} have no systemd form");
        if (r.Minor is null)
            return majors.TryGetValue((kind[0], r.Major.Value), out var name) ? $"{kind}-{name}"
                : throw new RuncsException($"--systemd-cgroup: linux.resources.devices: {kind} major {r.Major} is not in /proc/devices, so systemd cannot name it");
        return $"/dev/{kind}/{r.Major}:{r.Minor}";
    }

    /// <summary>/proc/devices: ("c" or "b", major) → the driver's name.</summary>
    public static IReadOnlyDictionary<(char, long), string> ProcDevices(IEnumerable<string> lines)
    {
        var names = new Dictionary<(char, long), string>();
        char section = 'c';
        foreach (var line in lines)
        {
            if (line.StartsWith("Character", StringComparison.Ordinal))
                section = 'c';
            else if (line.StartsWith("Block", StringComparison.Ordinal))
                section = 'b';
            else if (line.Trim().Split(' ', 2) is [var major, var name] && long.TryParse(major, System.Globalization.CultureInfo.InvariantCulture, out var m)
                && (!names.TryGetValue((section, m), out var known) || known.Contains('/')))
                names[(section, m)] = name.Trim();
        }
        return names;
    }
}
