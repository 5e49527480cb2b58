using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Runc.Sharp.Spec;
using Runc.Sharp.Spec.Codec;

namespace Runc.Sharp.Tests.Unit;

/// <summary>Shared helpers: parse config text the way LoadBundle does, and a minimal valid config.</summary>
internal static class SpecText
{
    public const string Document = "config.json";

    public static RuntimeSpec Parse(string json) =>
        SpecReader.Parse(Encoding.UTF8.GetBytes(json), SpecDocuments.Config, Document);

    public static RuntimeSpec ParseAndValidate(string json)
    {
        var spec = Parse(json);
        SpecValidator.ThrowIfInvalid(spec, Document);
        return spec;
    }

    public static string Serialize(RuntimeSpec spec) => Encoding.UTF8.GetString(SpecEncoder.Encode(spec));

    /// <summary>The reference the decoder and encoder are held to: the serializer's own reading and writing.</summary>
    public static RuntimeSpec SerializerParse(string json) =>
        SpecReader.Deserialize(Encoding.UTF8.GetBytes(json), SpecJson.Default.RuntimeSpec, Document);

    public static string SerializerText(RuntimeSpec spec) => JsonSerializer.Serialize(spec, SpecJson.Default.RuntimeSpec);

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
