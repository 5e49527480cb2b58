using System.Text.Json;
using NUnit.Framework;
using Runc.Sharp.Cli;
using Runc.Sharp.Cli.Commands;
using Runc.Sharp.Lifecycle;

namespace Runc.Sharp.Tests.Unit;

public class FormatTests
{
    private static readonly DateTime Second = new(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [TestCase(0, "2024-01-02T03:04:05Z")]
    [TestCase(1, "2024-01-02T03:04:05.0000001Z")]
    [TestCase(1_000_000, "2024-01-02T03:04:05.1Z")]
    [TestCase(1_234_500, "2024-01-02T03:04:05.12345Z")]
    [TestCase(9_999_999, "2024-01-02T03:04:05.9999999Z")]
    [TestCase(100, "2024-01-02T03:04:05.00001Z")]
    public void Rfc3339Nano(long ticks, string expected) =>
        Assert.That(OciState.Rfc3339Nano(Second.AddTicks(ticks)), Is.EqualTo(expected));

    [Test]
    public void Rfc3339NanoConvertsToUtc()
    {
        var local = new DateTimeOffset(2024, 1, 2, 5, 4, 5, TimeSpan.FromHours(2)).UtcDateTime.ToLocalTime();
        Assert.That(OciState.Rfc3339Nano(local), Is.EqualTo("2024-01-02T03:04:05Z"));
        Assert.That(DateTimeOffset.Parse(OciState.Rfc3339Nano(Second.AddTicks(5))).UtcTicks, Is.EqualTo(Second.AddTicks(5).Ticks));
    }

    private static OciState Sample(IReadOnlyDictionary<string, string>? annotations) =>
        new("1.2.0", "c1", 42, "running", "/b", "/b/rootfs", "2024-01-02T03:04:05Z", annotations, "root");

    [Test]
    public void StateFieldOrderIsRuncs()
    {
        var json = Sample(new Dictionary<string, string> { ["k"] = "v" }).ToIndentedJson();
        using var doc = JsonDocument.Parse(json);
        Assert.That(doc.RootElement.EnumerateObject().Select(p => p.Name),
            Is.EqualTo(new[] { "ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "annotations", "owner" }));
        Assert.That(json, Does.StartWith("{\n  \"ociVersion\": \"1.2.0\",\n  \"id\": \"c1\",\n  \"pid\": 42,"));
    }

    [Test]
    public void StateOmitsNullAnnotations()
    {
        var json = Sample(null).ToIndentedJson();
        using var doc = JsonDocument.Parse(json);
        Assert.That(doc.RootElement.EnumerateObject().Select(p => p.Name),
            Is.EqualTo(new[] { "ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "owner" }));
    }

    [Test]
    public void FromState()
    {
        var state = StateStoreTests.State("c1", pid: 99);
        var running = OciState.From(state, ContainerStatus.Running, "alice");
        Assert.That(running, Is.EqualTo(new OciState("1.3.0", "c1", 99, "running", "/bundle", "/bundle/rootfs",
            "2024-05-06T07:08:09.1234567Z", null, "alice")));
        Assert.That(OciState.From(state, ContainerStatus.Stopped).Pid, Is.EqualTo(0), "a stopped container has no pid");
        Assert.That(OciState.From(state, ContainerStatus.Paused).Status, Is.EqualTo("paused"));

        var empty = state with { Annotations = new Dictionary<string, string>() };
        Assert.That(OciState.From(empty, ContainerStatus.Created).Annotations, Is.Null, "empty annotations are omitted");
        var annotated = state with { Annotations = new Dictionary<string, string> { ["a"] = "b" } };
        Assert.That(OciState.From(annotated, ContainerStatus.Created).Annotations, Is.EqualTo(new Dictionary<string, string> { ["a"] = "b" }));
    }

    [Test]
    public void TableHeaderAlone()
    {
        Assert.That(ListCommand.Table([]),
            Is.EqualTo("ID          PID         STATUS      BUNDLE      CREATED     OWNER\n"));
    }

    [Test]
    public void TableColumnsWidenToTheLongestCellPlusPadding()
    {
        var rows = new[]
        {
            new OciState("1.0.0", "short", 1, "running", "/b", "/b/rootfs", "2024-01-02T03:04:05.123Z", null, "root"),
            new OciState("1.0.0", "a-much-longer-id", 12345, "stopped", "/very/long/bundle/path", "/r", "2024-01-02T03:04:05Z", null, "#1000"),
        };
        var lines = ListCommand.Table(rows).Split('\n');
        Assert.That(lines, Is.EqualTo(new[]
        {
            "ID                 PID         STATUS      BUNDLE                   CREATED                    OWNER",
            "short              1           running     /b                       2024-01-02T03:04:05.123Z   root",
            "a-much-longer-id   12345       stopped     /very/long/bundle/path   2024-01-02T03:04:05Z       #1000",
            "",
        }));
    }

    [Test]
    public void TableCellOfExactlyMinWidthStillGetsPadding()
    {
        var row = new OciState("1.0.0", "twelve-chars", 1, "s", "/b", "/r", "c", null, "o");
        var line = ListCommand.Table([row]).Split('\n')[1];
        Assert.That(line, Does.StartWith("twelve-chars   1"));
    }

    [Test]
    public void LogJsonLine()
    {
        var time = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(1));
        var line = Logger.Format("error", "container \"x\" <not> found", time, json: true);
        using var doc = JsonDocument.Parse(line);
        Assert.That(doc.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "level", "msg", "time" }));
        Assert.That(doc.RootElement.GetProperty("level").GetString(), Is.EqualTo("error"));
        Assert.That(doc.RootElement.GetProperty("msg").GetString(), Is.EqualTo("container \"x\" <not> found"));
        var stamp = doc.RootElement.GetProperty("time").GetString()!;
        Assert.That(stamp, Is.EqualTo("2024-01-02T03:04:05+01:00"));
        Assert.That(DateTimeOffset.Parse(stamp), Is.EqualTo(time));
        Assert.That(line, Does.Contain("<not>"), "no HTML escaping, like logrus");
        Assert.That(line, Does.Not.Contain("\n"));
    }

    [Test]
    public void LogJsonTimeOfUtcIsParseable()
    {
        var line = Logger.Format("warning", "w", new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), json: true);
        using var doc = JsonDocument.Parse(line);
        var stamp = doc.RootElement.GetProperty("time").GetString()!;
        Assert.That(stamp, Is.EqualTo("2024-01-02T03:04:05Z"), "Go's RFC 3339 for UTC, as runc writes it");
        Assert.That(DateTimeOffset.Parse(stamp).UtcDateTime, Is.EqualTo(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc)));
    }

    [Test]
    public void LogTextLine()
    {
        var time = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5));
        Assert.That(Logger.Format("error", "say \"hi\" \\ bye", time, json: false),
            Is.EqualTo("time=\"2024-01-02T03:04:05-05:00\" level=error msg=\"say \\\"hi\\\" \\\\ bye\""));
    }
}
