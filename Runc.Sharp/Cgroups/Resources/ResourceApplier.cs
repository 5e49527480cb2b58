namespace Runc.Sharp.Cgroups.Resources;

/// <summary>Plans linux.resources for the host's layout and writes the plan into the container's cgroup directories.</summary>
public static class ResourceApplier
{
    /// <summary>On cgroup v2 the device rules become a BPF program attached to the unified directory.</summary>
    public static void Apply(CgroupMode mode, IReadOnlyDictionary<string, string> paths, Spec.Linux? linux, bool includeDevices)
    {
        var probe = new DirectoryProbe(paths);
        IReadOnlyList<CgroupWrite> plan;
        if (mode == CgroupMode.Unified)
        {
            plan = V2Plan.For(linux?.Resources, probe);
            if (includeDevices && linux?.Resources?.Devices is { Count: > 0 } && paths.TryGetValue("", out var unified))
                Devices.BpfDeviceFilter.Apply(unified, DeviceAllowList.For(linux));
        }
        else
            plan = V1Plan.For(linux, probe, includeDevices);
        CgroupWrite? deferred = null;
        foreach (var write in plan)
        {
            try
            {
                Write(paths, write, probe);
            }
            catch (Linux.SyscallException e) when (write.RetryAfterNext && e.Errno == Linux.Native.Errno.EINVAL)
            {
                deferred = write;
                continue;
            }
            if (deferred is { } again)
            {
                deferred = null;
                Write(paths, again, probe);
            }
        }
    }

    private static void Write(IReadOnlyDictionary<string, string> paths, CgroupWrite w, DirectoryProbe probe)
    {
        if (paths.TryGetValue(w.Hierarchy, out var dir))
        {
            CgroupFiles.Write(dir, w.File, w.Value);
            return;
        }
        // Hybrid hosts may offer a controller only in the unified hierarchy (hugetlb here).
        if (w.Hierarchy == "hugetlb" && paths.TryGetValue("", out var unified))
        {
            var v2File = w.File.Replace(".limit_in_bytes", ".max", StringComparison.Ordinal);
            if (probe.Exists("", v2File))
            {
                CgroupFiles.Write(unified, v2File, w.Value);
                return;
            }
        }
        throw new RuncsException($"cgroup controller {w.Hierarchy} is not mounted on this host, cannot set {w.File}");
    }
}
