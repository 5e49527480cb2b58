using System.Text.Json.Serialization.Metadata;
using Runc.Sharp.Spec.Codec;

namespace Runc.Sharp.Spec;

internal delegate T? Decoder<T>(ReadOnlySpan<byte> json) where T : class;

/// <summary>
/// A kind of OCI document: the decoder that reads it, and the serializer's metadata, built
/// only for a document the decoder leaves to the serializer (most often one with an error,
/// which the serializer then names).
/// </summary>
public sealed class SpecDocument<T> where T : class
{
    private readonly Decoder<T> _decode;
    private readonly Func<JsonTypeInfo<T>> _metadata;

    internal SpecDocument(Decoder<T> decode, Func<JsonTypeInfo<T>> metadata)
    {
        _decode = decode;
        _metadata = metadata;
    }

    internal T? TryDecode(ReadOnlySpan<byte> json) => _decode(json);
    internal JsonTypeInfo<T> Metadata => _metadata();
}

public static class SpecDocuments
{
    public static readonly SpecDocument<RuntimeSpec> Config = new(SpecDecoder.TryRuntimeSpec, () => SpecJson.Default.RuntimeSpec);
    public static readonly SpecDocument<Process> Process = new(SpecDecoder.TryProcess, () => SpecJson.Default.Process);
    public static readonly SpecDocument<Resources> Resources = new(SpecDecoder.TryResources, () => SpecJson.Default.Resources);
}
