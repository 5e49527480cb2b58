using System.Text.Json;
using System.Text.Json.Serialization;

namespace Runc.Sharp.Lifecycle;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerState))]
[JsonSerializable(typeof(OciState))]
[JsonSerializable(typeof(List<OciState>))]
[JsonSerializable(typeof(List<int>))]
internal sealed partial class LifecycleJson : JsonSerializerContext
{
    /// <summary>Two-space indentation, as Go's json.MarshalIndent(v, "", "  ").</summary>
    public static readonly LifecycleJson Indented = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    });
}
