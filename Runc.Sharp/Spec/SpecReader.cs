using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Runc.Sharp.Spec;

/// <summary>Reads OCI documents (config.json, process.json, resources) into the typed model.</summary>
public static class SpecReader
{
    public const string ConfigFileName = "config.json";

    /// <summary>Loads and validates &lt;bundle&gt;/config.json.</summary>
    public static RuntimeSpec LoadBundle(string bundle)
    {
        if (!Directory.Exists(bundle))
            throw new ConfigError($"bundle {bundle}: no such directory");
        var spec = ReadFile(Path.Combine(bundle, ConfigFileName), SpecDocuments.Config, ConfigFileName);
        SpecValidator.ThrowIfInvalid(spec);
        return spec;
    }

    /// <summary>Reads a JSON file; every failure names the document and, for JSON errors, the path, line and column.</summary>
    public static T ReadFile<T>(string path, SpecDocument<T> kind, string document) where T : class
    {
        if (Directory.Exists(path))
            throw new ConfigError($"{document}: {path} is a directory");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new ConfigError($"{document}: {path}: no such file or directory");
        }
        catch (DirectoryNotFoundException)
        {
            throw new ConfigError($"{document}: {path}: no such file or directory");
        }
        catch (UnauthorizedAccessException)
        {
            throw new ConfigError($"{document}: {path}: permission denied");
        }
        catch (IOException e)
        {
            throw new ConfigError($"{document}: {path}: {e.Message}");
        }
        return Parse(bytes, kind, document);
    }

    public static T Parse<T>(ReadOnlySpan<byte> json, SpecDocument<T> kind, string document) where T : class =>
        kind.TryDecode(json) ?? Deserialize(json, kind.Metadata, document);

    /// <summary>The serializer's reading, for what the decoder leaves: it accepts the document or names what is wrong.</summary>
    internal static T Deserialize<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> type, string document)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type)
                ?? throw new ConfigError($"{document}: must be a JSON object, not null");
        }
        catch (JsonException e)
        {
            throw new ConfigError(Describe(e, document, type));
        }
        catch (InvalidOperationException e)
        {
            // The serializer reports some structural mismatches (e.g. duplicate keys) this way.
            throw new ConfigError($"{document}: {e.Message}");
        }
    }

    private static string Describe(JsonException e, string document, JsonTypeInfo root)
    {
        var where = e.LineNumber is { } line
            ? $" (line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1})"
            : "";
        var path = JsonPathToSpecPath(e.Path);
        bool conversion = e.Message.Contains("could not be converted to ", StringComparison.Ordinal)
            || e.Message.StartsWith("DeserializeUnableToConvertValue", StringComparison.Ordinal);
        if (!conversion || path.Length == 0)
            return $"{document}: invalid JSON{where}: {FirstSentence(e.Message)}";
        return $"{document}: {path}: wrong type, expected {ExpectedKind(root, e.Path!)}{where}";
    }

    /// <summary>Walks the serializer's metadata along the JSON path to name the type the member wants.</summary>
    internal static string ExpectedKind(JsonTypeInfo root, string jsonPath)
    {
        Type? type = root.Type;
        foreach (var segment in PathSegments(jsonPath))
        {
            if (type is null)
                break;
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (segment.Index)
                type = ElementType(type);
            else if (ElementType(type) is { } valueType && type.IsGenericType && type.Name.Contains("Dictionary", StringComparison.Ordinal))
                type = valueType;
            else
                type = root.Options.GetTypeInfo(type).Properties.FirstOrDefault(p => p.Name == segment.Name)?.PropertyType;
        }
        return type is null ? "another type" : Kind(Nullable.GetUnderlyingType(type) ?? type);
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType ? type.GetGenericArguments()[^1]
        : null;

    private static string Kind(Type t) =>
        t == typeof(string) ? "a string"
        : t == typeof(bool) ? "a boolean"
        : t == typeof(int) || t == typeof(uint) || t == typeof(long) || t == typeof(ulong) || t == typeof(ushort) ? $"an integer ({Range(t)})"
        : t.IsGenericType && t.Name.Contains("Dictionary", StringComparison.Ordinal) ? "an object"
        : t.IsGenericType || t.IsArray ? "an array"
        : "an object";

    private static string Range(Type t) =>
        t == typeof(int) ? "32-bit" : t == typeof(uint) ? "0 to 4294967295" : t == typeof(ushort) ? "0 to 65535"
        : t == typeof(ulong) ? "0 to 2^64-1" : "64-bit";

    private readonly record struct Segment(string Name, bool Index);

    /// <summary>"$.a.b[2]['x.y']" → a, b, [2], x.y.</summary>
    private static IEnumerable<Segment> PathSegments(string jsonPath)
    {
        int i = jsonPath.StartsWith('$') ? 1 : 0;
        while (i < jsonPath.Length)
        {
            if (jsonPath[i] == '.')
            {
                int j = i + 1;
                while (j < jsonPath.Length && jsonPath[j] is not ('.' or '['))
                    j++;
                yield return new Segment(jsonPath[(i + 1)..j], false);
                i = j;
            }
            else if (jsonPath[i] == '[')
            {
                int close = jsonPath.IndexOf(']', i);
                if (close < 0)
                    yield break;
                var inner = jsonPath[(i + 1)..close];
                yield return inner.StartsWith('\'') ? new Segment(inner.Trim('\''), false) : new Segment(inner, true);
                i = close + 1;
            }
            else
                i++;
        }
    }

    /// <summary>The serializer's first sentence, without its advice about reader options or paths.</summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        var first = cut < 0 ? message : message[..cut];
        var path = first.IndexOf(" Path:", StringComparison.Ordinal);
        return (path < 0 ? first : first[..path]).TrimEnd('.', ' ');
    }

    /// <summary>"$.linux.namespaces[2].type" → "linux.namespaces[2].type".</summary>
    internal static string JsonPathToSpecPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
            return "";
        return jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
    }
}
