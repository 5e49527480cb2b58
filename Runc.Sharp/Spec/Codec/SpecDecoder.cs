using System.Text.Json;
using static Runc.Sharp.Spec.Codec.JsonIn;

namespace Runc.Sharp.Spec.Codec;

/// <summary>
/// Reads config.json, process.json and resources documents into the model without the
/// serializer's metadata, whose construction for this type graph cost ~4 ms of every
/// create, in the parent and again in the init. It reads exactly what <see cref="SpecJson"/>
/// reads (member names, null handling, number ranges, unknown members into Extra) and
/// leaves every other document to it (<see cref="NotDecoded"/>); tests hold the two equal.
/// </summary>
internal static class SpecDecoder
{
    public static RuntimeSpec? TryRuntimeSpec(ReadOnlySpan<byte> json) => Document(json, RuntimeSpec);
    public static Process? TryProcess(ReadOnlySpan<byte> json) => Document(json, Process);
    public static Resources? TryResources(ReadOnlySpan<byte> json) => Document(json, Resources);

    public static RuntimeSpec RuntimeSpec(ref Utf8JsonReader r) => Object(ref r, new RuntimeSpec(), static (ref Utf8JsonReader r, string n, ref RuntimeSpec v) =>
    {
        switch (n)
        {
            case "ociVersion": v = v with { OciVersion = NullableString(ref r) }; break;
            case "process": v = v with { Process = NullableObject(ref r, new Process(), ProcessMember) }; break;
            case "root": v = v with { Root = NullableObject(ref r, new Root(), RootMember) }; break;
            case "hostname": v = v with { Hostname = NullableString(ref r) }; break;
            case "domainname": v = v with { Domainname = NullableString(ref r) }; break;
            case "mounts": v = v with { Mounts = List(ref r, Mount) }; break;
            case "hooks": v = v with { Hooks = Hooks(ref r) }; break;
            case "annotations": v = v with { Annotations = StringMap(ref r) }; break;
            case "linux": v = v with { Linux = NullableObject(ref r, new Linux(), LinuxMember) }; break;
            default: return false;
        }
        return true;
    });

    private static bool RootMember(ref Utf8JsonReader r, string n, ref Root v)
    {
        switch (n)
        {
            case "path": v = v with { Path = NullableString(ref r) }; break;
            case "readonly": v = v with { Readonly = Bool(ref r) }; break;
            default: return false;
        }
        return true;
    }

    private static Mount Mount(ref Utf8JsonReader r) => Object(ref r, new Mount(), static (ref Utf8JsonReader r, string n, ref Mount v) =>
    {
        switch (n)
        {
            case "destination": v = v with { Destination = NullableString(ref r) }; break;
            case "type": v = v with { Type = NullableString(ref r) }; break;
            case "source": v = v with { Source = NullableString(ref r) }; break;
            case "options": v = v with { Options = Strings(ref r) }; break;
            case "uidMappings": v = v with { UidMappings = List(ref r, IdMapping) }; break;
            case "gidMappings": v = v with { GidMappings = List(ref r, IdMapping) }; break;
            default: return false;
        }
        return true;
    });

    private static IdMapping IdMapping(ref Utf8JsonReader r) => Object(ref r, new IdMapping(), static (ref Utf8JsonReader r, string n, ref IdMapping v) =>
    {
        switch (n)
        {
            case "containerID": v = v with { ContainerID = UInt32(ref r) }; break;
            case "hostID": v = v with { HostID = UInt32(ref r) }; break;
            case "size": v = v with { Size = UInt32(ref r) }; break;
            default: return false;
        }
        return true;
    });

    public static Process Process(ref Utf8JsonReader r) => Object(ref r, new Process(), ProcessMember);

    private static bool ProcessMember(ref Utf8JsonReader r, string n, ref Process v)
    {
        switch (n)
        {
            case "terminal": v = v with { Terminal = Bool(ref r) }; break;
            case "consoleSize": v = v with { ConsoleSize = NullableObject(ref r, new ConsoleSize(), ConsoleSizeMember) }; break;
            case "user": v = v with { User = NullableObject(ref r, new User(), UserMember)! }; break;
            case "args": v = v with { Args = Strings(ref r) }; break;
            case "commandLine": v = v with { CommandLine = NullableString(ref r) }; break;
            case "env": v = v with { Env = Strings(ref r) }; break;
            case "cwd": v = v with { Cwd = NullableString(ref r) }; break;
            case "capabilities": v = v with { Capabilities = NullableObject(ref r, new Capabilities(), CapabilitiesMember) }; break;
            case "rlimits": v = v with { Rlimits = List(ref r, Rlimit) }; break;
            case "noNewPrivileges": v = v with { NoNewPrivileges = Bool(ref r) }; break;
            case "apparmorProfile": v = v with { ApparmorProfile = NullableString(ref r) }; break;
            case "oomScoreAdj": v = v with { OomScoreAdj = NullableInt32(ref r) }; break;
            case "scheduler": v = v with { Scheduler = NullableObject(ref r, new Scheduler(), SchedulerMember) }; break;
            case "selinuxLabel": v = v with { SelinuxLabel = NullableString(ref r) }; break;
            case "ioPriority": v = v with { IoPriority = NullableObject(ref r, new IoPriority(), IoPriorityMember) }; break;
            case "execCPUAffinity": v = v with { ExecCPUAffinity = NullableObject(ref r, new CpuAffinity(), CpuAffinityMember) }; break;
            default: return false;
        }
        return true;
    }

    private static bool ConsoleSizeMember(ref Utf8JsonReader r, string n, ref ConsoleSize v)
    {
        switch (n)
        {
            case "height": v = v with { Height = UInt32(ref r) }; break;
            case "width": v = v with { Width = UInt32(ref r) }; break;
            default: return false;
        }
        return true;
    }

    private static bool UserMember(ref Utf8JsonReader r, string n, ref User v)
    {
        switch (n)
        {
            case "uid": v = v with { Uid = UInt32(ref r) }; break;
            case "gid": v = v with { Gid = UInt32(ref r) }; break;
            case "umask": v = v with { Umask = NullableUInt32(ref r) }; break;
            case "additionalGids": v = v with { AdditionalGids = List(ref r, UInt32) }; break;
            case "username": v = v with { Username = NullableString(ref r) }; break;
            default: return false;
        }
        return true;
    }

    private static bool CapabilitiesMember(ref Utf8JsonReader r, string n, ref Capabilities v)
    {
        switch (n)
        {
            case "bounding": v = v with { Bounding = Strings(ref r) }; break;
            case "effective": v = v with { Effective = Strings(ref r) }; break;
            case "inheritable": v = v with { Inheritable = Strings(ref r) }; break;
            case "permitted": v = v with { Permitted = Strings(ref r) }; break;
            case "ambient": v = v with { Ambient = Strings(ref r) }; break;
            default: return false;
        }
        return true;
    }

    private static Rlimit Rlimit(ref Utf8JsonReader r) => Object(ref r, new Rlimit(), static (ref Utf8JsonReader r, string n, ref Rlimit v) =>
    {
        switch (n)
        {
            case "type": v = v with { Type = NullableString(ref r) }; break;
            case "hard": v = v with { Hard = UInt64(ref r) }; break;
            case "soft": v = v with { Soft = UInt64(ref r) }; break;
            default: return false;
        }
        return true;
    });

    private static bool SchedulerMember(ref Utf8JsonReader r, string n, ref Scheduler v)
    {
        switch (n)
        {
            case "policy": v = v with { Policy = NullableString(ref r) }; break;
            case "nice": v = v with { Nice = Int32(ref r) }; break;
            case "priority": v = v with { Priority = Int32(ref r) }; break;
            case "flags": v = v with { Flags = Strings(ref r) }; break;
            case "runtime": v = v with { Runtime = UInt64(ref r) }; break;
            case "deadline": v = v with { Deadline = UInt64(ref r) }; break;
            case "period": v = v with { Period = UInt64(ref r) }; break;
            default: return false;
        }
        return true;
    }

    private static bool IoPriorityMember(ref Utf8JsonReader r, string n, ref IoPriority v)
    {
        switch (n)
        {
            case "class": v = v with { Class = NullableString(ref r) }; break;
            case "priority": v = v with { Priority = Int32(ref r) }; break;
            default: return false;
        }
        return true;
    }

    private static bool CpuAffinityMember(ref Utf8JsonReader r, string n, ref CpuAffinity v)
    {
        switch (n)
        {
            case "initial": v = v with { Initial = NullableString(ref r) }; break;
            case "final": v = v with { Final = NullableString(ref r) }; break;
            default: return false;
        }
        return true;
    }

    public static Hooks? Hooks(ref Utf8JsonReader r) => NullableObject(ref r, new Hooks(), HooksMember);

    private static bool HooksMember(ref Utf8JsonReader r, string n, ref Hooks v)
    {
        switch (n)
        {
            case "prestart": v = v with { Prestart = List(ref r, Hook) }; break;
            case "createRuntime": v = v with { CreateRuntime = List(ref r, Hook) }; break;
            case "createContainer": v = v with { CreateContainer = List(ref r, Hook) }; break;
            case "startContainer": v = v with { StartContainer = List(ref r, Hook) }; break;
            case "poststart": v = v with { Poststart = List(ref r, Hook) }; break;
            case "poststop": v = v with { Poststop = List(ref r, Hook) }; break;
            default: return false;
        }
        return true;
    }

    private static Hook Hook(ref Utf8JsonReader r) => Object(ref r, new Hook(), static (ref Utf8JsonReader r, string n, ref Hook v) =>
    {
        switch (n)
        {
            case "path": v = v with { Path = NullableString(ref r) }; break;
            case "args": v = v with { Args = Strings(ref r) }; break;
            case "env": v = v with { Env = Strings(ref r) }; break;
            case "timeout": v = v with { Timeout = NullableInt32(ref r) }; break;
            default: return false;
        }
        return true;
    });

    private static bool LinuxMember(ref Utf8JsonReader r, string n, ref Linux v)
    {
        switch (n)
        {
            case "namespaces": v = v with { Namespaces = List(ref r, Namespace) }; break;
            case "uidMappings": v = v with { UidMappings = List(ref r, IdMapping) }; break;
            case "gidMappings": v = v with { GidMappings = List(ref r, IdMapping) }; break;
            case "timeOffsets": v = v with { TimeOffsets = Map(ref r, TimeOffset) }; break;
            case "devices": v = v with { Devices = List(ref r, Device) }; break;
            case "netDevices": v = v with { NetDevices = Map(ref r, NetDevice) }; break;
            case "cgroupsPath": v = v with { CgroupsPath = NullableString(ref r) }; break;
            case "resources": v = v with { Resources = NullableObject(ref r, new Resources(), ResourcesMember) }; break;
            case "intelRdt": v = v with { IntelRdt = NullableObject(ref r, new IntelRdt(), IntelRdtMember) }; break;
            case "sysctl": v = v with { Sysctl = StringMap(ref r) }; break;
            case "seccomp": v = v with { Seccomp = NullableObject(ref r, new Seccomp(), SeccompMember) }; break;
            case "rootfsPropagation": v = v with { RootfsPropagation = NullableString(ref r) }; break;
            case "maskedPaths": v = v with { MaskedPaths = Strings(ref r) }; break;
            case "readonlyPaths": v = v with { ReadonlyPaths = Strings(ref r) }; break;
            case "mountLabel": v = v with { MountLabel = NullableString(ref r) }; break;
            case "personality": v = v with { Personality = NullableObject(ref r, new Personality(), PersonalityMember) }; break;
            case "memoryPolicy": v = v with { MemoryPolicy = NullableObject(ref r, new MemoryPolicy(), MemoryPolicyMember) }; break;
            default: return false;
        }
        return true;
    }

    private static Namespace Namespace(ref Utf8JsonReader r) => Object(ref r, new Namespace(), static (ref Utf8JsonReader r, string n, ref Namespace v) =>
    {
        switch (n)
        {
            case "type": v = v with { Type = NullableString(ref r) }; break;
            case "path": v = v with { Path = NullableString(ref r) }; break;
            default: return false;
        }
        return true;
    });

    private static TimeOffset TimeOffset(ref Utf8JsonReader r) => Object(ref r, new TimeOffset(), static (ref Utf8JsonReader r, string n, ref TimeOffset v) =>
    {
        switch (n)
        {
            case "secs": v = v with { Secs = Int64(ref r) }; break;
            case "nanosecs": v = v with { Nanosecs = UInt32(ref r) }; break;
            default: return false;
        }
        return true;
    });

    private static Device Device(ref Utf8JsonReader r) => Object(ref r, new Device(), static (ref Utf8JsonReader r, string n, ref Device v) =>
    {
        switch (n)
        {
            case "type": v = v with { Type = NullableString(ref r) }; break;
            case "path": v = v with { Path = NullableString(ref r) }; break;
            case "major": v = v with { Major = Int64(ref r) }; break;
            case "minor": v = v with { Minor = Int64(ref r) }; break;
            case "fileMode": v = v with { FileMode = NullableUInt32(ref r) }; break;
            case "uid": v = v with { Uid = NullableUInt32(ref r) }; break;
            case "gid": v = v with { Gid = NullableUInt32(ref r) }; break;
            default: return false;
        }
        return true;
    });

    private static NetDevice NetDevice(ref Utf8JsonReader r) => Object(ref r, new NetDevice(), static (ref Utf8JsonReader r, string n, ref NetDevice v) =>
    {
        if (n != "name")
            return false;
        v = v with { Name = NullableString(ref r) };
        return true;
    });

    private static bool IntelRdtMember(ref Utf8JsonReader r, string n, ref IntelRdt v)
    {
        switch (n)
        {
            case "closID": v = v with { ClosID = NullableString(ref r) }; break;
            case "l3CacheSchema": v = v with { L3CacheSchema = NullableString(ref r) }; break;
            case "memBwSchema": v = v with { MemBwSchema = NullableString(ref r) }; break;
            case "schemata": v = v with { Schemata = Strings(ref r) }; break;
            case "enableMonitoring": v = v with { EnableMonitoring = Bool(ref r) }; break;
            default: return false;
        }
        return true;
    }

    private static bool PersonalityMember(ref Utf8JsonReader r, string n, ref Personality v)
    {
        switch (n)
        {
            case "domain": v = v with { Domain = NullableString(ref r) }; break;
            case "flags": v = v with { Flags = Strings(ref r) }; break;
            default: return false;
        }
        return true;
    }

    private static bool MemoryPolicyMember(ref Utf8JsonReader r, string n, ref MemoryPolicy v)
    {
        switch (n)
        {
            case "mode": v = v with { Mode = NullableString(ref r) }; break;
            case "nodes": v = v with { Nodes = NullableString(ref r) }; break;
            case "flags": v = v with { Flags = Strings(ref r) }; break;
            default: return false;
        }
        return true;
    }

    private static bool SeccompMember(ref Utf8JsonReader r, string n, ref Seccomp v)
    {
        switch (n)
        {
            case "defaultAction": v = v with { DefaultAction = NullableString(ref r) }; break;
            case "defaultErrnoRet": v = v with { DefaultErrnoRet = NullableUInt32(ref r) }; break;
            case "architectures": v = v with { Architectures = Strings(ref r) }; break;
            case "flags": v = v with { Flags = Strings(ref r) }; break;
            case "listenerPath": v = v with { ListenerPath = NullableString(ref r) }; break;
            case "listenerMetadata": v = v with { ListenerMetadata = NullableString(ref r) }; break;
            case "syscalls": v = v with { Syscalls = List(ref r, Syscall) }; break;
            default: return false;
        }
        return true;
    }

    private static Syscall Syscall(ref Utf8JsonReader r) => Object(ref r, new Syscall(), static (ref Utf8JsonReader r, string n, ref Syscall v) =>
    {
        switch (n)
        {
            case "names": v = v with { Names = Strings(ref r) }; break;
            case "action": v = v with { Action = NullableString(ref r) }; break;
            case "errnoRet": v = v with { ErrnoRet = NullableUInt32(ref r) }; break;
            case "args": v = v with { Args = List(ref r, SyscallArg) }; break;
            default: return false;
        }
        return true;
    });

    private static SyscallArg SyscallArg(ref Utf8JsonReader r) => Object(ref r, new SyscallArg(), static (ref Utf8JsonReader r, string n, ref SyscallArg v) =>
    {
        switch (n)
        {
            case "index": v = v with { Index = UInt32(ref r) }; break;
            case "value": v = v with { Value = UInt64(ref r) }; break;
            case "valueTwo": v = v with { ValueTwo = UInt64(ref r) }; break;
            case "op": v = v with { Op = NullableString(ref r) }; break;
            default: return false;
        }
        return true;
    });

    public static Resources Resources(ref Utf8JsonReader r) => Object(ref r, new Resources(), ResourcesMember);

    private static bool ResourcesMember(ref Utf8JsonReader r, string n, ref Resources v)
    {
        switch (n)
        {
            case "devices": v = v with { Devices = List(ref r, DeviceRule) }; break;
            case "memory": v = v with { Memory = NullableObject(ref r, new MemoryResources(), MemoryMember) }; break;
            case "cpu": v = v with { Cpu = NullableObject(ref r, new CpuResources(), CpuMember) }; break;
            case "pids": v = v with { Pids = NullableObject(ref r, new PidsResources(), PidsMember) }; break;
            case "blockIO": v = v with { BlockIO = NullableObject(ref r, new BlockIo(), BlockIoMember) }; break;
            case "hugepageLimits": v = v with { HugepageLimits = List(ref r, HugepageLimit) }; break;
            case "network": v = v with { Network = NullableObject(ref r, new NetworkResources(), NetworkMember) }; break;
            case "rdma": v = v with { Rdma = Map(ref r, RdmaLimit) }; break;
            case "unified": v = v with { Unified = StringMap(ref r) }; break;
            default: return false;
        }
        return true;
    }

    private static DeviceRule DeviceRule(ref Utf8JsonReader r) => Object(ref r, new DeviceRule(), static (ref Utf8JsonReader r, string n, ref DeviceRule v) =>
    {
        switch (n)
        {
            case "allow": v = v with { Allow = Bool(ref r) }; break;
            case "type": v = v with { Type = NullableString(ref r) }; break;
            case "major": v = v with { Major = NullableInt64(ref r) }; break;
            case "minor": v = v with { Minor = NullableInt64(ref r) }; break;
            case "access": v = v with { Access = NullableString(ref r) }; break;
            default: return false;
        }
        return true;
    });

    private static bool MemoryMember(ref Utf8JsonReader r, string n, ref MemoryResources v)
    {
        switch (n)
        {
            case "limit": v = v with { Limit = NullableInt64(ref r) }; break;
            case "reservation": v = v with { Reservation = NullableInt64(ref r) }; break;
            case "swap": v = v with { Swap = NullableInt64(ref r) }; break;
            case "kernel": v = v with { Kernel = NullableInt64(ref r) }; break;
            case "kernelTCP": v = v with { KernelTCP = NullableInt64(ref r) }; break;
            case "swappiness": v = v with { Swappiness = NullableUInt64(ref r) }; break;
            case "disableOOMKiller": v = v with { DisableOOMKiller = NullableBool(ref r) }; break;
            case "useHierarchy": v = v with { UseHierarchy = NullableBool(ref r) }; break;
            case "checkBeforeUpdate": v = v with { CheckBeforeUpdate = NullableBool(ref r) }; break;
            default: return false;
        }
        return true;
    }

    private static bool CpuMember(ref Utf8JsonReader r, string n, ref CpuResources v)
    {
        switch (n)
        {
            case "shares": v = v with { Shares = NullableUInt64(ref r) }; break;
            case "quota": v = v with { Quota = NullableInt64(ref r) }; break;
            case "burst": v = v with { Burst = NullableUInt64(ref r) }; break;
            case "period": v = v with { Period = NullableUInt64(ref r) }; break;
            case "realtimeRuntime": v = v with { RealtimeRuntime = NullableInt64(ref r) }; break;
            case "realtimePeriod": v = v with { RealtimePeriod = NullableUInt64(ref r) }; break;
            case "cpus": v = v with { Cpus = NullableString(ref r) }; break;
            case "mems": v = v with { Mems = NullableString(ref r) }; break;
            case "idle": v = v with { Idle = NullableInt64(ref r) }; break;
            default: return false;
        }
        return true;
    }

    private static bool PidsMember(ref Utf8JsonReader r, string n, ref PidsResources v)
    {
        if (n != "limit")
            return false;
        v = v with { Limit = NullableInt64(ref r) };
        return true;
    }

    private static bool BlockIoMember(ref Utf8JsonReader r, string n, ref BlockIo v)
    {
        switch (n)
        {
            case "weight": v = v with { Weight = NullableUInt16(ref r) }; break;
            case "leafWeight": v = v with { LeafWeight = NullableUInt16(ref r) }; break;
            case "weightDevice": v = v with { WeightDevice = List(ref r, WeightDevice) }; break;
            case "throttleReadBpsDevice": v = v with { ThrottleReadBpsDevice = List(ref r, ThrottleDevice) }; break;
            case "throttleWriteBpsDevice": v = v with { ThrottleWriteBpsDevice = List(ref r, ThrottleDevice) }; break;
            case "throttleReadIOPSDevice": v = v with { ThrottleReadIOPSDevice = List(ref r, ThrottleDevice) }; break;
            case "throttleWriteIOPSDevice": v = v with { ThrottleWriteIOPSDevice = List(ref r, ThrottleDevice) }; break;
            default: return false;
        }
        return true;
    }

    private static WeightDevice WeightDevice(ref Utf8JsonReader r) => Object(ref r, new WeightDevice(), static (ref Utf8JsonReader r, string n, ref WeightDevice v) =>
    {
        switch (n)
        {
            case "major": v = v with { Major = Int64(ref r) }; break;
            case "minor": v = v with { Minor = Int64(ref r) }; break;
            case "weight": v = v with { Weight = NullableUInt16(ref r) }; break;
            case "leafWeight": v = v with { LeafWeight = NullableUInt16(ref r) }; break;
            default: return false;
        }
        return true;
    });

    private static ThrottleDevice ThrottleDevice(ref Utf8JsonReader r) => Object(ref r, new ThrottleDevice(), static (ref Utf8JsonReader r, string n, ref ThrottleDevice v) =>
    {
        switch (n)
        {
            case "major": v = v with { Major = Int64(ref r) }; break;
            case "minor": v = v with { Minor = Int64(ref r) }; break;
            case "rate": v = v with { Rate = UInt64(ref r) }; break;
            default: return false;
        }
        return true;
    });

    private static HugepageLimit HugepageLimit(ref Utf8JsonReader r) => Object(ref r, new HugepageLimit(), static (ref Utf8JsonReader r, string n, ref HugepageLimit v) =>
    {
        switch (n)
        {
            case "pageSize": v = v with { PageSize = NullableString(ref r) }; break;
            case "limit": v = v with { Limit = UInt64(ref r) }; break;
            default: return false;
        }
        return true;
    });

    private static bool NetworkMember(ref Utf8JsonReader r, string n, ref NetworkResources v)
    {
        switch (n)
        {
            case "classID": v = v with { ClassID = NullableUInt32(ref r) }; break;
            case "priorities": v = v with { Priorities = List(ref r, InterfacePriority) }; break;
            default: return false;
        }
        return true;
    }

    private static InterfacePriority InterfacePriority(ref Utf8JsonReader r) => Object(ref r, new InterfacePriority(), static (ref Utf8JsonReader r, string n, ref InterfacePriority v) =>
    {
        switch (n)
        {
            case "name": v = v with { Name = NullableString(ref r) }; break;
            case "priority": v = v with { Priority = UInt32(ref r) }; break;
            default: return false;
        }
        return true;
    });

    private static RdmaLimit RdmaLimit(ref Utf8JsonReader r) => Object(ref r, new RdmaLimit(), static (ref Utf8JsonReader r, string n, ref RdmaLimit v) =>
    {
        switch (n)
        {
            case "hcaHandles": v = v with { HcaHandles = NullableUInt32(ref r) }; break;
            case "hcaObjects": v = v with { HcaObjects = NullableUInt32(ref r) }; break;
            default: return false;
        }
        return true;
    });
}
