using System.Globalization;

namespace Runc.Sharp.Cgroups.Resources;

/// <summary>
/// linux.resources.memory.checkBeforeUpdate: an update that sets a memory limit below what
/// the container already uses is refused, instead of leaving the kernel to reclaim or OOM-kill.
/// </summary>
public static class MemoryUsageCheck
{
    public static void Check(CgroupMode mode, Spec.MemoryResources? memory, ICgroupProbe probe)
    {
        if (memory is not { CheckBeforeUpdate: true, Limit: { } limit } || limit <= 0)
            return;
        var (hierarchy, file) = mode == CgroupMode.Unified ? ("", "memory.current") : ("memory", "memory.usage_in_bytes");
        var text = probe.Read(hierarchy, file)?.Trim();
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var usage))
            throw new RuncsException($"linux.resources.memory.checkBeforeUpdate: cannot read the container's memory usage ({file})");
        if (limit < usage)
            throw new RuncsException($"linux.resources.memory.limit {limit}: below the container's current memory usage {usage} (checkBeforeUpdate)");
    }
}
