using System.Text.Json.Serialization;

namespace Runc.Sharp.Lifecycle;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerState))]
[JsonSerializable(typeof(OciState))]
[JsonSerializable(typeof(List<OciState>))]
[JsonSerializable(typeof(List<int>))]
internal sealed partial class LifecycleJson : JsonSerializerContext;
