using System.Text.Json.Nodes;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Tests.Unit;

/// <summary>
/// Builds random but valid config.json documents from a seed. Every choice respects
/// the validator's cross-field rules (hostname needs uts, mappings need user, ...),
/// so each document must parse and validate clean.
/// </summary>
internal sealed class ConfigGenerator(int seed)
{
    public const int DefaultSeed = 20240601;
    public const int DefaultCount = 300;

    private static readonly Lazy<IReadOnlyList<string>> Cached =
        new(() => Texts(DefaultCount, DefaultSeed).ToList());

    /// <summary>The shared corpus the parsing, round-trip and fuzz tests use.</summary>
    public static IReadOnlyList<string> Corpus => Cached.Value;

    private readonly Random _r = new(seed);

    public static IEnumerable<string> Texts(int count, int seed)
    {
        var g = new ConfigGenerator(seed);
        for (int i = 0; i < count; i++)
            yield return g.Next().ToJsonString();
    }

    private static readonly string[] Versions =
        ["1.0.0", "1.0.1", "1.0.2", "1.0.2-dev", "1.1.0", "1.1.0-rc.1", "1.2.0", "1.2.1", "1.3.0", "1.3.0+dev"];

    private static readonly string[] Words =
        ["sh", "-c", "echo hi", "/bin/true", "sleep", "10", "ls", "-la", "/", "a b c", "üñí", "\"quoted\"", "x=y"];

    private static readonly string[] MountTypes = ["proc", "tmpfs", "bind", "none", "devpts", "sysfs", "mqueue", "cgroup", "overlay"];

    private static readonly string[] DataOptions = ["mode=755", "size=65536k", "uid=0", "gid=5", "newinstance", "ptmxmode=0666", "lowerdir=/a:/b"];

    private static readonly (string Key, string? NeedsNamespace)[] Sysctls =
    [
        ("net.ipv4.ip_forward", "network"), ("net.core.somaxconn", "network"),
        ("kernel.shmmax", "ipc"), ("kernel.msgmax", "ipc"), ("fs.mqueue.msg_max", "ipc"),
        ("kernel.domainname", "uts"), ("kernel.hostname", "uts"),
        ("vm.overcommit_memory", null), ("kernel.pid_max", null),
    ];

    public JsonObject Next()
    {
        var doc = new JsonObject
        {
            ["ociVersion"] = Pick(Versions),
            ["root"] = Root(),
        };
        var namespaces = Namespaces();
        var types = namespaces.Select(n => n.Type).ToHashSet();
        doc["process"] = Process();
        if (Chance(0.7))
            doc["mounts"] = Mounts();
        if (Chance(0.5))
            doc["hooks"] = Hooks();
        if (Chance(0.5))
            doc["annotations"] = Map(_r.Next(0, 5), i => $"org.example.key{i}", _ => Str(Pick(Words)));
        if (types.Contains("uts"))
        {
            if (Chance(0.7))
                doc["hostname"] = $"host-{_r.Next(1000)}";
            if (Chance(0.3))
                doc["domainname"] = "example.org";
        }
        doc["linux"] = Linux(namespaces, types);
        return doc;
    }

    private JsonObject Root()
    {
        var root = new JsonObject { ["path"] = Pick(["rootfs", "/var/lib/bundle/rootfs", "rootfs/../rootfs"]) };
        if (Chance(0.5))
            root["readonly"] = Chance(0.5);
        return root;
    }

    private JsonObject Process()
    {
        bool terminal = Chance(0.4);
        var p = new JsonObject
        {
            ["terminal"] = terminal,
            ["user"] = User(),
            ["args"] = JArr(_r.Next(1, 5), _ => Str(Pick(Words))),
            ["cwd"] = Pick(["/", "/root", "/tmp/work dir", "/a/b/../c"]),
        };
        if (terminal && Chance(0.5))
            p["consoleSize"] = new JsonObject { ["height"] = (uint)_r.Next(1, 200), ["width"] = (uint)_r.Next(1, 400) };
        if (Chance(0.8))
            p["env"] = JArr(_r.Next(0, 6), i => Str(Pick([$"KEY{i}=value", $"K_{i}=", $"PATH{i}=/usr/bin:/bin", $"EQ{i}=a=b"])));
        if (Chance(0.6))
            p["capabilities"] = Capabilities();
        if (Chance(0.6))
            p["rlimits"] = Rlimits();
        if (Chance(0.5))
            p["noNewPrivileges"] = Chance(0.5);
        if (Chance(0.2))
            p["apparmorProfile"] = "runcs-default";
        if (Chance(0.2))
            p["selinuxLabel"] = "system_u:system_r:container_t:s0";
        if (Chance(0.5))
            p["oomScoreAdj"] = _r.Next(-1000, 1001);
        if (Chance(0.3))
            p["ioPriority"] = new JsonObject { ["class"] = Pick(Known.IoPriorityClasses), ["priority"] = _r.Next(0, 8) };
        if (Chance(0.3))
            p["scheduler"] = Scheduler();
        if (Chance(0.2))
            p["execCPUAffinity"] = new JsonObject { ["initial"] = "0-3", ["final"] = Pick(["1", "0,2"]) };
        return p;
    }

    private JsonObject User()
    {
        var u = new JsonObject { ["uid"] = Id(), ["gid"] = Id() };
        if (Chance(0.4))
            u["umask"] = (uint)_r.Next(0, 512);
        if (Chance(0.4))
            u["additionalGids"] = JArr(_r.Next(0, 4), _ => Id());
        if (Chance(0.2))
            u["username"] = "nobody";
        return u;
    }

    private JsonObject Capabilities()
    {
        var caps = new JsonObject();
        foreach (var set in new[] { "bounding", "effective", "inheritable", "permitted", "ambient" })
        {
            if (Chance(0.6))
                caps[set] = JArr(Subset(Known.Capabilities), Str);
        }
        return caps;
    }

    private JsonArray Rlimits()
    {
        var result = new JsonArray();
        foreach (var type in Subset(Known.Rlimits))
        {
            ulong hard = Chance(0.2) ? ulong.MaxValue : (ulong)_r.NextInt64(0, long.MaxValue);
            ulong soft = Chance(0.3) ? hard : (ulong)_r.NextInt64(0, (long)Math.Min(hard, long.MaxValue - 1) + 1);
            result.Add(new JsonObject { ["type"] = type, ["hard"] = hard, ["soft"] = soft });
        }
        return result;
    }

    private JsonObject Scheduler()
    {
        var s = new JsonObject { ["policy"] = Pick(Known.SchedulerPolicies) };
        if (Chance(0.5)) s["nice"] = _r.Next(-20, 20);
        if (Chance(0.5)) s["priority"] = _r.Next(0, 100);
        if (Chance(0.3)) s["flags"] = JArr(Subset(["SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM"]), Str);
        if (Chance(0.3))
        {
            s["runtime"] = (ulong)_r.Next(1, 1_000_000);
            s["deadline"] = (ulong)_r.Next(1_000_000, 2_000_000);
            s["period"] = (ulong)_r.Next(2_000_000, 3_000_000);
        }
        return s;
    }

    private JsonArray Mounts()
    {
        var mounts = new JsonArray();
        int n = _r.Next(0, 7);
        for (int i = 0; i < n; i++)
        {
            var m = new JsonObject { ["destination"] = AbsPath() };
            string? type = Chance(0.9) ? Pick(MountTypes) : null;
            if (type is not null)
                m["type"] = type;
            if (Chance(0.8))
                m["source"] = Pick(["proc", "tmpfs", "/host/data", "shm", "none"]);
            var options = Subset(MountOptions.KnownNames.ToArray(), 6).Concat(Subset(DataOptions, 2)).ToList();
            bool idmapped = Chance(0.15);
            if (idmapped && type != "bind" && !options.Contains("bind") && !options.Contains("rbind"))
                options.Add(Pick(["bind", "rbind"]));
            if (options.Count > 0 || Chance(0.3))
                m["options"] = JArr(options.Count, j => Str(options[j]));
            if (idmapped)
            {
                m["uidMappings"] = Mappings();
                m["gidMappings"] = Mappings();
            }
            mounts.Add(m);
        }
        return mounts;
    }

    private JsonObject Hooks()
    {
        var hooks = new JsonObject();
        foreach (var phase in HookPhases.Names)
        {
            if (!Chance(0.4))
                continue;
            hooks[phase] = JArr(_r.Next(0, 3), _ =>
            {
                var h = new JsonObject { ["path"] = Pick(["/usr/bin/hook", "/bin/true", "/opt/hooks/x y"]) };
                if (Chance(0.5)) h["args"] = JArr(_r.Next(0, 3), _ => Str(Pick(Words)));
                if (Chance(0.5)) h["env"] = JArr(_r.Next(0, 3), i => Str($"HOOK{i}=1"));
                if (Chance(0.5)) h["timeout"] = _r.Next(1, 121);
                return h;
            });
        }
        return hooks;
    }

    private List<(string Type, string? Path)> Namespaces()
    {
        var list = new List<(string, string?)>();
        foreach (var type in Subset(Known.NamespaceTypes))
            list.Add((type, Chance(0.15) ? $"/proc/1/ns/{type}" : null));
        return list;
    }

    private JsonObject Linux(List<(string Type, string? Path)> namespaces, HashSet<string> types)
    {
        var linux = new JsonObject
        {
            ["namespaces"] = JArr(namespaces.Count, i =>
            {
                var ns = new JsonObject { ["type"] = namespaces[i].Type };
                if (namespaces[i].Path is { } path)
                    ns["path"] = path;
                return ns;
            }),
        };
        bool privateUser = namespaces.Any(n => n is { Type: "user", Path: null });
        if (privateUser || types.Contains("user") && Chance(0.5))
        {
            linux["uidMappings"] = Mappings();
            linux["gidMappings"] = Mappings();
        }
        if (namespaces.Any(n => n is { Type: "time", Path: null }) && Chance(0.7))
        {
            linux["timeOffsets"] = Map(_r.Next(1, 3), i => Known.TimeOffsetClocks[i], _ => new JsonObject
            {
                ["secs"] = _r.NextInt64(-1_000_000, 1_000_000),
                ["nanosecs"] = (uint)_r.Next(0, 1_000_000_000),
            });
        }
        if (Chance(0.5))
            linux["devices"] = JArr(_r.Next(0, 4), _ => Device());
        if (Chance(0.2) && linux["namespaces"]?.AsArray().Any(n => n?["type"]?.GetValue<string>() == "network") == true)
            linux["netDevices"] = new JsonObject { ["eth1"] = new JsonObject { ["name"] = "ceth1" } };
        if (Chance(0.5))
            linux["cgroupsPath"] = Pick(["/runcs/ctr", "nested/ctr", "/a/./b"]);
        if (Chance(0.7))
            linux["resources"] = Resources();
        if (Chance(0.2))
            linux["intelRdt"] = new JsonObject
            {
                ["closID"] = "clos1",
                ["l3CacheSchema"] = "L3:0=ff",
                ["memBwSchema"] = "MB:0=50",
                ["schemata"] = new JsonArray("L2:0=f"),
                ["enableMonitoring"] = Chance(0.5),
            };
        var sysctl = Sysctls.Where(s => s.NeedsNamespace is null || types.Contains(s.NeedsNamespace)).ToArray();
        if (sysctl.Length > 0 && Chance(0.5))
        {
            var chosen = Subset(sysctl.Select(s => s.Key).ToArray());
            linux["sysctl"] = Map(chosen.Length, i => chosen[i], _ => Str(_r.Next(0, 100000).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (Chance(0.4))
            linux["seccomp"] = Seccomp();
        if (Chance(0.5))
            linux["rootfsPropagation"] = Pick(Known.RootfsPropagations);
        if (Chance(0.5))
            linux["maskedPaths"] = JArr(_r.Next(0, 4), _ => Str(AbsPath()));
        if (Chance(0.5))
            linux["readonlyPaths"] = JArr(_r.Next(0, 4), _ => Str(AbsPath()));
        if (Chance(0.2))
            linux["mountLabel"] = "system_u:object_r:container_file_t:s0";
        if (Chance(0.2))
            linux["personality"] = new JsonObject { ["domain"] = Pick(Known.PersonalityDomains), ["flags"] = new JsonArray() };
        if (Chance(0.2))
        {
            var mode = Pick(Known.MemoryPolicyModes);
            linux["memoryPolicy"] = new JsonObject
            {
                ["mode"] = mode,
                // MPOL_DEFAULT and MPOL_LOCAL take no nodes (runc's rule).
                ["nodes"] = mode is "MPOL_DEFAULT" or "MPOL_LOCAL" ? "" : Pick(["0", "0-1", "0,2"]),
                ["flags"] = JArr(Subset(Known.MemoryPolicyFlags), Str),
            };
        }
        return linux;
    }

    private JsonObject Device()
    {
        var type = Pick(Known.DeviceTypes);
        var d = new JsonObject
        {
            ["type"] = type,
            ["path"] = "/dev/" + Pick(["null", "zero", "fuse", "net/tun", "sda1", "fifo"]),
        };
        if (type != "p" || Chance(0.5))
        {
            d["major"] = (long)_r.Next(0, 300);
            d["minor"] = (long)_r.Next(0, 300);
        }
        if (Chance(0.5)) d["fileMode"] = (uint)_r.Next(0, 512);
        if (Chance(0.5)) d["uid"] = Id();
        if (Chance(0.5)) d["gid"] = Id();
        return d;
    }

    private JsonObject Resources()
    {
        var r = new JsonObject();
        if (Chance(0.5))
            r["devices"] = JArr(_r.Next(0, 4), _ =>
            {
                var rule = new JsonObject { ["allow"] = Chance(0.5) };
                if (Chance(0.7)) rule["type"] = Pick(["a", "c", "b"]);
                if (Chance(0.5)) rule["major"] = (long)_r.Next(0, 300);
                if (Chance(0.5)) rule["minor"] = (long)_r.Next(0, 300);
                if (Chance(0.8)) rule["access"] = Pick(["r", "w", "m", "rw", "rwm", "mr", ""]);
                return rule;
            });
        if (Chance(0.5))
        {
            var m = new JsonObject();
            if (Chance(0.7)) m["limit"] = _r.NextInt64(4096, 1L << 40);
            if (Chance(0.4)) m["reservation"] = _r.NextInt64(4096, 1L << 30);
            if (Chance(0.4)) m["swap"] = Chance(0.3) ? -1L : _r.NextInt64(4096, 1L << 40);
            if (Chance(0.2)) m["kernel"] = _r.NextInt64(0, 1L << 30);
            if (Chance(0.2)) m["kernelTCP"] = _r.NextInt64(0, 1L << 30);
            if (Chance(0.4)) m["swappiness"] = (ulong)_r.Next(0, 101);
            if (Chance(0.3)) m["disableOOMKiller"] = Chance(0.5);
            if (Chance(0.2)) m["useHierarchy"] = Chance(0.5);
            if (Chance(0.2)) m["checkBeforeUpdate"] = Chance(0.5);
            r["memory"] = m;
        }
        if (Chance(0.5))
        {
            var c = new JsonObject();
            if (Chance(0.5)) c["shares"] = (ulong)_r.Next(2, 262145);
            if (Chance(0.5)) c["quota"] = Chance(0.2) ? -1L : _r.NextInt64(1000, 1_000_000);
            if (Chance(0.3)) c["burst"] = (ulong)_r.Next(0, 1_000_000);
            if (Chance(0.5)) c["period"] = (ulong)_r.Next(1000, 1_000_000);
            if (Chance(0.2)) c["realtimeRuntime"] = _r.NextInt64(0, 1_000_000);
            if (Chance(0.2)) c["realtimePeriod"] = (ulong)_r.Next(0, 1_000_000);
            if (Chance(0.4)) c["cpus"] = Pick(["0", "0-1", "0,1"]);
            if (Chance(0.3)) c["mems"] = "0";
            if (Chance(0.2)) c["idle"] = (long)_r.Next(0, 2);
            r["cpu"] = c;
        }
        if (Chance(0.4))
            r["pids"] = new JsonObject { ["limit"] = Chance(0.2) ? -1L : _r.NextInt64(1, 100_000) };
        if (Chance(0.3))
            r["blockIO"] = BlockIo();
        if (Chance(0.3))
            r["hugepageLimits"] = JArr(_r.Next(0, 3), i => new JsonObject
            {
                ["pageSize"] = i == 0 ? "2MB" : "1GB",
                ["limit"] = (ulong)_r.NextInt64(0, long.MaxValue),
            });
        if (Chance(0.3))
            r["network"] = new JsonObject
            {
                ["classID"] = (uint)_r.Next(0, int.MaxValue),
                ["priorities"] = JArr(_r.Next(0, 3), i => new JsonObject { ["name"] = $"eth{i}", ["priority"] = (uint)_r.Next(0, 1000) }),
            };
        if (Chance(0.2))
            r["rdma"] = new JsonObject { ["mlx5_1"] = new JsonObject { ["hcaHandles"] = 3u, ["hcaObjects"] = 10000u } };
        if (Chance(0.3))
            r["unified"] = Map(_r.Next(0, 3), i => new[] { "memory.high", "io.max", "cpu.weight" }[i], _ => Str(Pick(["max", "100", "8:0 rbps=1048576"])));
        return r;
    }

    private JsonObject BlockIo()
    {
        JsonArray Throttle() => JArr(_r.Next(0, 3), _ => new JsonObject
        {
            ["major"] = (long)_r.Next(0, 300),
            ["minor"] = (long)_r.Next(0, 300),
            ["rate"] = (ulong)_r.NextInt64(0, long.MaxValue),
        });
        var b = new JsonObject();
        if (Chance(0.5)) b["weight"] = (ushort)_r.Next(10, 1001);
        if (Chance(0.3)) b["leafWeight"] = (ushort)_r.Next(10, 1001);
        if (Chance(0.4))
            b["weightDevice"] = JArr(_r.Next(0, 3), _ => new JsonObject
            {
                ["major"] = (long)_r.Next(0, 300),
                ["minor"] = (long)_r.Next(0, 300),
                ["weight"] = (ushort)_r.Next(10, 1001),
            });
        if (Chance(0.4)) b["throttleReadBpsDevice"] = Throttle();
        if (Chance(0.3)) b["throttleWriteBpsDevice"] = Throttle();
        if (Chance(0.3)) b["throttleReadIOPSDevice"] = Throttle();
        if (Chance(0.3)) b["throttleWriteIOPSDevice"] = Throttle();
        return b;
    }

    private JsonObject Seccomp()
    {
        // Valid configs only: runc refuses NOTIFY as the default action and on write.
        var s = new JsonObject { ["defaultAction"] = Pick(Known.SeccompActions.Where(a => a != "SCMP_ACT_NOTIFY").ToArray()) };
        if (Chance(0.3)) s["defaultErrnoRet"] = (uint)_r.Next(1, 134);
        if (Chance(0.6)) s["architectures"] = JArr(Subset(Known.SeccompArchitectures, 4), Str);
        if (Chance(0.3)) s["flags"] = JArr(Subset(Known.SeccompFlags), Str);
        var syscalls = JArr(_r.Next(0, 5), _ =>
        {
            var action = Pick(Known.SeccompActions);
            string[] names = action == "SCMP_ACT_NOTIFY"
                ? ["read", "openat", "clone3", "mount", "ptrace"]
                : ["read", "write", "openat", "clone3", "mount", "ptrace"];
            var call = new JsonObject
            {
                ["names"] = JArr(_r.Next(1, 4), _ => Str(Pick(names))),
                ["action"] = action,
            };
            if (Chance(0.3)) call["errnoRet"] = (uint)_r.Next(1, 134);
            if (Chance(0.4))
                call["args"] = JArr(_r.Next(0, 3), _ => new JsonObject
                {
                    ["index"] = (uint)_r.Next(0, 6),
                    ["value"] = (ulong)_r.NextInt64(0, long.MaxValue),
                    ["valueTwo"] = (ulong)_r.Next(0, 100),
                    ["op"] = Pick(Known.SeccompOperators),
                });
            return call;
        });
        s["syscalls"] = syscalls;
        bool notify = s["defaultAction"]!.GetValue<string>() == "SCMP_ACT_NOTIFY"
            || syscalls.Any(c => c!["action"]!.GetValue<string>() == "SCMP_ACT_NOTIFY");
        if (notify || Chance(0.2))
        {
            s["listenerPath"] = "/run/seccomp-agent.sock";
            if (Chance(0.5)) s["listenerMetadata"] = "meta";
        }
        return s;
    }

    private JsonArray Mappings() => JArr(_r.Next(1, 4), i => new JsonObject
    {
        ["containerID"] = (uint)(i * 65536),
        ["hostID"] = (uint)_r.Next(100000, 1 << 30),
        ["size"] = (uint)_r.Next(1, 65537),
    });

    private string AbsPath() =>
        "/" + string.Join('/', Enumerable.Range(0, _r.Next(1, 4)).Select(_ => Pick(["proc", "sys", "data", "dev", "x y", "é", "a.b", "..", "."])));

    private uint Id() => Chance(0.1) ? uint.MaxValue - 1 : (uint)_r.Next(0, 70000);

    private bool Chance(double p) => _r.NextDouble() < p;

    private T Pick<T>(IReadOnlyList<T> items) => items[_r.Next(items.Count)];

    /// <summary>A random, shuffled, duplicate-free subset of at most <paramref name="max"/> items.</summary>
    private T[] Subset<T>(T[] items, int max = int.MaxValue)
    {
        var copy = (T[])items.Clone();
        _r.Shuffle(copy);
        return copy[..Math.Min(_r.Next(0, copy.Length + 1), max)];
    }

    private static JsonNode Str(string s) => JsonValue.Create(s);

    private static JsonArray JArr<T>(IReadOnlyList<T> items, Func<T, JsonNode?> make) =>
        new([.. items.Select(make)]);

    private static JsonArray JArr(int count, Func<int, JsonNode?> make) =>
        new([.. Enumerable.Range(0, count).Select(make)]);

    private static JsonObject Map(int count, Func<int, string> key, Func<int, JsonNode?> value)
    {
        var o = new JsonObject();
        for (int i = 0; i < count; i++)
            o[key(i)] = value(i);
        return o;
    }
}
