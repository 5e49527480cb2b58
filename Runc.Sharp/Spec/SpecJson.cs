using System.Text.Json;
using System.Text.Json.Serialization;

namespace Runc.Sharp.Spec;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(RuntimeSpec))]
[JsonSerializable(typeof(Resources))]
[JsonSerializable(typeof(Process))]
internal sealed partial class SpecJson : JsonSerializerContext
{
    // runc writes config.json with tabs (Go's json.MarshalIndent(spec, "", "\t")).
    public static readonly SpecJson Tabbed = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        IndentCharacter = '\t',
        IndentSize = 1,
    });
}
