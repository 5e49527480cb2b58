using System.Text.Json;

namespace Runc.Sharp.Spec.Codec;

/// <summary>
/// Thrown by the decoder for anything it is not certain the serializer would read the same
/// way (a type mismatch, a null element, an escaped or repeated name, invalid JSON). The
/// document is then read again by <see cref="SpecJson"/>, which either accepts it or names
/// what is wrong; the decoder therefore never needs to explain an error.
/// </summary>
internal sealed class NotDecoded : Exception;

/// <summary>Reads one member of a record under construction; false for a name the record does not model.</summary>
internal delegate bool MemberReader<T>(ref Utf8JsonReader r, string name, ref T value);

/// <summary>Reads one value; the reader stands on its first token and is left on its last.</summary>
internal delegate T ValueReader<T>(ref Utf8JsonReader r);

/// <summary>Strict readers of JSON values for the decoders: the reader stands on the value's first token.</summary>
internal static class JsonIn
{
    /// <summary>Moves to the next token; the end of the input inside a value is not a document.</summary>
    public static JsonTokenType Next(ref Utf8JsonReader r) =>
        r.Read() ? r.TokenType : throw new NotDecoded();

    /// <summary>Reads a whole document: one value, with nothing after it. Null when it is left to the serializer.</summary>
    public static T? Document<T>(ReadOnlySpan<byte> json, ValueReader<T> root) where T : class
    {
        // The default reader options are the serializer's: no comments, no trailing commas, depth 64.
        var r = new Utf8JsonReader(json);
        try
        {
            Next(ref r);
            var value = root(ref r);
            return r.Read() ? null : value;
        }
        catch (NotDecoded)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // GetString of a string that is not valid UTF-8.
            return null;
        }
    }

    public static T Object<T>(ref Utf8JsonReader r, T empty, MemberReader<T> member) where T : SpecNode
    {
        if (r.TokenType != JsonTokenType.StartObject)
            throw new NotDecoded();
        var value = empty;
        HashSet<string>? seen = null;
        while (Next(ref r) != JsonTokenType.EndObject)
        {
            var name = Name(ref r, ref seen);
            Next(ref r);
            if (!member(ref r, name, ref value))
            {
                // The record was made by this decoder and is not shared yet.
                value.Extra ??= [];
                value.Extra[name] = JsonElement.ParseValue(ref r);
            }
        }
        return value;
    }

    /// <summary>An object member's value: null stands for an absent record, as the serializer reads it.</summary>
    public static T? NullableObject<T>(ref Utf8JsonReader r, T empty, MemberReader<T> member) where T : SpecNode =>
        r.TokenType == JsonTokenType.Null ? null : Object(ref r, empty, member);

    public static IReadOnlyList<T>? List<T>(ref Utf8JsonReader r, ValueReader<T> element)
    {
        if (r.TokenType == JsonTokenType.Null)
            return null;
        if (r.TokenType != JsonTokenType.StartArray)
            throw new NotDecoded();
        var list = new List<T>();
        while (Next(ref r) != JsonTokenType.EndArray)
        {
            if (r.TokenType == JsonTokenType.Null)
                throw new NotDecoded();
            list.Add(element(ref r));
        }
        return list;
    }

    public static IReadOnlyDictionary<string, T>? Map<T>(ref Utf8JsonReader r, ValueReader<T> element)
    {
        if (r.TokenType == JsonTokenType.Null)
            return null;
        if (r.TokenType != JsonTokenType.StartObject)
            throw new NotDecoded();
        var map = new Dictionary<string, T>();
        HashSet<string>? seen = null;
        while (Next(ref r) != JsonTokenType.EndObject)
        {
            var name = Name(ref r, ref seen);
            if (Next(ref r) == JsonTokenType.Null)
                throw new NotDecoded();
            map[name] = element(ref r);
        }
        return map;
    }

    public static IReadOnlyList<string>? Strings(ref Utf8JsonReader r) => List(ref r, String);
    public static IReadOnlyDictionary<string, string>? StringMap(ref Utf8JsonReader r) => Map(ref r, String);

    public static string String(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.String ? r.GetString()! : throw new NotDecoded();

    public static string? NullableString(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Null ? null : String(ref r);

    public static bool Bool(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw new NotDecoded(),
    };

    public static bool? NullableBool(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : Bool(ref r);

    public static int Int32(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetInt32(out var v) ? v : throw new NotDecoded();
    public static uint UInt32(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetUInt32(out var v) ? v : throw new NotDecoded();
    public static long Int64(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetInt64(out var v) ? v : throw new NotDecoded();
    public static ulong UInt64(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetUInt64(out var v) ? v : throw new NotDecoded();
    public static ushort UInt16(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetUInt16(out var v) ? v : throw new NotDecoded();

    public static int? NullableInt32(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : Int32(ref r);
    public static uint? NullableUInt32(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : UInt32(ref r);
    public static long? NullableInt64(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : Int64(ref r);
    public static ulong? NullableUInt64(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : UInt64(ref r);
    public static ushort? NullableUInt16(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : UInt16(ref r);

    /// <summary>
    /// A member name. Escaped names would need unescaping to match, and a repeated name
    /// leaves the serializer a choice: both are left to it.
    /// </summary>
    public static string Name(ref Utf8JsonReader r, ref HashSet<string>? seen)
    {
        if (r.ValueIsEscaped)
            throw new NotDecoded();
        var name = r.GetString()!;
        if (!(seen ??= []).Add(name))
            throw new NotDecoded();
        return name;
    }
}
