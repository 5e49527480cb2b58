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
        var spec = ReadFile(Path.Combine(bundle, ConfigFileName), SpecJson.Default.RuntimeSpec, ConfigFileName);
        SpecValidator.ThrowIfInvalid(spec);
        return spec;
    }

    /// <summary>Reads a JSON file; every failure names the document and, for JSON errors, the path, line and column.</summary>
    public static T ReadFile<T>(string path, JsonTypeInfo<T> type, string document)
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
        return Parse(bytes, type, document);
    }

    public static T Parse<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> type, string document)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type)
                ?? throw new ConfigError($"{document}: must be a JSON object, not null");
        }
        catch (JsonException e)
        {
            throw new ConfigError(Describe(e, document));
        }
        catch (InvalidOperationException e)
        {
            // The serializer reports some structural mismatches (e.g. duplicate keys) this way.
            throw new ConfigError($"{document}: {e.Message}");
        }
    }

    private static string Describe(JsonException e, string document)
    {
        var where = e.LineNumber is { } line
            ? $" (line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1})"
            : "";
        var path = JsonPathToSpecPath(e.Path);
        bool syntax = e.InnerException is not null || e.Message.Contains("invalid", StringComparison.OrdinalIgnoreCase) && path.Length == 0;
        if (path.Length == 0)
            return $"{document}: invalid JSON{where}: {FirstSentence(e.Message)}";
        return syntax && e.Message.Contains("is invalid after", StringComparison.Ordinal)
            ? $"{document}: invalid JSON{where}: {FirstSentence(e.Message)}"
            : $"{document}: {path}: {TypeProblem(e)}{where}";
    }

    private static string TypeProblem(JsonException e)
    {
        var m = e.Message;
        const string marker = "could not be converted to ";
        var i = m.IndexOf(marker, StringComparison.Ordinal);
        if (i < 0)
            return FirstSentence(m);
        var target = m[(i + marker.Length)..];
        var end = target.IndexOfAny([' ', '.']);
        var typeName = end < 0 ? target : target[..end];
        return $"wrong type, expected {Friendly(typeName)}";
    }

    private static string Friendly(string clrType) => clrType switch
    {
        _ when clrType.Contains("IReadOnlyList", StringComparison.Ordinal) => "an array",
        _ when clrType.Contains("IReadOnlyDictionary", StringComparison.Ordinal) => "an object",
        "System.String" => "a string",
        "System.Boolean" or "System.Nullable`1[System.Boolean]" => "a boolean",
        _ when clrType.Contains("Int", StringComparison.Ordinal) => "an integer in range",
        _ when clrType.StartsWith("Runc.Sharp.Spec.", StringComparison.Ordinal) => "an object",
        _ => clrType,
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).TrimEnd('.', ' ');
    }

    /// <summary>"$.linux.namespaces[2].type" → "linux.namespaces[2].type".</summary>
    internal static string JsonPathToSpecPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
            return "";
        return jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
    }
}
