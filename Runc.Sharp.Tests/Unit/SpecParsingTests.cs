using NUnit.Framework;
using System.Collections;
using System.Text.Json.Nodes;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Tests.Unit;

public class SpecParsingTests
{
    [Test]
    public void GeneratedConfigsParseAndValidateClean()
    {
        var failures = new List<string>();
        var corpus = ConfigGenerator.Corpus;
        for (int i = 0; i < corpus.Count; i++)
        {
            try
            {
                var errors = SpecValidator.Validate(SpecText.Parse(corpus[i]));
                if (errors.Count > 0)
                    failures.Add($"#{i}: {string.Join("; ", errors)}\n{corpus[i]}");
            }
            catch (Exception e)
            {
                failures.Add($"#{i}: {e.GetType().Name}: {e.Message}\n{corpus[i]}");
            }
        }
        Assert.That(failures, Is.Empty, () => string.Join("\n\n", failures.Take(3)));
        Assert.That(corpus, Has.Count.EqualTo(ConfigGenerator.DefaultCount));
    }

    // A member the model misnames (say "blockIo" for "blockIO") would still round-trip via
    // Extra, so check that every generated member landed in a typed property.
    [Test]
    public void GeneratedConfigsHaveNoUnmodeledMembers()
    {
        var corpus = ConfigGenerator.Corpus;
        for (int i = 0; i < corpus.Count; i++)
        {
            var extras = new List<string>();
            CollectExtras(SpecText.Parse(corpus[i]), "", extras);
            Assert.That(extras, Is.Empty, $"config #{i} has members the model did not map");
        }
    }

    [Test]
    public void GeneratorIsDeterministicAndCoversTheVocabulary()
    {
        Assert.That(ConfigGenerator.Texts(5, 7), Is.EqualTo(ConfigGenerator.Texts(5, 7)));
        Assert.That(ConfigGenerator.Texts(5, 7), Is.Not.EqualTo(ConfigGenerator.Texts(5, 8)));

        var specs = ConfigGenerator.Corpus.Select(SpecText.Parse).ToList();
        var namespaces = specs.SelectMany(s => s.Linux?.Namespaces ?? []).Select(n => n.Type).Distinct();
        Assert.That(namespaces, Is.EquivalentTo(Known.NamespaceTypes));
        foreach (var phase in HookPhases.Names)
            Assert.That(specs.Any(s => HookPhases.Of(s.Hooks, phase).Count > 0), phase);
        Assert.That(specs.Count(s => s.Linux?.TimeOffsets is { Count: > 0 }), Is.GreaterThan(5));
        Assert.That(specs.Count(s => s.Linux?.UidMappings is { Count: > 0 }), Is.GreaterThan(5));
        Assert.That(specs.Count(s => s.Mounts?.Any(m => m.UidMappings is { Count: > 0 }) == true), Is.GreaterThan(5));
        Assert.That(specs.Count(s => s.Hostname is not null), Is.GreaterThan(5));
        Assert.That(specs.Count(s => s.Linux?.Seccomp?.Syscalls?.Any(c => c.Args is { Count: > 0 }) == true), Is.GreaterThan(5));
        Assert.That(specs.Count(s => s.Linux?.Sysctl?.Keys.Any(k => k.StartsWith("net.")) == true), Is.GreaterThan(5));
        var resources = specs.Select(s => s.Linux?.Resources).OfType<Resources>().ToList();
        Assert.That(resources.Count(r => r.Memory is not null), Is.GreaterThan(5));
        Assert.That(resources.Count(r => r.BlockIO?.ThrottleReadBpsDevice is { Count: > 0 }), Is.GreaterThan(2));
        Assert.That(resources.Count(r => r.Rdma is not null), Is.GreaterThan(2));
        Assert.That(resources.Count(r => r.HugepageLimits is { Count: > 0 }), Is.GreaterThan(2));
    }

    [Test]
    public void MapsSpecMemberNamesToTheModel()
    {
        var json = """
        {
          "ociVersion": "1.2.0",
          "root": {"path": "rootfs", "readonly": true},
          "process": {
            "terminal": true, "consoleSize": {"height": 24, "width": 80},
            "user": {"uid": 1000, "gid": 1001, "umask": 18, "additionalGids": [5, 6], "username": "u"},
            "args": ["sh", "-c", "x"], "env": ["A=1"], "cwd": "/w",
            "capabilities": {"bounding": ["CAP_KILL"], "ambient": ["CAP_CHOWN"]},
            "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 18446744073709551615, "soft": 1024}],
            "noNewPrivileges": true, "oomScoreAdj": -999,
            "scheduler": {"policy": "SCHED_DEADLINE", "runtime": 1, "deadline": 2, "period": 3},
            "ioPriority": {"class": "IOPRIO_CLASS_IDLE", "priority": 7},
            "execCPUAffinity": {"initial": "0-1", "final": "1"}
          },
          "linux": {
            "namespaces": [{"type": "user"}, {"type": "time"}],
            "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
            "gidMappings": [{"containerID": 0, "hostID": 200000, "size": 1}],
            "timeOffsets": {"monotonic": {"secs": -5, "nanosecs": 7}},
            "resources": {
              "memory": {"limit": 1048576, "swap": -1, "kernelTCP": 5, "disableOOMKiller": true, "swappiness": 60},
              "cpu": {"shares": 512, "quota": -1, "realtimeRuntime": 9, "cpus": "0-1"},
              "blockIO": {"weight": 500, "throttleReadIOPSDevice": [{"major": 8, "minor": 0, "rate": 100}]},
              "hugepageLimits": [{"pageSize": "2MB", "limit": 4}],
              "network": {"classID": 7, "priorities": [{"name": "eth0", "priority": 3}]},
              "rdma": {"mlx": {"hcaHandles": 1, "hcaObjects": 2}},
              "unified": {"memory.high": "max"}
            },
            "intelRdt": {"closID": "c", "l3CacheSchema": "L3:0=f", "enableMonitoring": true},
            "seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
                        "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_ALLOW",
                                      "args": [{"index": 1, "value": 2, "valueTwo": 3, "op": "SCMP_CMP_MASKED_EQ"}]}]}
          }
        }
        """;
        var s = SpecText.ParseAndValidate(json);
        var p = s.Process!;
        Assert.Multiple(() =>
        {
            Assert.That(s.OciVersion, Is.EqualTo("1.2.0"));
            Assert.That(s.Root!.Readonly, Is.True);
            Assert.That(p.ConsoleSize, Is.EqualTo(new ConsoleSize { Height = 24, Width = 80 }));
            Assert.That((p.User.Uid, p.User.Gid, p.User.Umask, p.User.Username), Is.EqualTo((1000u, 1001u, (uint?)18, "u")));
            Assert.That(p.User.AdditionalGids, Is.EqualTo(new uint[] { 5, 6 }));
            Assert.That(p.Args, Is.EqualTo(new[] { "sh", "-c", "x" }));
            Assert.That(p.Capabilities!.Ambient, Is.EqualTo(new[] { "CAP_CHOWN" }));
            Assert.That(p.Rlimits![0].Hard, Is.EqualTo(ulong.MaxValue));
            Assert.That(p.OomScoreAdj, Is.EqualTo(-999));
            Assert.That(p.Scheduler!.Deadline, Is.EqualTo(2UL));
            Assert.That(p.IoPriority!.Priority, Is.EqualTo(7));
            Assert.That(p.ExecCPUAffinity!.Final, Is.EqualTo("1"));
            var l = s.Linux!;
            Assert.That(l.UidMappings![0], Is.EqualTo(new IdMapping { ContainerID = 0, HostID = 100000, Size = 65536 }));
            Assert.That(l.TimeOffsets!["monotonic"].Secs, Is.EqualTo(-5));
            var r = l.Resources!;
            Assert.That(r.Memory!.Swap, Is.EqualTo(-1));
            Assert.That(r.Memory.KernelTCP, Is.EqualTo(5));
            Assert.That(r.Memory.DisableOOMKiller, Is.True);
            Assert.That(r.Cpu!.RealtimeRuntime, Is.EqualTo(9));
            Assert.That(r.BlockIO!.ThrottleReadIOPSDevice![0].Rate, Is.EqualTo(100UL));
            Assert.That(r.Network!.ClassID, Is.EqualTo(7u));
            Assert.That(r.Rdma!["mlx"].HcaObjects, Is.EqualTo(2u));
            Assert.That(l.IntelRdt!.ClosID, Is.EqualTo("c"));
            Assert.That(l.Seccomp!.DefaultErrnoRet, Is.EqualTo(38u));
            Assert.That(l.Seccomp.Syscalls![0].Args![0].ValueTwo, Is.EqualTo(3UL));
        });
    }

    [Test]
    public void AbsentProcessUserDefaultsToRoot()
    {
        var s = SpecText.ParseAndValidate(SpecText.Minimal().ToJsonString());
        Assert.That((s.Process!.User.Uid, s.Process.User.Gid), Is.EqualTo((0u, 0u)));
    }

    [TestCase("1.0.0", true)]
    [TestCase("1.3.9", true)]
    [TestCase("1.0.2-dev", true)]
    [TestCase("1.3.0-rc.1", true)]
    [TestCase("1.1.0+build", true)]
    [TestCase("1.4.0", false)]
    [TestCase("0.9.0", false)]
    [TestCase("2.0.0", false)]
    [TestCase("1.0", false)]
    [TestCase("v1.0.0", false)]
    [TestCase("1.x.0", false)]
    public void SupportedVersions(string version, bool supported)
    {
        var doc = SpecText.Minimal();
        doc["ociVersion"] = version;
        var errors = SpecValidator.Validate(SpecText.Parse(doc.ToJsonString()));
        Assert.That(errors, supported ? Is.Empty : Has.Count.EqualTo(1));
    }

    private static void CollectExtras(object? node, string path, List<string> found)
    {
        switch (node)
        {
            case null or string:
                return;
            case SpecNode spec:
                if (spec.Extra is { Count: > 0 } extra)
                    found.AddRange(extra.Keys.Select(k => $"{path}.{k}"));
                foreach (var prop in node.GetType().GetProperties())
                {
                    if (prop.Name != nameof(SpecNode.Extra) && prop.GetIndexParameters().Length == 0)
                        CollectExtras(prop.GetValue(node), $"{path}.{prop.Name}", found);
                }
                return;
            case IDictionary dict:
                foreach (DictionaryEntry e in dict)
                    CollectExtras(e.Value, $"{path}.{e.Key}", found);
                return;
            case IEnumerable items:
                int i = 0;
                foreach (var item in items)
                    CollectExtras(item, $"{path}[{i++}]", found);
                return;
        }
    }
}
