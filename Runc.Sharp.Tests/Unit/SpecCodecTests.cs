using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Runc.Sharp.Launch;
using Runc.Sharp.Linux.Mounts;
using Runc.Sharp.Spec;
using Runc.Sharp.Spec.Codec;

namespace Runc.Sharp.Tests.Unit;

/// <summary>
/// The decoder and encoder are held to the serializer (SpecJson): whatever the decoder
/// accepts, the serializer reads to the same model, and the encoder writes the serializer's
/// bytes. The decoder must also accept the documents runcs meets, or it saves nothing.
/// </summary>
public class SpecCodecTests
{
    private static IEnumerable<string> Documents() =>
        ConfigGenerator.Corpus
            .Append(SpecText.SerializerText(DefaultSpec.Example()))
            .Append(SpecText.SerializerText(DefaultSpec.Rootless(1000, 1000)))
            .Append(RoundTripTests.WithUnknownMembers);

    [Test]
    public void DecoderReadsEveryValidDocumentAsTheSerializerDoes()
    {
        int i = 0;
        foreach (var text in Documents())
        {
            var decoded = SpecDecoder.TryRuntimeSpec(Encoding.UTF8.GetBytes(text));
            Assert.That(decoded, Is.Not.Null, $"document #{i} was left to the serializer: {text}");
            Assert.That(SpecText.SerializerText(decoded!), Is.EqualTo(SpecText.SerializerText(SpecText.SerializerParse(text))), $"document #{i}");
            i++;
        }
    }

    [Test]
    public void EncoderWritesTheSerializersBytes()
    {
        foreach (var text in Documents())
        {
            var spec = SpecText.SerializerParse(text);
            Assert.That(Encoding.UTF8.GetString(SpecEncoder.Encode(spec)), Is.EqualTo(SpecText.SerializerText(spec)));
            Assert.That(Encoding.UTF8.GetString(SpecEncoder.Encode(spec, tabbed: true)), Is.EqualTo(JsonSerializer.Serialize(spec, SpecJson.Tabbed.RuntimeSpec)));
        }
    }

    [Test]
    public void ProcessAndResourcesDocumentsDecodeAsTheSerializerReadsThem()
    {
        int processes = 0, resources = 0;
        foreach (var text in Documents())
        {
            var root = JsonNode.Parse(text)!;
            if (root["process"] is JsonObject p)
            {
                var bytes = Encoding.UTF8.GetBytes(p.ToJsonString());
                var decoded = SpecDecoder.TryProcess(bytes);
                Assert.That(decoded, Is.Not.Null, p.ToJsonString());
                Assert.That(JsonSerializer.Serialize(decoded!, SpecJson.Default.Process),
                    Is.EqualTo(JsonSerializer.Serialize(JsonSerializer.Deserialize(bytes, SpecJson.Default.Process)!, SpecJson.Default.Process)));
                processes++;
            }
            if (root["linux"]?["resources"] is JsonObject r)
            {
                var bytes = Encoding.UTF8.GetBytes(r.ToJsonString());
                var decoded = SpecDecoder.TryResources(bytes);
                Assert.That(decoded, Is.Not.Null, r.ToJsonString());
                Assert.That(JsonSerializer.Serialize(decoded!, SpecJson.Default.Resources),
                    Is.EqualTo(JsonSerializer.Serialize(JsonSerializer.Deserialize(bytes, SpecJson.Default.Resources)!, SpecJson.Default.Resources)));
                resources++;
            }
        }
        Assert.That(processes, Is.GreaterThan(100));
        Assert.That(resources, Is.GreaterThan(50));
    }

    // Each is a document the serializer reads in its own way or refuses; the decoder must
    // leave all of them to it.
    [TestCase("""{"ociVersion":"1.0.0","hostname":"a","hostname":"b"}""")]
    [TestCase("""{"ociVersion":"1.0.0","x":1,"x":2}""")]
    [TestCase("""{"oci\u0056ersion":"1.0.0"}""")]
    [TestCase("""{"mounts":[null]}""")]
    [TestCase("""{"annotations":{"a":null}}""")]
    [TestCase("""{"process":{"args":["sh",null]}}""")]
    [TestCase("""{"root":{"readonly":null}}""")]
    [TestCase("""{"process":{"user":{"uid":1.0}}}""")]
    [TestCase("""{"process":{"user":{"uid":1e3}}}""")]
    [TestCase("""{"process":{"oomScoreAdj":"5"}}""")]
    [TestCase("""{"ociVersion":"1.0.0"} {}""")]
    [TestCase("""{"ociVersion":"1.0.0",}""")]
    [TestCase("""null""")]
    [TestCase("""[]""")]
    [TestCase("")]
    public void DecoderLeavesDoubtfulDocumentsToTheSerializer(string text)
    {
        Assert.That(SpecDecoder.TryRuntimeSpec(Encoding.UTF8.GetBytes(text)), Is.Null);
    }

    [Test]
    public void EscapedNamesAndRepeatedMembersStillReadAsTheSerializerReadsThem()
    {
        var spec = SpecText.Parse("""{"oci\u0056ersion":"1.0.0","hostname":"a","hostname":"b"}""");
        Assert.That(spec.OciVersion, Is.EqualTo("1.0.0"));
        Assert.That(spec.Hostname, Is.EqualTo(SpecText.SerializerParse("""{"hostname":"a","hostname":"b"}""").Hostname));
    }

    [Test]
    public void InitConfigSurvivesItsMessage()
    {
        var config = new InitConfig
        {
            Id = "c1", Bundle = "/b", Rootfs = "/b/rootfs", Spec = SpecText.SerializerParse(RoundTripTests.WithUnknownMembers),
            HostPid = 42, Exec = true, NoPivot = true, NoNewKeyring = true, ConsoleSocketFd = 5,
            FifoFd = 7, SeccompFd = 8, ExtraFds = 2, NewUserNamespace = true, PrivateCgroupNamespace = true,
            CgroupSources = [new CgroupMountSource("cpu", "cgroup", "cpu,cpuacct", "/sys/fs/cgroup/cpu/c1")],
            IdMapFds = [new IdMapFd(3, 9)], HookState = """{"id":"c1"}""", ExtraEnv = ["LISTEN_FDS=2"],
        };
        var decoded = InitConfigJson.Decode(InitConfigJson.Encode(config));
        Assert.That(decoded with { Spec = config.Spec, CgroupSources = config.CgroupSources, IdMapFds = config.IdMapFds, ExtraEnv = config.ExtraEnv },
            Is.EqualTo(config));
        Assert.That(decoded.CgroupSources, Is.EqualTo(config.CgroupSources));
        Assert.That(decoded.IdMapFds, Is.EqualTo(config.IdMapFds));
        Assert.That(decoded.ExtraEnv, Is.EqualTo(config.ExtraEnv));
        Assert.That(SpecText.SerializerText(decoded.Spec), Is.EqualTo(SpecText.SerializerText(config.Spec)));
    }

    [TestCase("""{"id":"c1","bundle":"/b","rootfs":"/r"}""")]
    [TestCase("""{"id":"c1","bundle":"/b","rootfs":"/r","spec":{},"surprise":1}""")]
    [TestCase("""{"id":"c1","bundle":"/b","rootfs":"/r","spec":{},"fifoFd":"7"}""")]
    public void InitRefusesAConfigurationRuncsDidNotWrite(string text)
    {
        var e = Assert.Throws<RuncsException>(() => InitConfigJson.Decode(Encoding.UTF8.GetBytes(text)))!;
        Assert.That(e.Message, Does.Contain("malformed"));
    }
}
