using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Tests.Unit;

/// <summary>Shared helpers: parse config text the way LoadBundle does, and a minimal valid config.</summary>
internal static class SpecText
{
    public const string Document = "config.json";

    public static RuntimeSpec Parse(string json) =>
        SpecReader.Parse(Encoding.UTF8.GetBytes(json), SpecJson.Default.RuntimeSpec, Document);

    public static RuntimeSpec ParseAndValidate(string json)
    {
        var spec = Parse(json);
        SpecValidator.ThrowIfInvalid(spec, Document);
        return spec;
    }

    public static string Serialize(RuntimeSpec spec) => JsonSerializer.Serialize(spec, SpecJson.Default.RuntimeSpec);

    /// <summary>The smallest config the validator accepts.</summary>
    public static JsonObject Minimal() => new()
    {
        ["ociVersion"] = "1.0.0",
        ["root"] = new JsonObject { ["path"] = "rootfs" },
        ["process"] = new JsonObject { ["args"] = new JsonArray("sh"), ["cwd"] = "/" },
        ["linux"] = new JsonObject
        {
            ["namespaces"] = new JsonArray(new JsonObject { ["type"] = "pid" }, new JsonObject { ["type"] = "mount" }),
        },
    };
}
