using Runc.Sharp.Spec;

namespace Runc.Sharp.Cgroups.Devices;

/// <summary>
/// linux.resources.devices as a BPF_PROG_TYPE_CGROUP_DEVICE program for cgroup v2, with
/// the v1 devices controller's meaning: for each access bit the request asks for (mknod,
/// read, write), the last rule that matches the device and names that bit decides; a bit
/// no rule names is allowed (v1's inherited allow-all, which the config's "deny a" rule
/// usually revokes first). The program returns 1 to allow, 0 to deny.
/// </summary>
public static class DeviceFilterProgram
{
    // struct bpf_cgroup_dev_ctx: access_type (type | access << 16), major, minor.
    private const int DevBlock = 1, DevChar = 2;
    private const int AccessMknod = 1, AccessRead = 2, AccessWrite = 4;

    // Registers: r1 context, r2 device type, r3 requested access, r4 major, r5 minor, r6 scratch, r0 result.
    private const byte R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6;

    public static ulong[] Generate(IReadOnlyList<DeviceRule> rules)
    {
        var p = new List<ulong>
        {
            Insn(0x61, R2, R1, 0, 0),        // r2 = ctx->access_type
            Insn(0x54, R2, 0, 0, 0xFFFF),    // r2 &= 0xffff: the device type
            Insn(0x61, R3, R1, 0, 0),        // r3 = ctx->access_type
            Insn(0x74, R3, 0, 0, 16),        // r3 >>= 16: the access
            Insn(0x61, R4, R1, 4, 0),        // r4 = ctx->major
            Insn(0x61, R5, R1, 8, 0),        // r5 = ctx->minor
        };
        foreach (var bit in new[] { AccessMknod, AccessRead, AccessWrite })
            EmitBit(p, bit, rules);
        p.Add(Insn(0xb7, R0, 0, 0, 1));      // every asked bit allowed
        p.Add(Insn(0x95, 0, 0, 0, 0));
        return [.. p];
    }

    /// <summary>Skips the section unless the request asks for <paramref name="bit"/>; then the last matching rule naming it decides.</summary>
    private static void EmitBit(List<ulong> p, int bit, IReadOnlyList<DeviceRule> rules)
    {
        var toSectionEnd = new List<int>();
        p.Add(Insn(0xbc, R6, R3, 0, 0));     // w6 = w3
        p.Add(Insn(0x54, R6, 0, 0, bit));    // w6 &= bit
        toSectionEnd.Add(p.Count);
        p.Add(Insn(0x15, R6, 0, 0, 0));      // if r6 == 0: not asked, next section
        for (int i = rules.Count - 1; i >= 0; i--)
        {
            var r = rules[i];
            if (!Names(r, bit))
                continue;
            var checks = new List<(byte Reg, int Value)>();
            if (r.Type is "c" or "b")
                checks.Add((R2, r.Type == "c" ? DevChar : DevBlock));
            if (r.Major is { } major && major >= 0)
                checks.Add((R4, (int)major));
            if (r.Minor is { } minor && minor >= 0)
                checks.Add((R5, (int)minor));
            // A rule is its checks, each jumping past the rule when it fails, then its verdict.
            int verdictLength = r.Allow ? 1 : 2;
            for (int c = 0; c < checks.Count; c++)
                p.Add(Insn(0x55, checks[c].Reg, 0, (short)(checks.Count - c - 1 + verdictLength), checks[c].Value));
            if (r.Allow)
            {
                toSectionEnd.Add(p.Count);
                p.Add(Insn(0x05, 0, 0, 0, 0));   // allowed: on to the next bit
            }
            else
            {
                p.Add(Insn(0xb7, R0, 0, 0, 0));  // denied
                p.Add(Insn(0x95, 0, 0, 0, 0));
            }
        }
        int end = p.Count;
        foreach (var at in toSectionEnd)
            p[at] = WithOffset(p[at], (short)(end - at - 1));
    }

    private static bool Names(DeviceRule r, int bit)
    {
        var access = string.IsNullOrEmpty(r.Access) ? "rwm" : r.Access;
        return bit switch
        {
            AccessMknod => access.Contains('m'),
            AccessRead => access.Contains('r'),
            _ => access.Contains('w'),
        };
    }

    /// <summary>struct bpf_insn as one little-endian 64-bit word: code, dst|src&lt;&lt;4, off, imm.</summary>
    private static ulong Insn(byte code, byte dst, byte src, short off, int imm) =>
        code | (ulong)(byte)(dst | src << 4) << 8 | (ulong)(ushort)off << 16 | (ulong)(uint)imm << 32;

    private static ulong WithOffset(ulong insn, short off) => insn & ~(0xFFFFUL << 16) | (ulong)(ushort)off << 16;
}
