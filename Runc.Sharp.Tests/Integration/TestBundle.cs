using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// A bundle in a temp dir whose root.path points at the shared busybox rootfs
/// (read-only), its own --root state directory and a unique container id.
/// </summary>
public sealed class TestBundle : IDisposable
{
    private static int _counter;

    public string Dir { get; }
    public string StateRoot { get; }
    public string Id { get; }
    public JsonObject Config { get; }

    public TestBundle(params string[] args)
    {
        Integration.Runcs.RequireRoot();
        Dir = Directory.CreateTempSubdirectory("runcs-it-").FullName;
        StateRoot = Path.Combine(Dir, "state");
        Id = $"it-{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}";
        var spec = Integration.Runcs.Exec(Integration.Runcs.Binary, ["spec", "--bundle", Dir]);
        Assert.That(spec.ExitCode, Is.Zero, spec.ToString());
        Config = JsonNode.Parse(File.ReadAllText(ConfigPath))!.AsObject();
        Config["root"]!["path"] = Integration.Runcs.Rootfs;
        Config["process"]!["terminal"] = false;
        Config["process"]!["args"] = new JsonArray(args.Length == 0 ? ["true"] : args.Select(a => (JsonNode)a!).ToArray());
        Save();
    }

    public string ConfigPath => Path.Combine(Dir, "config.json");

    /// <summary>`runcs run` of `sh -c script` in a fresh bundle, configured by the caller; asserts run deleted it.</summary>
    public static ProcResult RunShell(string script, Action<TestBundle>? configure = null)
    {
        using var b = new TestBundle("sh", "-c", script);
        configure?.Invoke(b);
        var r = b.Run();
        Assert.That(Directory.Exists(Path.Combine(b.StateRoot, b.Id)), Is.False, "run must delete the container");
        return r;
    }

    /// <summary>A config.json mount entry.</summary>
    public static JsonObject Mount(string destination, string type, string source, params string[] options) => new()
    {
        ["destination"] = destination,
        ["type"] = type,
        ["source"] = source,
        ["options"] = new JsonArray(options.Select(o => (JsonNode)o!).ToArray()),
    };

    /// <summary>
    /// A new user namespace mapping container ids 0–65535 to host ids from <paramref name="hostId"/>.
    /// sysfs needs a network namespace owned by the user namespace, and cgroup v1 needs binds,
    /// so the /sys and /sys/fs/cgroup mounts go.
    /// </summary>
    public void InUserNamespace(uint hostId = 100000)
    {
        Linux["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "user" });
        Linux["uidMappings"] = new JsonArray(new JsonObject { ["containerID"] = 0, ["hostID"] = hostId, ["size"] = 65536 });
        Linux["gidMappings"] = new JsonArray(new JsonObject { ["containerID"] = 0, ["hostID"] = hostId, ["size"] = 65536 });
        Config["mounts"] = new JsonArray(Config["mounts"]!.AsArray()
            .Where(m => m!["destination"]!.GetValue<string>() is not ("/sys" or "/sys/fs/cgroup"))
            .Select(m => m!.DeepClone()).ToArray());
    }

    /// <summary>A cgroup namespace, which `runcs spec` gives only on a host whose cgroups are all v2 (as runc's does).</summary>
    public void WithCgroupNamespace()
    {
        var namespaces = Linux["namespaces"]!.AsArray();
        if (!namespaces.Any(n => n!["type"]!.GetValue<string>() == "cgroup"))
            namespaces.Add(new JsonObject { ["type"] = "cgroup" });
    }

    public JsonObject Process => Config["process"]!.AsObject();
    public JsonObject Linux => Config["linux"]!.AsObject();

    public void Save() => File.WriteAllText(ConfigPath, Config.ToJsonString());

    public ProcResult Runcs(params string[] args) => RunWith(null, args);

    public ProcResult RunWith(string? stdin, params string[] args) =>
        Integration.Runcs.Exec(Integration.Runcs.Binary, ["--root", StateRoot, .. args], stdin, cwd: Dir);

    /// <summary>`runcs run` of this bundle in the foreground.</summary>
    public ProcResult Run(params string[] extra)
    {
        Save();
        return Runcs(["run", .. extra, "--bundle", Dir, Id]);
    }

    public ProcResult Create(params string[] extra)
    {
        Save();
        return Runcs(["create", .. extra, "--bundle", Dir, Id]);
    }

    public string Status()
    {
        var r = Runcs("state", Id);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        return JsonNode.Parse(r.Stdout)!["status"]!.GetValue<string>();
    }

    public JsonObject State()
    {
        var r = Runcs("state", Id);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        return JsonNode.Parse(r.Stdout)!.AsObject();
    }

    /// <summary>Cgroup directories named after this container anywhere under /sys/fs/cgroup.</summary>
    public IReadOnlyList<string> CgroupDirs() => Find("/sys/fs/cgroup", Id, 6);

    private static List<string> Find(string dir, string name, int depth)
    {
        var found = new List<string>();
        if (depth == 0)
            return found;
        string[] children;
        try
        {
            children = Directory.GetDirectories(dir);
        }
        catch (IOException)
        {
            return found;
        }
        catch (UnauthorizedAccessException)
        {
            return found;
        }
        foreach (var child in children)
        {
            if (Path.GetFileName(child) == name)
                found.Add(child);
            found.AddRange(Find(child, name, depth - 1));
        }
        return found;
    }

    /// <summary>Asserts the container left nothing: no state dir, no cgroup, no init process, no mount of its rootfs.</summary>
    public void AssertNothingLeft(IReadOnlyCollection<int> initsBefore)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists(Path.Combine(StateRoot, Id)), Is.False, "state dir left behind");
            Assert.That(CgroupDirs(), Is.Empty, "cgroup left behind");
            Assert.That(Integration.Runcs.InitProcesses().Except(initsBefore), Is.Empty, "init process left behind");
            Assert.That(File.ReadAllText("/proc/self/mountinfo"), Does.Not.Contain(Dir), "mount left behind");
        });
    }

    public void Dispose()
    {
        if (Directory.Exists(Path.Combine(StateRoot, Id)))
            Runcs("delete", "--force", Id);
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
