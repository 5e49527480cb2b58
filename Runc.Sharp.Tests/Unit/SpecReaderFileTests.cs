using System.Text;
using NUnit.Framework;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Tests.Unit;

public class SpecReaderFileTests
{
    private string _bundle = "";

    [SetUp]
    public void SetUp()
    {
        _bundle = Path.Combine(Path.GetTempPath(), "runcs-unit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_bundle);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_bundle, recursive: true);

    private string ConfigPath => Path.Combine(_bundle, SpecReader.ConfigFileName);

    [Test]
    public void LoadsAValidBundle()
    {
        File.WriteAllText(ConfigPath, SpecText.Minimal().ToJsonString());
        Assert.That(SpecReader.LoadBundle(_bundle).Process!.Args, Is.EqualTo(new[] { "sh" }));
    }

    [Test]
    public void MissingBundle()
    {
        var missing = Path.Combine(_bundle, "nope");
        var e = Assert.Throws<ConfigError>(() => SpecReader.LoadBundle(missing))!;
        Assert.That(e.Message, Is.EqualTo($"bundle {missing}: no such directory"));
    }

    [Test]
    public void MissingConfig()
    {
        var e = Assert.Throws<ConfigError>(() => SpecReader.LoadBundle(_bundle))!;
        Assert.That(e.Message, Is.EqualTo($"config.json: {ConfigPath}: no such file or directory"));
    }

    [Test]
    public void ConfigIsADirectory()
    {
        Directory.CreateDirectory(ConfigPath);
        var e = Assert.Throws<ConfigError>(() => SpecReader.LoadBundle(_bundle))!;
        Assert.That(e.Message, Is.EqualTo($"config.json: {ConfigPath} is a directory"));
    }

    [Test]
    public void InvalidConfigIsValidatedOnLoad()
    {
        var doc = SpecText.Minimal();
        doc["process"]!["cwd"] = "rel";
        File.WriteAllText(ConfigPath, doc.ToJsonString());
        var e = Assert.Throws<ConfigError>(() => SpecReader.LoadBundle(_bundle))!;
        Assert.That(e.Message, Is.EqualTo("config.json: process.cwd: \"rel\" must be an absolute path"));
    }

    // Go's encoding/json rejects a byte order mark too; what matters is a clean error.
    [Test]
    public void ByteOrderMarkIsAConfigError()
    {
        File.WriteAllText(ConfigPath, SpecText.Minimal().ToJsonString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var e = Assert.Throws<ConfigError>(() => SpecReader.LoadBundle(_bundle))!;
        Assert.That(e.Message, Does.StartWith("config.json: invalid JSON (line 1, column 1)"));
    }

    [Test]
    public void ReadsAResourcesDocument()
    {
        var path = Path.Combine(_bundle, "resources.json");
        File.WriteAllText(path, """{"memory":{"limit":1048576},"pids":{"limit":10},"cpu":{"cpus":"0"}}""");
        var r = SpecReader.ReadFile(path, SpecDocuments.Resources, "resources");
        Assert.That((r.Memory!.Limit, r.Pids!.Limit, r.Cpu!.Cpus), Is.EqualTo(((long?)1048576, (long?)10, "0")));
        File.WriteAllText(path, """{"memory":{"limit":"lots"}}""");
        var e = Assert.Throws<ConfigError>(() => SpecReader.ReadFile(path, SpecDocuments.Resources, "resources"))!;
        Assert.That(e.Message, Does.StartWith("resources: memory.limit: "));
    }

    [Test]
    public void TooDeepIsAConfigError()
    {
        var deep = new string('[', 200) + new string(']', 200);
        var e = Assert.Throws<ConfigError>(() => SpecText.Parse("{\"x-deep\":" + deep + "}"))!;
        Assert.That(e.Message, Does.StartWith("config.json: "));
    }
}
