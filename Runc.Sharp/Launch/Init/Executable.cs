using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Launch.Init;

/// <summary>The user's program, found on the container's PATH, with its final environment; then execve.</summary>
public sealed unsafe class Executable
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public string Path { get; }
    public IReadOnlyList<string> Args { get; }
    public IReadOnlyList<string> Env { get; }

    private Executable(string path, IReadOnlyList<string> args, IReadOnlyList<string> env)
    {
        Path = path;
        Args = args;
        Env = env;
    }

    public static Executable Resolve(Spec.Process p, IReadOnlyList<string> extraEnv)
    {
        var args = p.Args ?? [];
        if (args.Count == 0)
            throw new RuncsException("process.args: must not be empty");
        var env = PrepareEnvironment((p.Env ?? []).Concat(extraEnv).ToList(), p.User.Uid);
        var name = args[0];
        if (name.Contains('/'))
        {
            if (!File.Exists(name))
                throw new RuncsException($"exec: \"{name}\": stat {name}: no such file or directory");
            if (!IsExecutableFile(name))
                throw new RuncsException($"exec: \"{name}\": permission denied");
            return new Executable(name, args, env);
        }
        var pathVar = env.LastOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..] ?? DefaultPath;
        foreach (var dir in pathVar.Split(':'))
        {
            var candidate = System.IO.Path.Combine(dir.Length == 0 ? "." : dir, name);
            if (IsExecutableFile(candidate))
                return new Executable(candidate, args, env);
        }
        throw new RuncsException($"exec: \"{name}\": executable file not found in $PATH");
    }

    /// <summary>
    /// runc's prepareEnv: each variable once, with its last value, in the order of those last
    /// occurrences; an empty HOME counts as none, and without one HOME is the user's home from
    /// the container's /etc/passwd (or /).
    /// </summary>
    public static IReadOnlyList<string> PrepareEnvironment(IReadOnlyList<string> env, uint uid)
    {
        var seen = new HashSet<string>();
        var reversed = new List<string>(env.Count + 1);
        bool home = false;
        for (int i = env.Count - 1; i >= 0; i--)
        {
            var kv = env[i];
            int eq = kv.IndexOf('=');
            if (eq < 0)
                throw new ConfigError($"process.env[{i}]: invalid environment variable: missing '='");
            if (eq == 0)
                throw new ConfigError($"process.env[{i}]: invalid environment variable: name cannot be empty");
            var key = kv[..eq];
            if (!seen.Add(key))
                continue;
            if (kv.Contains('\0'))
                throw new ConfigError($"process.env[{i}]: invalid environment variable \"{key}\": contains nul byte (\\x00)");
            if (key == "HOME")
            {
                if (eq == kv.Length - 1)
                    continue;
                home = true;
            }
            reversed.Add(kv);
        }
        reversed.Reverse();
        if (!home)
            reversed.Add("HOME=" + HomeOf(uid));
        return reversed;
    }

    /// <summary>
    /// A regular file this thread may execute, judged with its effective ids and capabilities
    /// (faccessat2 AT_EACCESS, as Go's LookPath in runc): CAP_DAC_OVERRIDE runs a file whose
    /// only execute bit is its owner's.
    /// </summary>
    private static bool IsExecutableFile(string path)
    {
        fixed (byte* p = SysCall.Utf8(path))
        {
            Stat st;
            const int X_OK = 1, AT_EACCESS = 0x200;
            if (Libc.fstatat(-100, path, &st, 0) != 0 || (st.Mode & 0xF000) != 0x8000)
                return false;
            // ENOSYS, or EPERM (access(2) never answers that: a seccomp profile older than
            // faccessat2 refusing it), is no answer: ask access(2), and failing that leave it to execve.
            static bool NoAnswer(long r) => r != 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() is Errno.ENOSYS or Errno.EPERM;
            long r = Libc.syscall(Sys.faccessat2, -100, (long)p, X_OK, AT_EACCESS, 0, 0);
            if (NoAnswer(r))
                r = Libc.syscall(Sys.access, (long)p, X_OK, 0, 0, 0, 0);
            return NoAnswer(r) ? (st.Mode & 0x49 /* any x bit */) != 0 : r == 0;
        }
    }

    private static string HomeOf(uint uid)
    {
        if (File.Exists("/etc/passwd"))
        {
            var text = uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var f = line.Split(':');
                if (f.Length > 5 && f[2] == text && f[5].Length > 0)
                    return f[5];
            }
        }
        return "/";
    }

    /// <summary>execve on this thread; returns only by throwing.</summary>
    public void Exec()
    {
        using var argv = new NativeStringArray(Args);
        using var envp = new NativeStringArray(Env);
        using var path = new NativeStringArray([Path]);
        Libc.syscall(Sys.execve, (long)path.Pointer[0], (long)argv.Pointer, (long)envp.Pointer, 0, 0, 0);
        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        throw new ContainerExecFailed($"exec {Path}: {SyscallException.Describe(errno)}");
    }
}
