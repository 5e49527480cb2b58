using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Tests.Unit;

/// <summary>Whatever the document, reading and validating it fails only with a ConfigError naming the place.</summary>
public class MalformedConfigTests
{
    private const string V = "\"ociVersion\":\"1.0.0\"";
    private const string Args = "\"args\":[\"sh\"]";

    [TestCase("{" + V + ",\"process\":{\"args\":\"sh\"}}", "process.args")]
    [TestCase("{" + V + ",\"process\":{\"args\":[1]}}", "process.args[0]")]
    [TestCase("{" + V + ",\"linux\":{\"namespaces\":[{\"type\":7}]}}", "linux.namespaces[0].type")]
    [TestCase("{" + V + ",\"process\":{" + Args + ",\"user\":{\"uid\":-1}}}", "process.user.uid")]
    [TestCase("{" + V + ",\"process\":{" + Args + ",\"user\":{\"uid\":\"0\"}}}", "process.user.uid")]
    [TestCase("{" + V + ",\"process\":{" + Args + ",\"user\":{\"gid\":4294967296}}}", "process.user.gid")]
    [TestCase("{" + V + ",\"process\":{" + Args + ",\"user\":{\"additionalGids\":[1.5]}}}", "process.user.additionalGids[0]")]
    [TestCase("{" + V + ",\"root\":\"rootfs\"}", "root")]
    [TestCase("{" + V + ",\"root\":{\"path\":\"r\",\"readonly\":\"true\"}}", "root.readonly")]
    [TestCase("{" + V + ",\"mounts\":{}}", "mounts")]
    [TestCase("{" + V + ",\"mounts\":[{\"destination\":5}]}", "mounts[0].destination")]
    [TestCase("{" + V + ",\"mounts\":[{\"options\":\"ro\"}]}", "mounts[0].options")]
    [TestCase("{" + V + ",\"process\":{\"terminal\":\"yes\"}}", "process.terminal")]
    [TestCase("{" + V + ",\"process\":{\"env\":{\"A\":\"B\"}}}", "process.env")]
    [TestCase("{" + V + ",\"process\":{\"oomScoreAdj\":99999999999}}", "process.oomScoreAdj")]
    [TestCase("{" + V + ",\"process\":{\"oomScoreAdj\":\"5\"}}", "process.oomScoreAdj")]
    [TestCase("{" + V + ",\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":-1}]}}", "process.rlimits[0].hard")]
    [TestCase("{" + V + ",\"process\":{\"capabilities\":{\"bounding\":\"CAP_KILL\"}}}", "process.capabilities.bounding")]
    [TestCase("{" + V + ",\"process\":{\"consoleSize\":{\"height\":-1}}}", "process.consoleSize.height")]
    [TestCase("{\"ociVersion\":1}", "ociVersion")]
    [TestCase("{" + V + ",\"hostname\":[]}", "hostname")]
    [TestCase("{" + V + ",\"annotations\":[]}", "annotations")]
    [TestCase("{" + V + ",\"annotations\":{\"a\":1}}", "annotations.a")]
    [TestCase("{" + V + ",\"hooks\":{\"prestart\":[{\"path\":\"/x\",\"timeout\":\"5\"}]}}", "hooks.prestart[0].timeout")]
    [TestCase("{" + V + ",\"hooks\":{\"poststop\":{}}}", "hooks.poststop")]
    [TestCase("{" + V + ",\"linux\":[]}", "linux")]
    [TestCase("{" + V + ",\"linux\":{\"uidMappings\":[{\"size\":1.5}]}}", "linux.uidMappings[0].size")]
    [TestCase("{" + V + ",\"linux\":{\"devices\":[{\"major\":\"8\"}]}}", "linux.devices[0].major")]
    [TestCase("{" + V + ",\"linux\":{\"resources\":{\"memory\":{\"limit\":\"1G\"}}}}", "linux.resources.memory.limit")]
    [TestCase("{" + V + ",\"linux\":{\"resources\":{\"memory\":{\"disableOOMKiller\":1}}}}", "linux.resources.memory.disableOOMKiller")]
    [TestCase("{" + V + ",\"linux\":{\"resources\":{\"blockIO\":{\"weight\":70000}}}}", "linux.resources.blockIO.weight")]
    [TestCase("{" + V + ",\"linux\":{\"resources\":{\"cpu\":{\"cpus\":0}}}}", "linux.resources.cpu.cpus")]
    [TestCase("{" + V + ",\"linux\":{\"sysctl\":{\"vm.x\":1}}}", "linux.sysctl['vm.x']")]
    [TestCase("{" + V + ",\"linux\":{\"timeOffsets\":{\"monotonic\":{\"secs\":\"x\"}}}}", "linux.timeOffsets.monotonic.secs")]
    [TestCase("{" + V + ",\"linux\":{\"seccomp\":{\"syscalls\":[{\"args\":[{\"value\":-1}]}]}}}", "linux.seccomp.syscalls[0].args[0].value")]
    [TestCase("{" + V + ",\"linux\":{\"maskedPaths\":\"/proc\"}}", "linux.maskedPaths")]
    public void WrongTypeNamesThePath(string json, string path)
    {
        var e = Assert.Throws<ConfigError>(() => SpecText.ParseAndValidate(json))!;
        Assert.That(e.Message, Does.StartWith($"config.json: {path}: wrong type"));
        Assert.That(e.Message, Does.Contain("(line 1, column "));
    }

    // The serializer's message names the declaring record for a bad member ("could not be
    // converted to Runc.Sharp.Spec.User" for user.uid), so the expected kind must come from
    // the member, not from that text.
    [TestCase("{\"process\":{\"args\":\"sh\"}}", "an array")]
    [TestCase("{\"linux\":{\"namespaces\":[{\"type\":7}]}}", "a string")]
    [TestCase("{\"process\":{\"user\":{\"uid\":-1}}}", "an integer")]
    [TestCase("{\"process\":{\"terminal\":\"yes\"}}", "a boolean")]
    [TestCase("{\"root\":\"rootfs\"}", "an object")]
    public void WrongTypeNamesTheExpectedKind(string json, string kind)
    {
        var e = Assert.Throws<ConfigError>(() => SpecText.Parse(json))!;
        Assert.That(e.Message, Does.Contain($"wrong type, expected {kind} "));
    }

    [TestCase("{\"ociVersion\":\"1.0.0\",\"process\":{\"args\":[\"sh\"")]
    [TestCase("{\"ociVersion\":\"1.0.0\",")]
    [TestCase("{\"ociVersion\":\"1.0.0\",}")]
    [TestCase("{\"ociVersion\":\"1.0.0\",\"mounts\":[{\"destination\":\"/x\"},]}")]
    [TestCase("{\"ociVersion\":\"1.0.0\" /* comment */}")]
    [TestCase("// comment\n{\"ociVersion\":\"1.0.0\"}")]
    [TestCase("{'ociVersion':'1.0.0'}")]
    [TestCase("{ociVersion:\"1.0.0\"}")]
    [TestCase("{\"ociVersion\" \"1.0.0\"}")]
    [TestCase("{\"ociVersion\":\"1.0.0\"}}")]
    [TestCase("{\"ociVersion\":\"1.0.0\"} {}")]
    [TestCase("{\"process\":{\"args\":[\"sh\" \"x\"]}}")]
    [TestCase("{\"process\":{\"oomScoreAdj\":01}}")]
    [TestCase("{\"hostname\":\"a\nb\"}")]
    [TestCase("")]
    [TestCase("   ")]
    public void SyntaxErrorNamesLineAndColumn(string json)
    {
        var e = Assert.Throws<ConfigError>(() => SpecText.ParseAndValidate(json))!;
        Assert.That(e.Message, Does.StartWith("config.json: "));
        Assert.That(e.Message, Does.Contain("line ").And.Contain("column "));
    }

    [Test]
    public void SyntaxErrorReportsTheLineItIsOn()
    {
        var json = "{\n  \"ociVersion\": \"1.0.0\",\n  \"process\": {\n    \"args\": [\"sh\"]\n  },\n  \"root\" {}\n}";
        var e = Assert.Throws<ConfigError>(() => SpecText.Parse(json))!;
        Assert.That(e.Message, Does.StartWith("config.json: invalid JSON (line 6, column 10): "));
    }

    // A syntax error inside an array or object is still a syntax error: it must not be
    // reported as a problem of a member (process.args[1] does not exist) with the
    // serializer's advice to "change the reader options".
    [TestCase("{\n  \"process\": {\n    \"args\": [\"sh\",]\n  }\n}", 3)]
    [TestCase("{\"process\":{\"args\":[\"sh\"", 1)]
    public void SyntaxErrorInsideAMemberIsInvalidJson(string json, int line)
    {
        var e = Assert.Throws<ConfigError>(() => SpecText.Parse(json))!;
        Assert.That(e.Message, Does.StartWith($"config.json: invalid JSON (line {line}, column "));
        Assert.That(e.Message, Does.Not.Contain("reader options"));
    }

    [TestCase("null", "must be a JSON object")]
    [TestCase("[]", "config.json: ")]
    [TestCase("\"config\"", "config.json: ")]
    [TestCase("42", "config.json: ")]
    [TestCase("true", "config.json: ")]
    public void NonObjectDocumentIsAConfigError(string json, string expected)
    {
        var e = Assert.Throws<ConfigError>(() => SpecText.Parse(json))!;
        Assert.That(e.Message, Does.Contain(expected));
    }

    // A null where the spec wants an object is a type problem at that path, like any other.
    [TestCase("""{"mounts":[null]}""", "mounts[0]")]
    [TestCase("""{"process":{"args":["sh"],"rlimits":[null]}}""", "process.rlimits[0]")]
    [TestCase("""{"linux":{"namespaces":[null]}}""", "linux.namespaces[0]")]
    [TestCase("""{"hooks":{"prestart":[null]}}""", "hooks.prestart[0]")]
    [TestCase("""{"linux":{"devices":[null]}}""", "linux.devices[0]")]
    [TestCase("""{"linux":{"resources":{"devices":[null]}}}""", "linux.resources.devices[0]")]
    [TestCase("""{"linux":{"seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[null]}}}""", "linux.seccomp.syscalls[0]")]
    [TestCase("""{"linux":{"seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[null]}]}}}""", "linux.seccomp.syscalls[0].args[0]")]
    [TestCase("""{"linux":{"namespaces":[{"type":"time"}],"timeOffsets":{"monotonic":null}}}""", "linux.timeOffsets.monotonic")]
    [TestCase("""{"mounts":[{"destination":"/m","type":"bind","options":[null],"uidMappings":[{"containerID":0,"hostID":1,"size":1}],"gidMappings":[{"containerID":0,"hostID":1,"size":1}]}]}""", "mounts[0].options[0]")]
    public void NullElementIsAConfigError(string fragment, string path)
    {
        var doc = Merge(SpecText.Minimal(), JsonNode.Parse(fragment)!.AsObject());
        var e = Assert.Throws<ConfigError>(() => SpecText.ParseAndValidate(doc.ToJsonString()))!;
        Assert.That(e.Message, Does.StartWith($"config.json: {path}"));
    }

    [Test]
    public void MutatedConfigsFailOnlyWithConfigError()
    {
        var random = new Random(4242);
        var corpus = ConfigGenerator.Corpus;
        var unexpected = new List<(string Site, string Example)>();
        int accepted = 0, rejected = 0;
        for (int i = 0; i < 2000; i++)
        {
            var text = Mutator.Mutate(corpus[random.Next(corpus.Count)], random);
            try
            {
                SpecText.ParseAndValidate(text);
                accepted++;
            }
            catch (ConfigError e)
            {
                Assert.That(e.Message, Does.StartWith("config.json: "));
                rejected++;
            }
            catch (Exception e)
            {
                var frame = e.StackTrace?.Split('\n').FirstOrDefault(f => f.Contains("Runc.Sharp.Spec.")) ?? e.StackTrace;
                var site = $"{e.GetType().Name} {frame?.Trim()}";
                unexpected.Add((site, $"mutation {i}: {e.Message}\n    {text}"));
            }
        }
        Assert.That(unexpected, Is.Empty, () =>
            $"{unexpected.Count} mutations threw something else than ConfigError:\n" + string.Join("\n",
                unexpected.GroupBy(u => u.Site).Select(g => $"{g.Count()} x {g.Key}\n  e.g. {g.First().Example}")));
        // Both outcomes must occur, or the mutations are not exercising anything.
        Assert.That(accepted, Is.GreaterThan(20));
        Assert.That(rejected, Is.GreaterThan(500));
    }

    private static JsonObject Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is JsonObject p && target[key] is JsonObject t)
                Merge(t, p);
            else
                target[key] = value?.DeepClone();
        }
        return target;
    }
}

/// <summary>Seeded text and structure mutations of a JSON document.</summary>
internal static class Mutator
{
    private const string Inserts = "{}[]\",:0a-";

    private static readonly JsonNode?[] Replacements =
    [
        null, JsonValue.Create(true), JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(1.5),
        JsonValue.Create(""), JsonValue.Create("x"), new JsonArray(), new JsonObject(), new JsonArray(JsonValue.Create(1)),
        JsonValue.Create(ulong.MaxValue), JsonValue.Create("/abs"),
    ];

    /// <summary>A structural mutation needs valid JSON; once a text mutation broke it, only text mutations apply.</summary>
    public static string MutateAny(string text, Random random)
    {
        if (text.Length < 2)
            return text + "{";
        try
        {
            return Mutate(text, random);
        }
        catch (JsonException)
        {
            return text.Remove(random.Next(text.Length), 1);
        }
    }

    public static string Mutate(string json, Random r)
    {
        switch (r.Next(5))
        {
            case 0:
                var del = r.Next(json.Length);
                return json.Remove(del, 1);
            case 1:
                return json.Insert(r.Next(json.Length + 1), Inserts[r.Next(Inserts.Length)].ToString());
            case 2:
                return json[..r.Next(json.Length)];
            default:
                return ReplaceValue(json, r);
        }
    }

    /// <summary>
    /// Replaces one value anywhere in the tree with a value of another JSON type. A text
    /// mutation may have made a name appear twice; such a document is refused here (a
    /// JsonException, as for any other invalid JSON) because JsonObject cannot hold it.
    /// </summary>
    private static string ReplaceValue(string json, Random r)
    {
        var root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        var slots = new List<(JsonNode Parent, object Key)>();
        Collect(root, slots);
        if (slots.Count == 0)
            return json;
        var (parent, key) = slots[r.Next(slots.Count)];
        var replacement = Replacements[r.Next(Replacements.Length)]?.DeepClone();
        if (parent is JsonObject o)
            o[(string)key] = replacement;
        else
            ((JsonArray)parent)[(int)key] = replacement;
        return root!.ToJsonString();
    }

    private static void Collect(JsonNode? node, List<(JsonNode, object)> slots)
    {
        if (node is JsonObject o)
        {
            foreach (var (k, v) in o)
            {
                slots.Add((o, k));
                Collect(v, slots);
            }
        }
        else if (node is JsonArray a)
        {
            for (int i = 0; i < a.Count; i++)
            {
                slots.Add((a, i));
                Collect(a[i], slots);
            }
        }
    }
}
