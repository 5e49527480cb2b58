using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>linux.seccomp enforced inside the container (libseccomp-compiled filter).</summary>
[TestFixture]
[NonParallelizable]
public class SeccompTests
{
    private static JsonObject Rule(string action, string[] names, int? errno = null, JsonArray? args = null)
    {
        var rule = new JsonObject { ["names"] = new JsonArray(names.Select(n => (JsonNode)n!).ToArray()), ["action"] = action };
        if (errno is { } e)
            rule["errnoRet"] = e;
        if (args is not null)
            rule["args"] = args;
        return rule;
    }

    private static ProcResult Run(string script, string defaultAction, bool noNewPrivileges, params JsonObject[] rules)
    {
        using var b = new TestBundle("sh", "-c", script);
        b.Process["noNewPrivileges"] = noNewPrivileges;
        b.Config["root"]!["readonly"] = true;
        b.Linux["seccomp"] = new JsonObject
        {
            ["defaultAction"] = defaultAction,
            ["architectures"] = new JsonArray("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
            ["syscalls"] = new JsonArray(rules.Select(r => (JsonNode)r).ToArray()),
        };
        return b.Run();
    }

    [TestCase(true)]
    [TestCase(false)]
    public void DeniedSyscallReturnsTheConfiguredErrno(bool noNewPrivileges)
    {
        var r = Run("mkdir /dev/shm/x 2>&1; echo rc=$?", "SCMP_ACT_ALLOW", noNewPrivileges,
            Rule("SCMP_ACT_ERRNO", ["mkdir", "mkdirat"], errno: 38));
        Assert.That(r.Stdout, Does.Contain("Function not implemented").And.Contain("rc=1"), r.ToString());
    }

    /// <summary>
    /// A profile older than faccessat2 refuses it with EPERM (runtime-tools' default config): that is
    /// no answer about the executable, which then runs (runtime-tools' conformance suite depends on it).
    /// </summary>
    [Test]
    public void AProfileThatRefusesFaccessat2StillRunsTheProcess()
    {
        var r = Run("echo ran", "SCMP_ACT_ALLOW", false, Rule("SCMP_ACT_ERRNO", ["faccessat2", "faccessat", "access"], errno: 1));
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.Stdout, Is.EqualTo("ran\n"));
    }

    [Test]
    public void KillProcessActionKills()
    {
        var r = Run("uname -a", "SCMP_ACT_ALLOW", true, Rule("SCMP_ACT_KILL_PROCESS", ["uname"]));
        Assert.That(r.ExitCode, Is.EqualTo(128 + 31), "killed by SIGSYS: " + r);
    }

    [Test]
    public void ArgumentConditionsSelectTheCall()
    {
        var args = new JsonArray(
            new JsonObject { ["index"] = 1, ["value"] = 511, ["op"] = "SCMP_CMP_EQ" });
        var argsAt = new JsonArray(
            new JsonObject { ["index"] = 2, ["value"] = 511, ["op"] = "SCMP_CMP_EQ" });
        var r = Run("touch /dev/shm/f; chmod 755 /dev/shm/f && echo 755-ok; chmod 777 /dev/shm/f 2>/dev/null && echo 777-ok || echo 777-denied",
            "SCMP_ACT_ALLOW", true,
            Rule("SCMP_ACT_ERRNO", ["chmod"], errno: 1, args: args),
            Rule("SCMP_ACT_ERRNO", ["fchmodat"], errno: 1, args: argsAt));
        Assert.That(r.Stdout, Is.EqualTo("755-ok\n777-denied\n"), r.ToString());
    }

    [Test]
    public void AllowListProfileRunsAShell()
    {
        // A default-deny profile in the style of Docker's: everything a busybox shell needs is allowed.
        string[] allowed =
        [
            "read", "write", "open", "openat", "close", "stat", "fstat", "lstat", "newfstatat", "statx", "poll", "lseek", "mmap", "mprotect",
            "munmap", "brk", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "ioctl", "pread64", "readv", "writev", "access", "pipe",
            "pipe2", "select", "dup", "dup2", "dup3", "getpid", "getppid", "getuid", "geteuid", "getgid", "getegid", "getgroups",
            "clone", "clone3", "fork", "vfork", "execve", "exit", "exit_group", "wait4", "kill", "uname", "fcntl", "getcwd", "chdir",
            "getdents64", "readlink", "gettid", "futex", "set_tid_address", "set_robust_list", "arch_prctl", "prlimit64", "getrandom",
            "sysinfo", "times", "capget", "capset", "prctl", "setresuid", "setresgid", "setgroups", "close_range", "sched_getaffinity",
            "sched_yield", "madvise", "mremap", "nanosleep", "clock_nanosleep", "clock_gettime", "rseq", "sigaltstack", "getrlimit",
            "setrlimit", "umask", "faccessat", "faccessat2", "pselect6", "ppoll", "tgkill", "membarrier", "sendmsg", "recvmsg",
        ];
        var r = Run("echo hello; id -u", "SCMP_ACT_ERRNO", false, Rule("SCMP_ACT_ALLOW", allowed));
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.Stdout, Is.EqualTo("hello\n0\n"));
    }

    [Test]
    public void NotifyDeliversTheSyscallsToTheListener()
    {
        using var b = new TestBundle("sh", "-c", "mkdir /tmp/pretend && echo made; ls -d /tmp/pretend 2>/dev/null || echo absent; mkdir /tmp/refused 2>/dev/null; echo rc=$?");
        // First mkdir: pretend it succeeded (nothing is made); second: EACCES.
        using var listener = new NotifyListener(b.Dir, 0, -13);
        b.Config["root"]!["readonly"] = false;
        b.Linux["seccomp"] = new JsonObject
        {
            ["defaultAction"] = "SCMP_ACT_ALLOW",
            ["listenerPath"] = listener.Path,
            ["listenerMetadata"] = "agent-metadata",
            ["syscalls"] = new JsonArray(Rule("SCMP_ACT_NOTIFY", ["mkdir", "mkdirat"])),
        };
        var r = b.Run();
        listener.Wait(TimeSpan.FromSeconds(10));
        Assert.That(r.Stdout, Is.EqualTo("made\nabsent\nrc=1\n"), r.ToString());
        Assert.That(listener.Syscalls, Is.EqualTo(new[] { 83, 83 }).Or.EqualTo(new[] { 258, 258 }), "mkdir (83) or mkdirat (258) on x86_64");
        var state = listener.State!;
        Assert.That(state["fds"]!.AsArray().Select(f => f!.GetValue<string>()), Is.EqualTo(new[] { "seccompFd" }));
        Assert.That(state["metadata"]!.GetValue<string>(), Is.EqualTo("agent-metadata"));
        Assert.That(state["state"]!["id"]!.GetValue<string>(), Is.EqualTo(b.Id));
        Assert.That(state["state"]!["bundle"]!.GetValue<string>(), Is.EqualTo(b.Dir));
        Assert.That(state["pid"]!.GetValue<int>(), Is.EqualTo(state["state"]!["pid"]!.GetValue<int>()));
    }

    /// <summary>
    /// libseccomp 2.5 has no WAIT_KILLABLE_RECV; runcs loads the filter itself and passes the
    /// flag with the listener's. strace of the init shows the seccomp(2) call the kernel took.
    /// </summary>
    [Test]
    public void WaitKillableRecvReachesTheKernelWithTheListener()
    {
        using var b = new TestBundle("sh", "-c", "mkdir /tmp/x; echo done");
        using var listener = new NotifyListener(b.Dir, 0);
        b.Config["root"]!["readonly"] = false;
        b.Linux["seccomp"] = new JsonObject
        {
            ["defaultAction"] = "SCMP_ACT_ALLOW",
            ["listenerPath"] = listener.Path,
            ["flags"] = new JsonArray("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
            ["syscalls"] = new JsonArray(Rule("SCMP_ACT_NOTIFY", ["mkdir", "mkdirat"])),
        };
        b.Save();
        var trace = Path.Combine(b.Dir, "strace.txt");
        var r = Runcs.Exec("strace", ["-f", "-e", "trace=seccomp", "-o", trace, Runcs.Binary, "--root", b.StateRoot, "run", "--bundle", b.Dir, b.Id]);
        listener.Wait(TimeSpan.FromSeconds(10));
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.Stdout, Does.Contain("done"));
        Assert.That(File.ReadAllText(trace), Does.Contain("SECCOMP_FILTER_FLAG_NEW_LISTENER|SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"));
    }

    /// <summary>
    /// runc 1.2 and later: no linux.seccomp.flags at all means SPEC_ALLOW (this kernel knows
    /// it); [] means none. Seen in the seccomp(2) call that loads the filter (strace) and in
    /// runc's debug line, which runc's seccomp.bats "SECCOMP_FILTER_FLAG_*" matches.
    /// </summary>
    [TestCase(null, "SECCOMP_FILTER_FLAG_SPEC_ALLOW", 4)]
    [TestCase(new string[0], "0", 0)]
    [TestCase(new[] { "SECCOMP_FILTER_FLAG_LOG" }, "SECCOMP_FILTER_FLAG_LOG", 2)]
    [TestCase(new[] { "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_LOG" },
        "SECCOMP_FILTER_FLAG_LOG|SECCOMP_FILTER_FLAG_SPEC_ALLOW", 6)]
    public void FilterFlagsAsTheKernelGetsThem(string[]? flags, string traced, int debugValue)
    {
        using var b = new TestBundle("sh", "-c", "mkdir /dev/shm/x 2>&1; echo rc=$?");
        b.Process["noNewPrivileges"] = false;
        b.Linux["seccomp"] = new JsonObject
        {
            ["defaultAction"] = "SCMP_ACT_ALLOW",
            ["syscalls"] = new JsonArray(Rule("SCMP_ACT_ERRNO", ["mkdir", "mkdirat"])),
        };
        if (flags is not null)
            b.Linux["seccomp"]!["flags"] = new JsonArray(flags.Select(f => (JsonNode)f!).ToArray());
        b.Save();
        var trace = Path.Combine(b.Dir, "strace.txt");
        var r = Runcs.Exec("strace", ["-f", "-e", "trace=seccomp", "-o", trace, Runcs.Binary, "--root", b.StateRoot, "--debug", "run", "--bundle", b.Dir, b.Id]);
        Assert.That(r.Stdout, Does.Contain("Operation not permitted").And.Contain("rc=1"), r.ToString());
        var loads = File.ReadAllLines(trace).Where(l => l.Contains("seccomp(SECCOMP_SET_MODE_FILTER") && l.EndsWith("= 0", StringComparison.Ordinal)).ToList();
        Assert.That(loads, Has.Count.EqualTo(1), string.Join("\n", loads));
        Assert.That(loads[0], Does.Contain($"seccomp(SECCOMP_SET_MODE_FILTER, {traced}, "));
        Assert.That(r.Stderr, Does.Contain($"level=debug msg=\"seccomp filter flags: {debugValue}\""), r.ToString());
    }

    [Test]
    public void WaitKillableRecvWithoutAListenerIsAcceptedAndChangesNothing()
    {
        using var b = new TestBundle("sh", "-c", "mkdir /tmp/x 2>/dev/null; echo rc=$?");
        b.Config["root"]!["readonly"] = false;
        b.Linux["seccomp"] = new JsonObject
        {
            ["defaultAction"] = "SCMP_ACT_ALLOW",
            ["flags"] = new JsonArray("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
            ["syscalls"] = new JsonArray(Rule("SCMP_ACT_ERRNO", ["mkdir", "mkdirat"], errno: 1)),
        };
        var r = b.Run();
        Assert.That(r.Stdout, Is.EqualTo("rc=1\n"), r.ToString());
    }

    /// <summary>
    /// The second container with a profile takes the program compiled for the first from the
    /// root's cache (an allow-all program put there is what then loads); a cache file whose
    /// key is not the profile's is never used.
    /// </summary>
    [Test]
    public void ACompiledProfileIsCachedAndACacheFileForAnotherKeyIsIgnored()
    {
        // The rootfs is shared: what an allowed mkdir makes goes again.
        using var b = new TestBundle("sh", "-c", "d=/tmp/seccomp-cache-test; mkdir $d 2>/dev/null && rmdir $d; echo rc=$?");
        b.Config["root"]!["readonly"] = false;
        b.Linux["seccomp"] = new JsonObject
        {
            ["defaultAction"] = "SCMP_ACT_ALLOW",
            ["syscalls"] = new JsonArray(Rule("SCMP_ACT_ERRNO", ["mkdir", "mkdirat"], errno: 1)),
        };
        Assert.That(b.Run().Stdout, Is.EqualTo("rc=1\n"), "compiled");
        var cache = Path.Combine(b.StateRoot, "seccomp@cache");
        var file = Directory.GetFiles(cache, "*.bpf").Single();
        Assert.That(File.GetUnixFileMode(cache), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        var written = File.GetLastWriteTimeUtc(file);
        Assert.That(b.Run().Stdout, Is.EqualTo("rc=1\n"), "from the cache");
        Assert.That(File.GetLastWriteTimeUtc(file), Is.EqualTo(written), "the second run did not compile again");
        Assert.That(b.Runcs("list", "-q").Stdout, Is.Empty, "the cache is no container");

        // The cache file's own key, then [flags][BPF]: one instruction, return SECCOMP_RET_ALLOW.
        var bytes = File.ReadAllBytes(file);
        int keyLength = BitConverter.ToInt32(bytes, 0);
        byte[] AllowAll(byte[] key) => [.. BitConverter.GetBytes(key.Length), .. key, 0, 0, 0, 0, 0x06, 0, 0, 0, 0x00, 0x00, 0xff, 0x7f];
        var key = bytes[4..(4 + keyLength)];
        File.WriteAllBytes(file, AllowAll(key));
        Assert.That(b.Run().Stdout, Is.EqualTo("rc=0\n"), "the program loaded is the cached one");
        key[10] ^= 1;
        File.WriteAllBytes(file, AllowAll(key));
        Assert.That(b.Run().Stdout, Is.EqualTo("rc=1\n"), "a file under that name for another key is not used");
    }

    [Test]
    public void StartContainerHooksRunUnderTheFilterWithNoNewPrivileges()
    {
        // runc's suite, seccomp.bats "seccomp (startContainer hook)": runc 1.3 loads the filter before the hooks.
        using var b = new TestBundle("true");
        b.Linux["seccomp"] = new JsonObject
        {
            ["defaultAction"] = "SCMP_ACT_ALLOW",
            ["syscalls"] = new JsonArray(Rule("SCMP_ACT_KILL", ["mkdir", "mkdirat"])),
        };
        b.Process["rlimits"] = new JsonArray(new JsonObject { ["type"] = "RLIMIT_CORE", ["soft"] = 0, ["hard"] = 0 });
        b.Config["hooks"] = new JsonObject
        {
            ["startContainer"] = new JsonArray(new JsonObject { ["path"] = "/bin/sh", ["args"] = new JsonArray("sh", "-c", "mkdir /dev/shm/foo") }),
        };
        var r = b.Run();
        Assert.That(r, Is.EqualTo(new ProcResult(1, "", "runcs: run failed: error running startContainer hook #0: /bin/sh: signal: bad system call\n")));
    }

    [Test]
    public void NotifyWithoutAListenerFailsCreateNamingIt()
    {
        using var b = new TestBundle("true");
        b.Linux["seccomp"] = new JsonObject
        {
            ["defaultAction"] = "SCMP_ACT_ALLOW",
            ["listenerPath"] = "/run/runcs-test-no-such-listener.sock",
            ["syscalls"] = new JsonArray(Rule("SCMP_ACT_NOTIFY", ["mkdir"])),
        };
        var before = Runcs.InitProcesses();
        var r = b.Create();
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("failed to connect with seccomp agent specified in the seccomp profile")
            .And.Contain("linux.seccomp.listenerPath /run/runcs-test-no-such-listener.sock"), r.ToString());
        b.AssertNothingLeft(before);
    }
}
