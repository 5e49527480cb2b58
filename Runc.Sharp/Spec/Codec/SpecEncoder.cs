using System.Text.Json;
using static Runc.Sharp.Spec.Codec.JsonOut;

namespace Runc.Sharp.Spec.Codec;

/// <summary>
/// Writes the model as <see cref="SpecJson"/> does (declaration order, camelCase names,
/// null members left out, unknown members last) without building the serializer's
/// metadata; tests hold the two byte for byte equal.
/// </summary>
internal static class SpecEncoder
{
    // runc writes config.json with tabs (Go's json.MarshalIndent(spec, "", "\t")).
    private static readonly JsonWriterOptions Tabbed = new() { Indented = true, IndentCharacter = '\t', IndentSize = 1 };

    public static byte[] Encode(RuntimeSpec spec, bool tabbed = false)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, tabbed ? Tabbed : default))
            Write(w, spec);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>linux.seccomp alone, compact: the key of a compiled program (<see cref="Linux.Seccomp.SeccompCache"/>).</summary>
    public static byte[] Encode(Seccomp seccomp)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
            Write(w, seccomp);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter w, RuntimeSpec v)
    {
        w.WriteStartObject();
        Str(w, "ociVersion"u8, v.OciVersion);
        Obj(w, "process"u8, v.Process, Write);
        Obj(w, "root"u8, v.Root, static (w, v) =>
        {
            w.WriteStartObject();
            Str(w, "path"u8, v.Path);
            w.WriteBoolean("readonly"u8, v.Readonly);
            End(w, v);
        });
        Str(w, "hostname"u8, v.Hostname);
        Str(w, "domainname"u8, v.Domainname);
        List(w, "mounts"u8, v.Mounts, static (w, v) =>
        {
            w.WriteStartObject();
            Str(w, "destination"u8, v.Destination);
            Str(w, "type"u8, v.Type);
            Str(w, "source"u8, v.Source);
            Strings(w, "options"u8, v.Options);
            List(w, "uidMappings"u8, v.UidMappings, IdMapping);
            List(w, "gidMappings"u8, v.GidMappings, IdMapping);
            End(w, v);
        });
        Obj(w, "hooks"u8, v.Hooks, Write);
        StringMap(w, "annotations"u8, v.Annotations);
        Obj(w, "linux"u8, v.Linux, Write);
        End(w, v);
    }

    public static void Write(Utf8JsonWriter w, Hooks v)
    {
        w.WriteStartObject();
        List(w, "prestart"u8, v.Prestart, Hook);
        List(w, "createRuntime"u8, v.CreateRuntime, Hook);
        List(w, "createContainer"u8, v.CreateContainer, Hook);
        List(w, "startContainer"u8, v.StartContainer, Hook);
        List(w, "poststart"u8, v.Poststart, Hook);
        List(w, "poststop"u8, v.Poststop, Hook);
        End(w, v);
    }

    private static void IdMapping(Utf8JsonWriter w, IdMapping v)
    {
        w.WriteStartObject();
        w.WriteNumber("containerID"u8, v.ContainerID);
        w.WriteNumber("hostID"u8, v.HostID);
        w.WriteNumber("size"u8, v.Size);
        End(w, v);
    }

    private static void Hook(Utf8JsonWriter w, Hook v)
    {
        w.WriteStartObject();
        Str(w, "path"u8, v.Path);
        Strings(w, "args"u8, v.Args);
        Strings(w, "env"u8, v.Env);
        Num(w, "timeout"u8, v.Timeout);
        End(w, v);
    }

    private static void Write(Utf8JsonWriter w, Process v)
    {
        w.WriteStartObject();
        w.WriteBoolean("terminal"u8, v.Terminal);
        Obj(w, "consoleSize"u8, v.ConsoleSize, static (w, v) =>
        {
            w.WriteStartObject();
            w.WriteNumber("height"u8, v.Height);
            w.WriteNumber("width"u8, v.Width);
            End(w, v);
        });
        Obj(w, "user"u8, v.User, static (w, v) =>
        {
            w.WriteStartObject();
            w.WriteNumber("uid"u8, v.Uid);
            w.WriteNumber("gid"u8, v.Gid);
            Num(w, "umask"u8, v.Umask);
            List(w, "additionalGids"u8, v.AdditionalGids, static (w, g) => w.WriteNumberValue(g));
            Str(w, "username"u8, v.Username);
            End(w, v);
        });
        Strings(w, "args"u8, v.Args);
        Str(w, "commandLine"u8, v.CommandLine);
        Strings(w, "env"u8, v.Env);
        Str(w, "cwd"u8, v.Cwd);
        Obj(w, "capabilities"u8, v.Capabilities, static (w, v) =>
        {
            w.WriteStartObject();
            Strings(w, "bounding"u8, v.Bounding);
            Strings(w, "effective"u8, v.Effective);
            Strings(w, "inheritable"u8, v.Inheritable);
            Strings(w, "permitted"u8, v.Permitted);
            Strings(w, "ambient"u8, v.Ambient);
            End(w, v);
        });
        List(w, "rlimits"u8, v.Rlimits, static (w, v) =>
        {
            w.WriteStartObject();
            Str(w, "type"u8, v.Type);
            w.WriteNumber("hard"u8, v.Hard);
            w.WriteNumber("soft"u8, v.Soft);
            End(w, v);
        });
        w.WriteBoolean("noNewPrivileges"u8, v.NoNewPrivileges);
        Str(w, "apparmorProfile"u8, v.ApparmorProfile);
        Num(w, "oomScoreAdj"u8, v.OomScoreAdj);
        Obj(w, "scheduler"u8, v.Scheduler, static (w, v) =>
        {
            w.WriteStartObject();
            Str(w, "policy"u8, v.Policy);
            w.WriteNumber("nice"u8, v.Nice);
            w.WriteNumber("priority"u8, v.Priority);
            Strings(w, "flags"u8, v.Flags);
            w.WriteNumber("runtime"u8, v.Runtime);
            w.WriteNumber("deadline"u8, v.Deadline);
            w.WriteNumber("period"u8, v.Period);
            End(w, v);
        });
        Str(w, "selinuxLabel"u8, v.SelinuxLabel);
        Obj(w, "ioPriority"u8, v.IoPriority, static (w, v) =>
        {
            w.WriteStartObject();
            Str(w, "class"u8, v.Class);
            w.WriteNumber("priority"u8, v.Priority);
            End(w, v);
        });
        Obj(w, "execCPUAffinity"u8, v.ExecCPUAffinity, static (w, v) =>
        {
            w.WriteStartObject();
            Str(w, "initial"u8, v.Initial);
            Str(w, "final"u8, v.Final);
            End(w, v);
        });
        End(w, v);
    }

    private static void Write(Utf8JsonWriter w, Linux v)
    {
        w.WriteStartObject();
        List(w, "namespaces"u8, v.Namespaces, static (w, v) =>
        {
            w.WriteStartObject();
            Str(w, "type"u8, v.Type);
            Str(w, "path"u8, v.Path);
            End(w, v);
        });
        List(w, "uidMappings"u8, v.UidMappings, IdMapping);
        List(w, "gidMappings"u8, v.GidMappings, IdMapping);
        Map(w, "timeOffsets"u8, v.TimeOffsets, static (w, v) =>
        {
            w.WriteStartObject();
            w.WriteNumber("secs"u8, v.Secs);
            w.WriteNumber("nanosecs"u8, v.Nanosecs);
            End(w, v);
        });
        List(w, "devices"u8, v.Devices, static (w, v) =>
        {
            w.WriteStartObject();
            Str(w, "type"u8, v.Type);
            Str(w, "path"u8, v.Path);
            w.WriteNumber("major"u8, v.Major);
            w.WriteNumber("minor"u8, v.Minor);
            Num(w, "fileMode"u8, v.FileMode);
            Num(w, "uid"u8, v.Uid);
            Num(w, "gid"u8, v.Gid);
            End(w, v);
        });
        Map(w, "netDevices"u8, v.NetDevices, static (w, v) =>
        {
            w.WriteStartObject();
            Str(w, "name"u8, v.Name);
            End(w, v);
        });
        Str(w, "cgroupsPath"u8, v.CgroupsPath);
        Obj(w, "resources"u8, v.Resources, Write);
        Obj(w, "intelRdt"u8, v.IntelRdt, static (w, v) =>
        {
            w.WriteStartObject();
            Str(w, "closID"u8, v.ClosID);
            Str(w, "l3CacheSchema"u8, v.L3CacheSchema);
            Str(w, "memBwSchema"u8, v.MemBwSchema);
            Strings(w, "schemata"u8, v.Schemata);
            w.WriteBoolean("enableMonitoring"u8, v.EnableMonitoring);
            End(w, v);
        });
        StringMap(w, "sysctl"u8, v.Sysctl);
        Obj(w, "seccomp"u8, v.Seccomp, Write);
        Str(w, "rootfsPropagation"u8, v.RootfsPropagation);
        Strings(w, "maskedPaths"u8, v.MaskedPaths);
        Strings(w, "readonlyPaths"u8, v.ReadonlyPaths);
        Str(w, "mountLabel"u8, v.MountLabel);
        Obj(w, "personality"u8, v.Personality, static (w, v) =>
        {
            w.WriteStartObject();
            Str(w, "domain"u8, v.Domain);
            Strings(w, "flags"u8, v.Flags);
            End(w, v);
        });
        Obj(w, "memoryPolicy"u8, v.MemoryPolicy, static (w, v) =>
        {
            w.WriteStartObject();
            Str(w, "mode"u8, v.Mode);
            Str(w, "nodes"u8, v.Nodes);
            Strings(w, "flags"u8, v.Flags);
            End(w, v);
        });
        End(w, v);
    }

    private static void Write(Utf8JsonWriter w, Seccomp v)
    {
        w.WriteStartObject();
        Str(w, "defaultAction"u8, v.DefaultAction);
        Num(w, "defaultErrnoRet"u8, v.DefaultErrnoRet);
        Strings(w, "architectures"u8, v.Architectures);
        Strings(w, "flags"u8, v.Flags);
        Str(w, "listenerPath"u8, v.ListenerPath);
        Str(w, "listenerMetadata"u8, v.ListenerMetadata);
        List(w, "syscalls"u8, v.Syscalls, static (w, v) =>
        {
            w.WriteStartObject();
            Strings(w, "names"u8, v.Names);
            Str(w, "action"u8, v.Action);
            Num(w, "errnoRet"u8, v.ErrnoRet);
            List(w, "args"u8, v.Args, static (w, v) =>
            {
                w.WriteStartObject();
                w.WriteNumber("index"u8, v.Index);
                w.WriteNumber("value"u8, v.Value);
                w.WriteNumber("valueTwo"u8, v.ValueTwo);
                Str(w, "op"u8, v.Op);
                End(w, v);
            });
            End(w, v);
        });
        End(w, v);
    }

    private static void Write(Utf8JsonWriter w, Resources v)
    {
        w.WriteStartObject();
        List(w, "devices"u8, v.Devices, static (w, v) =>
        {
            w.WriteStartObject();
            w.WriteBoolean("allow"u8, v.Allow);
            Str(w, "type"u8, v.Type);
            Num(w, "major"u8, v.Major);
            Num(w, "minor"u8, v.Minor);
            Str(w, "access"u8, v.Access);
            End(w, v);
        });
        Obj(w, "memory"u8, v.Memory, static (w, v) =>
        {
            w.WriteStartObject();
            Num(w, "limit"u8, v.Limit);
            Num(w, "reservation"u8, v.Reservation);
            Num(w, "swap"u8, v.Swap);
            Num(w, "kernel"u8, v.Kernel);
            Num(w, "kernelTCP"u8, v.KernelTCP);
            Num(w, "swappiness"u8, v.Swappiness);
            Bool(w, "disableOOMKiller"u8, v.DisableOOMKiller);
            Bool(w, "useHierarchy"u8, v.UseHierarchy);
            Bool(w, "checkBeforeUpdate"u8, v.CheckBeforeUpdate);
            End(w, v);
        });
        Obj(w, "cpu"u8, v.Cpu, static (w, v) =>
        {
            w.WriteStartObject();
            Num(w, "shares"u8, v.Shares);
            Num(w, "quota"u8, v.Quota);
            Num(w, "burst"u8, v.Burst);
            Num(w, "period"u8, v.Period);
            Num(w, "realtimeRuntime"u8, v.RealtimeRuntime);
            Num(w, "realtimePeriod"u8, v.RealtimePeriod);
            Str(w, "cpus"u8, v.Cpus);
            Str(w, "mems"u8, v.Mems);
            Num(w, "idle"u8, v.Idle);
            End(w, v);
        });
        Obj(w, "pids"u8, v.Pids, static (w, v) =>
        {
            w.WriteStartObject();
            Num(w, "limit"u8, v.Limit);
            End(w, v);
        });
        Obj(w, "blockIO"u8, v.BlockIO, static (w, v) =>
        {
            w.WriteStartObject();
            Num(w, "weight"u8, v.Weight);
            Num(w, "leafWeight"u8, v.LeafWeight);
            List(w, "weightDevice"u8, v.WeightDevice, static (w, v) =>
            {
                w.WriteStartObject();
                w.WriteNumber("major"u8, v.Major);
                w.WriteNumber("minor"u8, v.Minor);
                Num(w, "weight"u8, v.Weight);
                Num(w, "leafWeight"u8, v.LeafWeight);
                End(w, v);
            });
            List(w, "throttleReadBpsDevice"u8, v.ThrottleReadBpsDevice, Throttle);
            List(w, "throttleWriteBpsDevice"u8, v.ThrottleWriteBpsDevice, Throttle);
            List(w, "throttleReadIOPSDevice"u8, v.ThrottleReadIOPSDevice, Throttle);
            List(w, "throttleWriteIOPSDevice"u8, v.ThrottleWriteIOPSDevice, Throttle);
            End(w, v);
        });
        List(w, "hugepageLimits"u8, v.HugepageLimits, static (w, v) =>
        {
            w.WriteStartObject();
            Str(w, "pageSize"u8, v.PageSize);
            w.WriteNumber("limit"u8, v.Limit);
            End(w, v);
        });
        Obj(w, "network"u8, v.Network, static (w, v) =>
        {
            w.WriteStartObject();
            Num(w, "classID"u8, v.ClassID);
            List(w, "priorities"u8, v.Priorities, static (w, v) =>
            {
                w.WriteStartObject();
                Str(w, "name"u8, v.Name);
                w.WriteNumber("priority"u8, v.Priority);
                End(w, v);
            });
            End(w, v);
        });
        Map(w, "rdma"u8, v.Rdma, static (w, v) =>
        {
            w.WriteStartObject();
            Num(w, "hcaHandles"u8, v.HcaHandles);
            Num(w, "hcaObjects"u8, v.HcaObjects);
            End(w, v);
        });
        StringMap(w, "unified"u8, v.Unified);
        End(w, v);
    }

    private static void Throttle(Utf8JsonWriter w, ThrottleDevice v)
    {
        w.WriteStartObject();
        w.WriteNumber("major"u8, v.Major);
        w.WriteNumber("minor"u8, v.Minor);
        w.WriteNumber("rate"u8, v.Rate);
        End(w, v);
    }

    /// <summary>The members the model does not know, after the ones it does (as the serializer writes extension data).</summary>
    private static void End(Utf8JsonWriter w, SpecNode v)
    {
        if (v.Extra is { } extra)
        {
            foreach (var (name, value) in extra)
            {
                w.WritePropertyName(name);
                value.WriteTo(w);
            }
        }
        w.WriteEndObject();
    }
}
