using System.Text;
using System.Text.Json;
using NUnit.Framework;
using Runc.Sharp.Lifecycle;

namespace Runc.Sharp.Tests.Unit;

/// <summary>StateJson writes the serializer's bytes and reads what the serializer wrote (a state.json from an earlier runcs).</summary>
public class StateJsonTests
{
    private static IEnumerable<ContainerState> States()
    {
        var full = StateStoreTests.State("c1", pid: 77);
        yield return full;
        yield return full with { Hooks = null, CgroupPaths = null, PreexistingCgroups = null, Rootless = false };
        yield return full with { Annotations = new Dictionary<string, string> { ["org.x"] = "é \"q\" <&>", [""] = "" }, SystemdCgroup = true, NoPivot = true, NoNewKeyring = true };
        yield return full with { Created = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), InitStartTime = ulong.MaxValue, InitPid = int.MaxValue };
        yield return full with { InitPid = 0, Creating = true, HostMountsBefore = [31, 2048] };
    }

    [Test]
    public void ContainerStateIsWrittenAsTheSerializerWroteIt()
    {
        foreach (var s in States())
            Assert.That(Encoding.UTF8.GetString(StateJson.Encode(s)), Is.EqualTo(JsonSerializer.Serialize(s, LifecycleJson.Default.ContainerState)));
    }

    [Test]
    public void ContainerStateWrittenByTheSerializerReadsBack()
    {
        foreach (var s in States())
        {
            var read = StateJson.TryDecode(JsonSerializer.SerializeToUtf8Bytes(s, LifecycleJson.Default.ContainerState));
            Assert.That(read, Is.Not.Null);
            Assert.That(JsonSerializer.Serialize(read!, LifecycleJson.Default.ContainerState), Is.EqualTo(JsonSerializer.Serialize(s, LifecycleJson.Default.ContainerState)));
            Assert.That(read!.Created.Kind, Is.EqualTo(DateTimeKind.Utc));
        }
    }

    [Test]
    public void UnknownMembersAreSkippedAsTheSerializerSkippedThem()
    {
        var json = """{"id":"c","future":{"a":[1,{"b":2}]},"created":"2024-05-06T07:08:09Z","bundle":"/b","rootfs":"/r","ociVersion":"1.3.0","later":null}""";
        var read = StateJson.TryDecode(Encoding.UTF8.GetBytes(json));
        Assert.That(read, Is.Not.Null);
        Assert.That((read!.Id, read.Bundle, read.Rootfs), Is.EqualTo(("c", "/b", "/r")));
    }

    [TestCase("""{"created":"2024-05-06T07:08:09Z","bundle":"/b","rootfs":"/r","ociVersion":"1.3.0"}""")]
    [TestCase("""{"id":"c","created":"yesterday","bundle":"/b","rootfs":"/r","ociVersion":"1.3.0"}""")]
    [TestCase("""{"id":"c","initPid":"1","created":"2024-05-06T07:08:09Z","bundle":"/b","rootfs":"/r","ociVersion":"1.3.0"}""")]
    [TestCase("""{"id":""")]
    [TestCase("""[]""")]
    public void WhatIsNotAStateDocumentIsRefused(string json)
    {
        Assert.That(StateJson.TryDecode(Encoding.UTF8.GetBytes(json)), Is.Null);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, LifecycleJson.Default.ContainerState));
    }

    [Test]
    public void OciStateDocumentsAreTheSerializers()
    {
        var states = States().Select((s, i) => OciState.From(s, i % 2 == 0 ? ContainerStatus.Running : ContainerStatus.Stopped, i == 1 ? "" : "root")).ToList();
        foreach (var s in states)
        {
            Assert.That(StateJson.Text(s, indented: false), Is.EqualTo(JsonSerializer.Serialize(s, LifecycleJson.Default.OciState)));
            using var text = new MemoryStream();
            using (var w = new Utf8JsonWriter(text, new JsonWriterOptions { Indented = true }))
                JsonSerializer.Serialize(w, s, LifecycleJson.Default.OciState);
            Assert.That(s.ToIndentedJson(), Is.EqualTo(Encoding.UTF8.GetString(text.ToArray())));
        }
        Assert.That(StateJson.Text(states), Is.EqualTo(JsonSerializer.Serialize(states, LifecycleJson.Default.ListOciState)));
    }

    [Test]
    public void PidsAreAJsonArray()
    {
        Assert.That(StateJson.Text(new[] { 1, 22, 333 }), Is.EqualTo("[1,22,333]"));
        Assert.That(StateJson.Text(Array.Empty<int>()), Is.EqualTo("[]"));
    }
}
