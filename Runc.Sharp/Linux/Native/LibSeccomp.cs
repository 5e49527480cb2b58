using System.Runtime.InteropServices;

namespace Runc.Sharp.Linux.Native;

/// <summary>
/// libseccomp, linked statically into the runcs executable (Debian's libseccomp-dev
/// ships libseccomp.a; see the csproj's NativeLibrary). It compiles the BPF filter.
/// </summary>
internal static unsafe partial class LibSeccomp
{
    private const string Lib = "libseccomp";

    [StructLayout(LayoutKind.Sequential)]
    public struct ArgCmp
    {
        public uint Arg;
        public int Op;
        public ulong DatumA;
        public ulong DatumB;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Version
    {
        public uint Major, Minor, Micro;
    }

    public const int AttrCtlNnp = 3, AttrCtlLog = 6, AttrCtlSsb = 7;
    public const int NrScmpError = -1;

    [LibraryImport(Lib)]
    public static partial nint seccomp_init(uint defAction);

    [LibraryImport(Lib)]
    public static partial void seccomp_release(nint ctx);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint seccomp_arch_resolve_name(string name);

    [LibraryImport(Lib)]
    public static partial int seccomp_arch_add(nint ctx, uint arch);

    [LibraryImport(Lib)]
    public static partial int seccomp_attr_set(nint ctx, int attr, uint value);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int seccomp_syscall_resolve_name(string name);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int seccomp_syscall_resolve_name_arch(uint arch, string name);

    [LibraryImport(Lib)]
    public static partial uint seccomp_arch_native();

    [LibraryImport(Lib)]
    public static partial int seccomp_rule_add_array(nint ctx, uint action, int syscall, uint argCount, ArgCmp* args);

    [LibraryImport(Lib)]
    public static partial int seccomp_export_bpf(nint ctx, int fd);

    [LibraryImport(Lib)]
    public static partial Version* seccomp_version();

    [LibraryImport(Lib)]
    public static partial int seccomp_notify_fd(nint ctx);
}
