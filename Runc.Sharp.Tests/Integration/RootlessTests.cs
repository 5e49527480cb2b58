using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// runcs as an unprivileged user the test creates: `spec --rootless` then `run`, the
/// lifecycle and exec, state under $XDG_RUNTIME_DIR/runcs, cgroups only where delegated,
/// and one clear error for what such a user cannot do.
/// </summary>
[TestFixture]
[NonParallelizable]
public class RootlessTests
{
    private const string User = "runcs-rootless";
    private string _dir = null!;
    private string _xdg = null!;
    private string _binary = null!;
    private uint _uid;

    [OneTimeSetUp]
    public void CreateUser()
    {
        Runcs.RequireRoot();
        if (Runcs.Exec("id", ["-u", User]).ExitCode != 0)
        {
            var add = Runcs.Exec("useradd", ["--no-create-home", "--shell", "/bin/sh", User]);
            Assert.That(add.ExitCode, Is.Zero, $"useradd: {add}");
        }
        _uid = uint.Parse(Runcs.Exec("id", ["-u", User]).Stdout.Trim());
        _dir = Directory.CreateTempSubdirectory("runcs-rootless-").FullName;
        _xdg = Path.Combine(_dir, "xdg");
        Directory.CreateDirectory(_xdg);
        _binary = Path.Combine(_dir, "runcs");
        File.Copy(Runcs.Binary, _binary);
        var copy = Runcs.Exec("/bin/cp", ["-a", Runcs.Rootfs, Path.Combine(_dir, "rootfs")]);
        Assert.That(copy.ExitCode, Is.Zero, copy.ToString());
        Assert.That(Runcs.Exec("chown", ["-R", $"{User}:", _dir]).ExitCode, Is.Zero);
        File.SetUnixFileMode(_xdg, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(_dir, (UnixFileMode)0x1ed);
    }

    [OneTimeTearDown]
    public void RemoveDir()
    {
        if (_dir is not null)
            Directory.Delete(_dir, recursive: true);
    }

    /// <summary>runcs as the unprivileged user, in <paramref name="bundle"/>, with only XDG_RUNTIME_DIR set.</summary>
    private ProcResult AsUser(string bundle, params string[] args) => InSession(null, bundle, args);

    /// <summary>
    /// As <see cref="AsUser"/>, but first (as root) moved into <paramref name="sessionCgroup"/>
    /// of the unified hierarchy: cgroup v2 lets a user move processes only within a subtree
    /// that already holds them, as a systemd user session's delegated cgroup does.
    /// </summary>
    private ProcResult InSession(string? sessionCgroup, string bundle, params string[] args) =>
        Runcs.Exec("/bin/sh", ["-c", "[ -z \"$1\" ] || echo $$ > \"$1/cgroup.procs\"; shift; exec \"$@\"", "sh", sessionCgroup ?? "",
            "runuser", "-u", User, "--", "env", $"XDG_RUNTIME_DIR={_xdg}", _binary, .. args], cwd: bundle);

    /// <summary>A bundle made by `runcs spec --rootless` as the user, running <paramref name="script"/>.</summary>
    private string Bundle(string script, Action<JsonObject>? configure = null)
    {
        var bundle = Path.Combine(_dir, "b-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(bundle);
        Runcs.Exec("chown", [$"{User}:", bundle]);
        var spec = AsUser(bundle, "spec", "--rootless");
        Assert.That(spec.ExitCode, Is.Zero, spec.ToString());
        var path = Path.Combine(bundle, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        config["root"]!["path"] = Path.Combine(_dir, "rootfs");
        config["process"]!["terminal"] = false;
        config["process"]!["args"] = new JsonArray("sh", "-c", script);
        configure?.Invoke(config);
        File.WriteAllText(path, config.ToJsonString());
        return bundle;
    }

    private string StateDir(string id) => Path.Combine(_xdg, "runcs", id);

    [Test]
    public void SpecRootlessThenRunMapsRootToTheUser()
    {
        var bundle = Bundle("id -u; cat /proc/self/uid_map; hostname; exit 3");
        var r = AsUser(bundle, "run", "rl-run");
        Assert.That(r.ExitCode, Is.EqualTo(3), r.ToString());
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("0"));
        Assert.That(lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "0", _uid.ToString(), "1" }),
            "root in the container is the unprivileged user on the host");
        Assert.That(Directory.Exists(Path.Combine(_xdg, "runcs")), Is.True, "state lives under $XDG_RUNTIME_DIR/runcs");
        Assert.That(Directory.Exists(StateDir("rl-run")), Is.False, "run deletes the container");
        Assert.That(Directory.Exists("/run/runcs/rl-run"), Is.False);
    }

    [Test]
    public void DetachedLifecycleAndExec()
    {
        var bundle = Bundle("sleep 1000");
        var inits = Runcs.InitProcesses();
        Assert.That(AsUser(bundle, "run", "-d", "rl-life").ExitCode, Is.Zero);
        var list = AsUser(bundle, "list");
        Assert.That(list.Stdout, Does.Contain("rl-life").And.Contain("running").And.Contain(User), list.ToString());
        var state = JsonNode.Parse(AsUser(bundle, "state", "rl-life").Stdout)!;
        var pid = state["pid"]!.GetValue<int>();
        Assert.That(File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:")).Split('\t')[1], Is.EqualTo(_uid.ToString()));
        var exec = AsUser(bundle, "exec", "rl-life", "sh", "-c", "id -u; cat /proc/1/cmdline | tr '\\0' ' '; echo; exit 4");
        Assert.That((exec.ExitCode, exec.Stdout), Is.EqualTo((4, "0\nsleep 1000 \n")), $"exec joins the container's user and pid namespaces: {exec}");
        Assert.That(AsUser(bundle, "kill", "rl-life", "KILL").ExitCode, Is.Zero);
        LifecycleTests.WaitFor(() => AsUser(bundle, "state", "rl-life").Stdout.Contains("\"stopped\""));
        var delete = AsUser(bundle, "delete", "rl-life");
        Assert.That(delete.ExitCode, Is.Zero, delete.ToString());
        Assert.That(Directory.Exists(StateDir("rl-life")), Is.False);
        Assert.That(Runcs.InitProcesses().Except(inits), Is.Empty);
    }

    [Test]
    public void TheInitOfARootlessContainerIsASealedCopy()
    {
        var bundle = Bundle("true");
        Assert.That(AsUser(bundle, "create", "rl-image").ExitCode, Is.Zero);
        var pid = JsonNode.Parse(AsUser(bundle, "state", "rl-image").Stdout)!["pid"]!.GetValue<int>();
        // An unprivileged user cannot make the overlay root's inits run from (CVE-2019-5736).
        Assert.That(File.ResolveLinkTarget($"/proc/{pid}/exe", false)?.ToString(), Does.StartWith("/memfd:runcs"));
        Assert.That(() => File.OpenWrite($"/proc/{pid}/exe").Dispose(), Throws.InstanceOf<UnauthorizedAccessException>().Or.InstanceOf<IOException>(),
            "the memfd is sealed against writes (F_SEAL_WRITE), so not even root can change it");
        Assert.That(AsUser(bundle, "delete", "--force", "rl-image").ExitCode, Is.Zero);
    }

    [Test]
    public void LimitsWithoutADelegatedCgroupAreRefusedByName()
    {
        var bundle = Bundle("true", c => c["linux"]!["resources"] = new JsonObject { ["memory"] = new JsonObject { ["limit"] = 64 << 20 } });
        var r = AsUser(bundle, "run", "rl-limits");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("rootless needs no limits + no cgrouppath when no permission is granted for cgroups: cannot apply linux.resources.memory").And.Contain($"uid {_uid}"), r.ToString());
        Assert.That(Directory.Exists(StateDir("rl-limits")), Is.False);
    }

    [Test]
    public void MappingAnotherUsersIdIsRefusedByName()
    {
        var bundle = Bundle("true", c => c["linux"]!["uidMappings"]![0]!["hostID"] = 0);
        var r = AsUser(bundle, "run", "rl-map");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("linux.uidMappings: running as an unprivileged user").And.Contain($"hostID {_uid}"), r.ToString());
        Assert.That(Directory.Exists(StateDir("rl-map")), Is.False);
    }

    [Test]
    public void ADelegatedCgroupIsUsedAndLimited()
    {
        var parents = Directory.GetDirectories("/sys/fs/cgroup").Where(h => File.Exists(Path.Combine(h, "cgroup.procs")))
            .Select(h => Path.Combine(h, "runcs-rootless-delegated")).ToList();
        try
        {
            foreach (var p in parents)
            {
                Directory.CreateDirectory(p);
                Runcs.Exec("chown", ["-R", $"{User}:", p]);
            }
            // Only the shell forks, so the count is exact: it and three sleeps fill the limit of 4,
            // and the shell exits 2 at the fourth fork.
            var bundle = Bundle("for i in 1 2 3 4 5 6 7 8; do sleep 100 & echo $i; done",
                c =>
                {
                    c["linux"]!["cgroupsPath"] = "/runcs-rootless-delegated/c1";
                    c["linux"]!["resources"] = new JsonObject { ["pids"] = new JsonObject { ["limit"] = 4 } };
                });
            var unified = parents.FirstOrDefault(p => p.StartsWith("/sys/fs/cgroup/unified/", StringComparison.Ordinal));
            string? session = null;
            if (unified is not null)
            {
                session = Path.Combine(unified, "session");
                Directory.CreateDirectory(session);
                Runcs.Exec("chown", ["-R", $"{User}:", session]);
            }
            var r = InSession(session, bundle, "run", "rl-deleg");
            Assert.That((r.ExitCode, r.Stdout), Is.EqualTo((2, "1\n2\n3\n")), $"the pids limit of the delegated cgroup refuses the fourth fork: {r}");
            Assert.That(r.Stderr, Does.Contain("can't fork"), r.ToString());
            Assert.That(parents.Select(p => Path.Combine(p, "c1")).Where(Directory.Exists), Is.Empty, "delete removes the container's cgroup");
            Assert.That(File.Exists("/sys/fs/cgroup/pids/runcs-rootless-delegated/c1/pids.max"), Is.False);
        }
        finally
        {
            foreach (var p in parents.Where(Directory.Exists))
            {
                foreach (var child in Directory.GetDirectories(p))
                    Directory.Delete(child);
                Directory.Delete(p);
            }
        }
    }
}
