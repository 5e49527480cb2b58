using System.Text.Json.Serialization;
using Runc.Sharp.Lifecycle;

namespace Runc.Sharp.Tests.Unit;

/// <summary>The serializer's reading and writing of the lifecycle documents: the reference StateJson is held to.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerState))]
[JsonSerializable(typeof(OciState))]
[JsonSerializable(typeof(List<OciState>))]
internal sealed partial class LifecycleJson : JsonSerializerContext;
