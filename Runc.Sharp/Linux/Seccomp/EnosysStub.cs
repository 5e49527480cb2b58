using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux.Seccomp;

/// <summary>
/// runc's -ENOSYS stub, put in front of the filter libseccomp compiled: a syscall newer than
/// every syscall the profile names (for its architecture) fails with ENOSYS instead of the
/// default action. A profile written before a syscall existed cannot mention it, and glibc
/// falls back to an older syscall only on ENOSYS (clone3 → clone, faccessat2 → faccessat), where
/// EPERM would break the program. Only for a default action that refuses: with an allowing
/// one, or one that is ENOSYS already, there is nothing to patch.
/// </summary>
public static class EnosysStub
{
    private const uint AuditArchX86_64 = 0xC000003E;
    private const uint X32Bit = 0x40000000;
    private const uint RetErrnoEnosys = 0x00050000 | Errno.ENOSYS;

    // Classic BPF opcodes.
    private const ushort LdAbsW = 0x20, JmpJa = 0x05, JmpJeqK = 0x15, JmpJgtK = 0x25, JmpJsetK = 0x45, RetK = 0x06;
    private const uint OffsetNr = 0, OffsetArch = 4;

    private readonly record struct Insn(ushort Code, int Jt, int Jf, uint K);

    /// <summary>The stub's instructions (8 bytes each, host order), or empty when the filter needs none.</summary>
    public static byte[] For(Spec.Seccomp config)
    {
        if (config.DefaultErrnoRet == Errno.ENOSYS || config.DefaultAction is "SCMP_ACT_ALLOW" or "SCMP_ACT_LOG" or "SCMP_ACT_TRACE")
            return [];
        var groups = LastSyscalls(config);
        if (groups.Count == 0)
            return [];
        return Assemble(Generate(groups));
    }

    /// <summary>Audit architecture → (x32 mode?, the largest syscall number the profile names there).</summary>
    private static Dictionary<uint, List<(bool X32, uint Last)>> LastSyscalls(Spec.Seccomp config)
    {
        var tokens = (config.Architectures ?? [])
            .Select(a => LibSeccomp.seccomp_arch_resolve_name(SeccompFilter.ArchName(a)))
            .Append(LibSeccomp.seccomp_arch_native())
            .Where(t => t != 0)
            .Distinct();
        var groups = new Dictionary<uint, List<(bool, uint)>>();
        foreach (var token in tokens)
        {
            // libseccomp's tokens are the kernel's AUDIT_ARCH values, but for x32: x86_64 with bit 30 in the number.
            bool x32 = token == LibSeccomp.seccomp_arch_resolve_name("x32");
            uint audit = x32 ? AuditArchX86_64 : token;
            long last = -1;
            foreach (var name in (config.Syscalls ?? []).SelectMany(s => s.Names ?? []))
                last = Math.Max(last, LibSeccomp.seccomp_syscall_resolve_name_arch(token, name));
            if (last <= 0)
                continue;
            if (!groups.TryGetValue(audit, out var list))
                groups[audit] = list = [];
            list.Add((x32, (uint)last));
        }
        return groups;
    }

    /// <summary>
    /// ld arch; per architecture: jeq arch (else on to the next one); ld nr; per mode (x86_64 and
    /// x32 tell apart by bit 30): jgt last → ENOSYS; then ja filter. At the end: ja filter; ret ENOSYS.
    /// Jump targets are absolute here, made relative by <see cref="Assemble"/>.
    /// </summary>
    private static List<Insn> Generate(Dictionary<uint, List<(bool X32, uint Last)>> groups)
    {
        const int Enosys = -1, Filter = -2, Next = -3;
        var code = new List<Insn> { new(LdAbsW, 0, 0, OffsetArch) };
        foreach (var (audit, modes) in groups)
        {
            int start = code.Count;
            code.Add(new(JmpJeqK, start + 1, Next, audit));
            code.Add(new(LdAbsW, 0, 0, OffsetNr));
            foreach (var (x32, last) in modes)
            {
                int p = code.Count;
                // x86_64 and x32 share the audit arch; bit 30 of the number tells which mode's check applies.
                if (audit == AuditArchX86_64)
                    code.Add(x32 ? new(JmpJsetK, p + 1, p + 2, X32Bit) : new(JmpJsetK, p + 2, p + 1, X32Bit));
                code.Add(new(JmpJgtK, Enosys, code.Count + 1, last));
            }
            code.Add(new(JmpJa, 0, 0, unchecked((uint)Filter)));
            code[start] = code[start] with { Jf = code.Count };
        }
        code.Add(new(JmpJa, 0, 0, unchecked((uint)Filter)));
        int enosys = code.Count;
        code.Add(new(RetK, 0, 0, RetErrnoEnosys));
        int filter = code.Count;
        for (int i = 0; i < code.Count; i++)
        {
            var insn = code[i];
            int Resolve(int target) => target switch { Enosys => enosys, Filter => filter, _ => target };
            if (insn.Code == JmpJa)
                code[i] = insn with { K = (uint)(filter - i - 1) };
            else if (insn.Code is JmpJeqK or JmpJgtK or JmpJsetK)
                code[i] = insn with { Jt = Resolve(insn.Jt) - i - 1, Jf = Resolve(insn.Jf) - i - 1 };
        }
        return code;
    }

    private static byte[] Assemble(List<Insn> code)
    {
        var bytes = new byte[code.Count * 8];
        for (int i = 0; i < code.Count; i++)
        {
            var insn = code[i];
            if (insn.Jt is < 0 or > 255 || insn.Jf is < 0 or > 255)
                throw new RuncsException("linux.seccomp: the ENOSYS stub needs a jump longer than classic BPF allows");
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), insn.Code);
            bytes[i * 8 + 2] = (byte)insn.Jt;
            bytes[i * 8 + 3] = (byte)insn.Jf;
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 8 + 4), insn.K);
        }
        return bytes;
    }
}
