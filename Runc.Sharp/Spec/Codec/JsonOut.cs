using System.Text.Json;

namespace Runc.Sharp.Spec.Codec;

/// <summary>Writers of optional members for the encoders: a null value writes no member, as the serializer's WhenWritingNull.</summary>
internal static class JsonOut
{
    public static void Str(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
            w.WriteString(name, value);
    }

    public static void Bool(Utf8JsonWriter w, ReadOnlySpan<byte> name, bool? value)
    {
        if (value is { } b)
            w.WriteBoolean(name, b);
    }

    public static void Num(Utf8JsonWriter w, ReadOnlySpan<byte> name, int? value)
    {
        if (value is { } n)
            w.WriteNumber(name, n);
    }

    public static void Num(Utf8JsonWriter w, ReadOnlySpan<byte> name, uint? value)
    {
        if (value is { } n)
            w.WriteNumber(name, n);
    }

    public static void Num(Utf8JsonWriter w, ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } n)
            w.WriteNumber(name, n);
    }

    public static void Num(Utf8JsonWriter w, ReadOnlySpan<byte> name, ulong? value)
    {
        if (value is { } n)
            w.WriteNumber(name, n);
    }

    public static void Num(Utf8JsonWriter w, ReadOnlySpan<byte> name, ushort? value)
    {
        if (value is { } n)
            w.WriteNumber(name, n);
    }

    public static void Obj<T>(Utf8JsonWriter w, ReadOnlySpan<byte> name, T? value, Action<Utf8JsonWriter, T> write) where T : class
    {
        if (value is null)
            return;
        w.WritePropertyName(name);
        write(w, value);
    }

    public static void Strings(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<string>? values) =>
        List(w, name, values, static (w, s) => w.WriteStringValue(s));

    public static void StringMap(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyDictionary<string, string>? values) =>
        Map(w, name, values, static (w, s) => w.WriteStringValue(s));

    public static void List<T>(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<T>? values, Action<Utf8JsonWriter, T> write)
    {
        if (values is null)
            return;
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            if (v is null)
                w.WriteNullValue();
            else
                write(w, v);
        }
        w.WriteEndArray();
    }

    public static void Map<T>(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyDictionary<string, T>? values, Action<Utf8JsonWriter, T> write)
    {
        if (values is null)
            return;
        w.WriteStartObject(name);
        foreach (var (key, v) in values)
        {
            w.WritePropertyName(key);
            if (v is null)
                w.WriteNullValue();
            else
                write(w, v);
        }
        w.WriteEndObject();
    }
}
