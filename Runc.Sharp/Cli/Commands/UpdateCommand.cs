using System.CommandLine;
using System.Globalization;
using Runc.Sharp.Lifecycle;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Cli.Commands;

public static class UpdateCommand
{
    public static CommandDef Define()
    {
        var resources = Flags.Text("--resources", "path to the file containing the resources to update or '-' to read from the standard input", "-r");
        var blkioWeight = Flags.Text("--blkio-weight", "Specifies per cgroup weight, range is from 10 to 1000");
        var cpuPeriod = Flags.Text("--cpu-period", "CPU CFS period to be used for hardcapping (in usecs). 0 to use system default");
        var cpuQuota = Flags.Text("--cpu-quota", "CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period");
        var cpuBurst = Flags.Text("--cpu-burst", "CPU CFS hardcap burst limit (in usecs). Allowed accumulated cpu time additionally for burst a given period");
        var cpuShare = Flags.Text("--cpu-share", "CPU shares (relative weight vs. other containers)");
        var rtPeriod = Flags.Text("--cpu-rt-period", "CPU realtime period to be used for hardcapping (in usecs). 0 to use system default");
        var rtRuntime = Flags.Text("--cpu-rt-runtime", "CPU realtime hardcap limit (in usecs). Allowed cpu time in a given period");
        var cpuIdle = Flags.Text("--cpu-idle", "set cgroup SCHED_IDLE or not, 0: default behavior, 1: SCHED_IDLE");
        var cpus = Flags.Text("--cpuset-cpus", "CPU(s) to use");
        var mems = Flags.Text("--cpuset-mems", "Memory node(s) to use");
        var memory = Flags.Text("--memory", "Memory limit (in bytes)");
        var reservation = Flags.Text("--memory-reservation", "Memory reservation or soft_limit (in bytes)");
        var swap = Flags.Text("--memory-swap", "Total memory usage (memory + swap); set '-1' to enable unlimited swap");
        var pids = Flags.Text("--pids-limit", "Maximum number of pids allowed in the container");
        var l3 = Flags.Text("--l3-cache-schema", "The string of Intel RDT/CAT L3 cache schema");
        var memBw = Flags.Text("--mem-bw-schema", "The string of Intel RDT/MBA memory bandwidth schema");
        Option[] options = [resources, blkioWeight, cpuPeriod, cpuQuota, cpuBurst, cpuShare, rtPeriod, rtRuntime, cpuIdle, cpus, mems, memory, reservation, swap, pids, l3, memBw];
        return new CommandDef("update", "update container resource constraints", "<container-id>", 1, 1, options, inv =>
        {
            if (!string.IsNullOrEmpty(inv.Get(l3)) || !string.IsNullOrEmpty(inv.Get(memBw)))
                throw new RuncsException("update: Intel RDT is not supported by runcs");
            Func<Resources> read;
            if (inv.Get(resources) is { Length: > 0 } source)
                read = () => Updater.Read(source);
            else
            {
                ulong? U(Option<string> o) => inv.Get(o) is { Length: > 0 } v ? ulong.Parse(v, CultureInfo.InvariantCulture) : null;
                long? L(Option<string> o) => inv.Get(o) is { Length: > 0 } v ? long.Parse(v, CultureInfo.InvariantCulture) : null;
                long? Bytes(Option<string> o) => inv.Get(o) is { Length: > 0 } v ? Sizes.Parse(v, o.Name) : null;
                try
                {
                    var r = new Resources
                    {
                        Memory = new MemoryResources { Limit = Bytes(memory), Reservation = Bytes(reservation), Swap = Bytes(swap) },
                        Cpu = new CpuResources
                        {
                            Shares = U(cpuShare), Quota = L(cpuQuota), Period = U(cpuPeriod), Burst = U(cpuBurst),
                            RealtimePeriod = U(rtPeriod), RealtimeRuntime = L(rtRuntime), Cpus = inv.Get(cpus), Mems = inv.Get(mems), Idle = L(cpuIdle),
                        },
                        Pids = inv.Get(pids) is { Length: > 0 } ? new PidsResources { Limit = L(pids) } : null,
                        BlockIO = inv.Get(blkioWeight) is { Length: > 0 } w ? new BlockIo { Weight = ushort.Parse(w, CultureInfo.InvariantCulture) } : null,
                    };
                    read = () => r;
                }
                catch (FormatException e)
                {
                    throw new UsageException($"update: {e.Message}");
                }
                catch (OverflowException e)
                {
                    throw new UsageException($"update: {e.Message}");
                }
            }
            Updater.Update(RuntimeOptionsOf.From(inv.Global), inv.Id, read);
            return 0;
        });
    }
}

/// <summary>Sizes as runc's update takes them: bytes, or with a k/m/g/t suffix (powers of 1024); -1 for unlimited.</summary>
public static class Sizes
{
    public static long Parse(string text, string flag)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "-1")
            return -1;
        long multiplier = 1;
        var suffix = t.TrimStart("0123456789".ToCharArray());
        var digits = t[..^suffix.Length];
        multiplier = suffix.TrimEnd('b', 'i') switch
        {
            "" => 1, "k" => 1L << 10, "m" => 1L << 20, "g" => 1L << 30, "t" => 1L << 40,
            _ => throw new UsageException($"{flag}: invalid size \"{text}\""),
        };
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            throw new UsageException($"{flag}: invalid size \"{text}\"");
        return checked(n * multiplier);
    }
}
