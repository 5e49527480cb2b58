using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Tests.Unit;

public class RoundTripTests
{
    internal const string WithUnknownMembers = """
    {
      "ociVersion": "1.3.0",
      "root": {"path": "rootfs"},
      "process": {
        "args": ["sh"], "cwd": "/",
        "x-process": {"list": [1, "two", 3.5, true, null], "big": 1e400},
        "user": {"uid": 0, "gid": 0, "x-user": "kept"}
      },
      "windows": {"layerFolders": ["C:\\layers\\1"], "resources": {"memory": {"limit": 1024}}},
      "vm": {"hypervisor": {"path": "/usr/bin/qemu", "parameters": ["-m", "512"]}, "kernel": {"path": "/boot/vmlinuz"}},
      "x-custom": {"nested": {"deep": [{"a": 1}, [], {}]}, "unicode": "é\u0000\"\\"},
      "mounts": [{"destination": "/proc", "type": "proc", "source": "proc", "x-mount": {"why": "future"}}],
      "hooks": {
        "prestart": [{"path": "/bin/true", "x-hook": [1, 2, 3]}],
        "x-phase": [{"path": "/bin/false"}]
      },
      "linux": {
        "namespaces": [{"type": "pid", "x-ns": 0}],
        "x-linux": 42,
        "resources": {"memory": {"limit": 1048576, "x-memory": "keep me"}, "x-resources": false},
        "seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "x-seccomp": {"k": "v"}}
      }
    }
    """;

    [Test]
    public void UnknownMembersSurviveSerialization()
    {
        var original = JsonNode.Parse(WithUnknownMembers)!;
        var spec = SpecText.ParseAndValidate(WithUnknownMembers);
        var written = JsonNode.Parse(SpecText.Serialize(spec))!;

        string[][] paths =
        [
            ["windows"], ["vm"], ["x-custom"],
            ["process", "x-process"], ["process", "user", "x-user"],
            ["mounts", "0", "x-mount"],
            ["hooks", "prestart", "0", "x-hook"], ["hooks", "x-phase"],
            ["linux", "x-linux"], ["linux", "namespaces", "0", "x-ns"],
            ["linux", "resources", "x-resources"], ["linux", "resources", "memory", "x-memory"],
            ["linux", "seccomp", "x-seccomp"],
        ];
        Assert.Multiple(() =>
        {
            foreach (var path in paths)
            {
                var expected = At(original, path);
                var actual = At(written, path);
                Assert.That(expected, Is.Not.Null, string.Join('.', path));
                Assert.That(JsonNode.DeepEquals(expected, actual), Is.True,
                    $"{string.Join('.', path)}: wrote {actual?.ToJsonString() ?? "nothing"}, read {expected!.ToJsonString()}");
            }
        });
        // The modeled members around them are intact too.
        Assert.That(At(written, ["linux", "resources", "memory", "limit"])!.GetValue<long>(), Is.EqualTo(1048576));
        Assert.That(At(written, ["mounts", "0", "destination"])!.GetValue<string>(), Is.EqualTo("/proc"));
        Assert.That(spec.Extra!.Keys, Is.EquivalentTo(new[] { "windows", "vm", "x-custom" }));
    }

    [Test]
    public void UnknownMembersSurviveARecordCopy()
    {
        var spec = SpecText.Parse(WithUnknownMembers);
        var copy = spec with { Hostname = null, Process = spec.Process! with { Cwd = "/tmp" } };
        var written = JsonNode.Parse(SpecText.Serialize(copy))!;
        Assert.That(written["process"]!["cwd"]!.GetValue<string>(), Is.EqualTo("/tmp"));
        Assert.That(written["process"]!["x-process"], Is.Not.Null);
        Assert.That(written["vm"], Is.Not.Null);
    }

    [Test]
    public void GeneratedConfigsReachAFixedPointAfterOneRoundTrip()
    {
        var corpus = ConfigGenerator.Corpus;
        for (int i = 0; i < corpus.Count; i++)
        {
            var first = SpecText.Serialize(SpecText.Parse(corpus[i]));
            var second = SpecText.Serialize(SpecText.Parse(first));
            Assert.That(second, Is.EqualTo(first), $"config #{i}");
        }
    }

    // Serializing may add defaults (terminal: false, user: {uid: 0, ...}) but must keep
    // every member and value that was read.
    [Test]
    public void GeneratedConfigsKeepEveryMemberTheyWereGiven()
    {
        var corpus = ConfigGenerator.Corpus;
        for (int i = 0; i < corpus.Count; i++)
        {
            var written = JsonNode.Parse(SpecText.Serialize(SpecText.Parse(corpus[i])));
            var missing = new List<string>();
            Contained(JsonNode.Parse(corpus[i]), written, "$", missing);
            Assert.That(missing, Is.Empty, $"config #{i}");
        }
    }

    [Test]
    public void TabbedOutputIsIndentedWithTabsAndParsesBack()
    {
        var spec = DefaultSpec.Example();
        var text = JsonSerializer.Serialize(spec, SpecJson.Tabbed.RuntimeSpec);
        Assert.That(text, Does.StartWith("{\n\t\"ociVersion\": \"1.3.0\","));
        Assert.That(text, Does.Not.Contain("  "));
        Assert.That(SpecText.Serialize(SpecText.Parse(text)), Is.EqualTo(SpecText.Serialize(spec)));
    }

    private static JsonNode? At(JsonNode? node, string[] path)
    {
        foreach (var part in path)
        {
            node = node switch
            {
                JsonObject o => o[part],
                JsonArray a => a[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)],
                _ => null,
            };
        }
        return node;
    }

    private static void Contained(JsonNode? expected, JsonNode? actual, string path, List<string> missing)
    {
        switch (expected)
        {
            case JsonObject eo when actual is JsonObject ao:
                foreach (var (key, value) in eo)
                {
                    if (!ao.ContainsKey(key) && value is not null)
                        missing.Add($"{path}.{key}");
                    else
                        Contained(value, ao[key], $"{path}.{key}", missing);
                }
                return;
            case JsonArray ea when actual is JsonArray aa && ea.Count == aa.Count:
                for (int i = 0; i < ea.Count; i++)
                    Contained(ea[i], aa[i], $"{path}[{i}]", missing);
                return;
            default:
                if (!JsonNode.DeepEquals(expected, actual))
                    missing.Add($"{path}: {expected?.ToJsonString()} became {actual?.ToJsonString()}");
                return;
        }
    }
}
