using System.Runtime.InteropServices;
using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Cgroups.Devices;

/// <summary>
/// Loads a <see cref="DeviceFilterProgram"/> with bpf(2) and attaches it to a cgroup v2
/// directory (BPF_CGROUP_DEVICE, allow-multi), then detaches the programs attached there
/// before, so an update replaces the filter instead of stacking another one.
/// </summary>
public static unsafe class BpfDeviceFilter
{
    private const long SysBpf = 321;
    private const int ProgLoad = 5, ProgAttach = 8, ProgDetach = 9, ProgGetFdById = 13, ProgQuery = 16;
    private const int ProgTypeCgroupDevice = 15, AttachCgroupDevice = 6, FlagAllowMulti = 2;

    public static void Apply(string cgroupDir, IReadOnlyList<Spec.DeviceRule> rules)
    {
        var insns = DeviceFilterProgram.Generate(rules);
        using var cgroup = FileDescriptor.Open(cgroupDir, O.RDONLY | O.DIRECTORY);
        var previous = AttachedIds(cgroup.Value, cgroupDir);
        using var program = Load(insns, cgroupDir);
        byte* attr = stackalloc byte[128];
        new Span<byte>(attr, 128).Clear();
        *(uint*)attr = (uint)cgroup.Value;
        *(uint*)(attr + 4) = (uint)program.Value;
        *(uint*)(attr + 8) = AttachCgroupDevice;
        *(uint*)(attr + 12) = FlagAllowMulti;
        Bpf(ProgAttach, attr, $"attach the device filter to {cgroupDir} (linux.resources.devices)");
        foreach (var id in previous)
            Detach(cgroup.Value, id, cgroupDir);
    }

    private static FileDescriptor Load(ulong[] insns, string cgroupDir)
    {
        var license = "Apache\0"u8;
        byte* log = stackalloc byte[4096];
        log[0] = 0;
        fixed (ulong* code = insns)
        fixed (byte* lic = license)
        {
            byte* attr = stackalloc byte[128];
            new Span<byte>(attr, 128).Clear();
            *(uint*)attr = ProgTypeCgroupDevice;
            *(uint*)(attr + 4) = (uint)insns.Length;
            *(ulong*)(attr + 8) = (ulong)code;
            *(ulong*)(attr + 16) = (ulong)lic;
            *(uint*)(attr + 24) = 1;       // log_level: the verifier says why, if it refuses
            *(uint*)(attr + 28) = 4096;
            *(ulong*)(attr + 32) = (ulong)log;
            long fd = Libc.syscall(SysBpf, ProgLoad, (long)attr, 128, 0, 0, 0);
            if (fd < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                var why = Marshal.PtrToStringUTF8((nint)log)?.Trim();
                throw new RuncsException($"load the device filter for {cgroupDir} (linux.resources.devices): {SyscallException.Describe(errno)}" +
                    (string.IsNullOrEmpty(why) ? "" : $": {why.Split('\n').Last()}"));
            }
            return new FileDescriptor((int)fd);
        }
    }

    /// <summary>The ids of the device programs attached to the cgroup itself.</summary>
    private static uint[] AttachedIds(int cgroupFd, string cgroupDir)
    {
        uint* ids = stackalloc uint[64];
        byte* attr = stackalloc byte[128];
        new Span<byte>(attr, 128).Clear();
        *(uint*)attr = (uint)cgroupFd;
        *(uint*)(attr + 4) = AttachCgroupDevice;
        *(ulong*)(attr + 16) = (ulong)ids;
        *(uint*)(attr + 24) = 64;
        Bpf(ProgQuery, attr, $"query the device filters of {cgroupDir}");
        return new Span<uint>(ids, (int)*(uint*)(attr + 24)).ToArray();
    }

    private static void Detach(int cgroupFd, uint id, string cgroupDir)
    {
        byte* attr = stackalloc byte[128];
        new Span<byte>(attr, 128).Clear();
        *(uint*)attr = id;
        long fd = Libc.syscall(SysBpf, ProgGetFdById, (long)attr, 128, 0, 0, 0);
        if (fd < 0)
            return;
        using var program = new FileDescriptor((int)fd);
        new Span<byte>(attr, 128).Clear();
        *(uint*)attr = (uint)cgroupFd;
        *(uint*)(attr + 4) = (uint)program.Value;
        *(uint*)(attr + 8) = AttachCgroupDevice;
        Bpf(ProgDetach, attr, $"detach the previous device filter of {cgroupDir}");
    }

    private static void Bpf(int command, byte* attr, string what)
    {
        if (Libc.syscall(SysBpf, command, (long)attr, 128, 0, 0, 0) < 0)
            throw SyscallException.FromLast("bpf", what);
    }
}
