using Runc.Sharp.Linux.Native;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Linux.Seccomp;

/// <summary>
/// linux.seccomp compiled by libseccomp, with runc's rules: rules whose action equals the
/// default are skipped, unknown syscall names are ignored, and conditions on the same
/// argument index become separate rules.
/// </summary>
public static unsafe class SeccompFilter
{
    private const uint ActKillThread = 0x00000000, ActKillProcess = 0x80000000, ActTrap = 0x00030000,
        ActErrno = 0x00050000, ActTrace = 0x7ff00000, ActLog = 0x7ffc0000, ActAllow = 0x7fff0000, ActNotify = 0x7fc00000;
    private const uint Eperm = 1;
    /// <summary>seccomp(2)'s SECCOMP_FILTER_FLAG_NEW_LISTENER: the load returns a notify fd.</summary>
    internal const uint FlagNewListener = 8;

    /// <summary>seccomp(2)'s SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (Linux 5.19).</summary>
    private const uint FlagWaitKillableRecv = 32;

    /// <summary>
    /// linux.seccomp.flags runcs applies: the libseccomp attribute each sets (0: none) and the
    /// seccomp(2) flag the load passes. TSYNC is accepted and ignored, as runc does (one thread
    /// execs). WAIT_KILLABLE_RECV has no attribute in libseccomp 2.5; runcs loads the program
    /// with seccomp(2) itself, so it passes the flag, where the kernel accepts it: with a
    /// listener (<see cref="KernelFlags"/>).
    /// </summary>
    private static readonly (string Name, int Attribute, uint KernelFlag)[] Flags =
    [
        ("SECCOMP_FILTER_FLAG_TSYNC", 0, 0),
        ("SECCOMP_FILTER_FLAG_LOG", LibSeccomp.AttrCtlLog, 2),
        ("SECCOMP_FILTER_FLAG_SPEC_ALLOW", LibSeccomp.AttrCtlSsb, 4),
        ("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 0, FlagWaitKillableRecv),
    ];

    public static readonly string[] SupportedFlags = [.. Flags.Select(f => f.Name)];

    /// <summary>Actions runcs can apply: all of them (notify hands the listener fd to linux.seccomp.listenerPath).</summary>
    public static readonly string[] SupportedActions = Known.SeccompActions;

    public static string LibraryVersion
    {
        get
        {
            var v = LibSeccomp.seccomp_version();
            return $"{v->Major}.{v->Minor}.{v->Micro}";
        }
    }

    /// <summary>Architecture names libseccomp knows, as SCMP_ARCH_* (what `features` reports).</summary>
    public static IEnumerable<string> SupportedArchitectures =>
        Known.SeccompArchitectures.Where(a => LibSeccomp.seccomp_arch_resolve_name(ArchName(a)) != 0);

    /// <summary>Compiles the filter without loading it, so that every error shows up at create.</summary>
    public static SeccompProgram Prepare(Spec.Seccomp config)
    {
        var defaultAction = Action(config.DefaultAction, config.DefaultErrnoRet, "linux.seccomp.defaultAction");
        nint ctx = LibSeccomp.seccomp_init(defaultAction);
        if (ctx == 0)
            throw new RuncsException("linux.seccomp: libseccomp could not create a filter");
        var program = new SeccompProgram(ctx, UsesNotify(config));
        bool ok = false;
        try
        {
            Check(LibSeccomp.seccomp_attr_set(ctx, LibSeccomp.AttrCtlNnp, 0), "disable libseccomp's own no_new_privs");
            foreach (var flag in EffectiveFlags(config))
            {
                if (Array.FindIndex(Flags, f => f.Name == flag) is var i && i < 0)
                    throw new RuncsException($"linux.seccomp.flags: {flag} is not supported by libseccomp {LibraryVersion}");
                if (Flags[i].Attribute != 0)
                    Check(LibSeccomp.seccomp_attr_set(ctx, Flags[i].Attribute, 1), $"linux.seccomp.flags {flag}");
            }
            foreach (var arch in config.Architectures ?? [])
            {
                uint token = LibSeccomp.seccomp_arch_resolve_name(ArchName(arch));
                if (token == 0)
                    throw new RuncsException($"linux.seccomp.architectures: {arch} is unknown to libseccomp");
                int r = LibSeccomp.seccomp_arch_add(ctx, token);
                if (r != 0 && r != -Errno.EEXIST)
                    Check(r, $"linux.seccomp.architectures {arch}");
            }
            var calls = config.Syscalls ?? [];
            for (int i = 0; i < calls.Count; i++)
                AddRule(ctx, calls[i], defaultAction, $"linux.seccomp.syscalls[{i}]");
            ok = true;
            return program;
        }
        finally
        {
            if (!ok)
                program.Dispose();
        }
    }

    private static void AddRule(nint ctx, Syscall call, uint defaultAction, string what)
    {
        var action = Action(call.Action, call.ErrnoRet, what + ".action");
        if (action == defaultAction)
            return;
        var args = call.Args ?? [];
        var conditions = args.Select(a => new LibSeccomp.ArgCmp
        {
            Arg = a.Index, Op = Operator(a.Op, what), DatumA = a.Value, DatumB = a.ValueTwo,
        }).ToArray();
        bool repeatedIndex = args.Select(a => a.Index).Distinct().Count() != args.Count;
        foreach (var name in call.Names ?? [])
        {
            int nr = LibSeccomp.seccomp_syscall_resolve_name(name);
            if (nr == LibSeccomp.NrScmpError)
                continue;
            if (repeatedIndex)
            {
                // libseccomp ANDs conditions of one rule and refuses two on one argument; runc ORs them.
                foreach (var c in conditions)
                {
                    var one = c;
                    Check(LibSeccomp.seccomp_rule_add_array(ctx, action, nr, 1, &one), $"{what} {name}");
                }
                continue;
            }
            fixed (LibSeccomp.ArgCmp* p = conditions)
                Check(LibSeccomp.seccomp_rule_add_array(ctx, action, nr, (uint)conditions.Length, p), $"{what} {name}");
        }
    }

    private static uint Action(string? name, uint? errnoRet, string what) => name switch
    {
        "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => ActKillThread,
        "SCMP_ACT_KILL_PROCESS" => ActKillProcess,
        "SCMP_ACT_TRAP" => ActTrap,
        "SCMP_ACT_ERRNO" => ActErrno | ((errnoRet ?? Eperm) & 0xffff),
        "SCMP_ACT_TRACE" => ActTrace | ((errnoRet ?? Eperm) & 0xffff),
        "SCMP_ACT_LOG" => ActLog,
        "SCMP_ACT_ALLOW" => ActAllow,
        "SCMP_ACT_NOTIFY" => ActNotify,
        _ => throw new RuncsException($"{what}: {name} is not supported by runcs yet"),
    };

    private static int Operator(string? op, string what) => op switch
    {
        "SCMP_CMP_NE" => 1,
        "SCMP_CMP_LT" => 2,
        "SCMP_CMP_LE" => 3,
        "SCMP_CMP_EQ" => 4,
        "SCMP_CMP_GE" => 5,
        "SCMP_CMP_GT" => 6,
        "SCMP_CMP_MASKED_EQ" => 7,
        _ => throw new RuncsException($"{what}: unknown operator {op}"),
    };

    /// <summary>
    /// The seccomp(2) flags for this config: those of its flags, NEW_LISTENER when a rule
    /// notifies. WAIT_KILLABLE_RECV changes only how a notifying process waits, and the kernel
    /// refuses it without a listener: there it is accepted and has nothing to change.
    /// </summary>
    public static uint KernelFlags(Spec.Seccomp config)
    {
        bool notifies = UsesNotify(config);
        var named = EffectiveFlags(config);
        var flags = Flags.Where(f => named.Contains(f.Name)).Aggregate(notifies ? FlagNewListener : 0u, (all, f) => all | f.KernelFlag);
        return notifies ? flags : flags & ~FlagWaitKillableRecv;
    }

    /// <summary>
    /// linux.seccomp.flags, or where the config has none (not even []) SPEC_ALLOW if the kernel
    /// knows it, as runc 1.2 and later: a filter otherwise turns the speculative store bypass
    /// mitigation on, which slows the container and is not what a profile asks for.
    /// </summary>
    public static IReadOnlyList<string> EffectiveFlags(Spec.Seccomp config) =>
        config.Flags ?? (SpecAllowKnown.Value ? [SpecAllow] : []);

    private const string SpecAllow = "SECCOMP_FILTER_FLAG_SPEC_ALLOW";

    /// <summary>
    /// The kernel checks the flags before it reads the program: EFAULT for a null program means
    /// it knows the flag, EINVAL that it does not.
    /// </summary>
    private static readonly Lazy<bool> SpecAllowKnown = new(() =>
        Libc.syscall(Sys.seccomp, 1 /* SECCOMP_SET_MODE_FILTER */, 4 /* SPEC_ALLOW */, 0, 0, 0, 0) < 0
        && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Errno.EFAULT);

    public static bool UsesNotify(Spec.Seccomp config) =>
        config.DefaultAction == "SCMP_ACT_NOTIFY" || config.Syscalls?.Any(c => c.Action == "SCMP_ACT_NOTIFY") == true;

    /// <summary>SCMP_ARCH_X86_64 → "x86_64", the name libseccomp resolves.</summary>
    public static string ArchName(string arch) => arch.StartsWith("SCMP_ARCH_", StringComparison.Ordinal)
        ? arch["SCMP_ARCH_".Length..].ToLowerInvariant()
        : arch.ToLowerInvariant();

    internal static void Check(int result, string what)
    {
        if (result < 0)
            throw new SyscallException("seccomp", what, -result);
    }
}

/// <summary>A filter being built by libseccomp; <see cref="ExportBpf"/> writes its program.</summary>
public sealed class SeccompProgram(nint ctx, bool notify) : IDisposable
{
    private nint _ctx = ctx;

    /// <summary>Whether a rule notifies a listener: the filter then has a notify fd once loaded.</summary>
    public bool Notifies { get; } = notify;

    public void ExportBpf(int fd) => SeccompFilter.Check(LibSeccomp.seccomp_export_bpf(_ctx, fd), "export seccomp filter (linux.seccomp)");

    public void Dispose()
    {
        if (_ctx != 0)
            LibSeccomp.seccomp_release(_ctx);
        _ctx = 0;
    }
}
