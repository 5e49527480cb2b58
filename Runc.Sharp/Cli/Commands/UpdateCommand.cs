using System.CommandLine;

namespace Runc.Sharp.Cli.Commands;

public static class UpdateCommand
{
    public static CommandDef Define()
    {
        Option[] options =
        [
            Flags.Text("--resources", "path to the file containing the resources to update or '-' to read from the standard input", "-r"),
            Flags.Text("--blkio-weight", "Specifies per cgroup weight, range is from 10 to 1000"),
            Flags.Text("--cpu-period", "CPU CFS period to be used for hardcapping (in usecs). 0 to use system default"),
            Flags.Text("--cpu-quota", "CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period"),
            Flags.Text("--cpu-burst", "CPU CFS hardcap burst limit (in usecs). Allowed accumulated cpu time additionally for burst a given period"),
            Flags.Text("--cpu-share", "CPU shares (relative weight vs. other containers)"),
            Flags.Text("--cpu-rt-period", "CPU realtime period to be used for hardcapping (in usecs). 0 to use system default"),
            Flags.Text("--cpu-rt-runtime", "CPU realtime hardcap limit (in usecs). Allowed cpu time in a given period"),
            Flags.Text("--cpu-idle", "set cgroup SCHED_IDLE or not, 0: default behavior, 1: SCHED_IDLE"),
            Flags.Text("--cpuset-cpus", "CPU(s) to use"),
            Flags.Text("--cpuset-mems", "Memory node(s) to use"),
            Flags.Text("--memory", "Memory limit (in bytes)"),
            Flags.Text("--memory-reservation", "Memory reservation or soft_limit (in bytes)"),
            Flags.Text("--memory-swap", "Total memory usage (memory + swap); set '-1' to enable unlimited swap"),
            Flags.Text("--pids-limit", "Maximum number of pids allowed in the container"),
            Flags.Text("--l3-cache-schema", "The string of Intel RDT/CAT L3 cache schema"),
            Flags.Text("--mem-bw-schema", "The string of Intel RDT/MBA memory bandwidth schema"),
        ];
        return new CommandDef("update", "update container resource constraints", "<container-id>", 1, 1, options,
            _ => CommandTable.NotImplemented("update"));
    }
}
