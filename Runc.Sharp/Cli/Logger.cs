using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Runc.Sharp.Linux;

namespace Runc.Sharp.Cli;

/// <summary>
/// runc's log lines: to the --log file when one is given (text or JSON), and every
/// error also as one line on stderr. Debug lines (--debug) go to the log file, or to
/// stderr without one, in the log's format, as runc's do.
/// </summary>
public sealed class Logger(string? file, bool json, bool debug)
{
    /// <summary>runc opens --log for every command: the file exists afterwards even when nothing was logged.</summary>
    public void Touch()
    {
        if (string.IsNullOrEmpty(file))
            return;
        try
        {
            using var fs = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            StdErr.WriteLine($"runcs: cannot write log {file}: {e.Message}");
        }
    }

    // The log file first: a shim reads the error from it, whatever happens to stderr.
    public void Error(string message)
    {
        Write("error", message);
        StdErr.WriteLine($"runcs: {message}");
    }

    /// <summary>An error of the container's process rather than of runcs: on stderr as it is, and in the log.</summary>
    public void ContainerError(string message)
    {
        Write("error", message);
        StdErr.WriteLine(message);
    }

    public void Warn(string message)
    {
        Write("warning", message);
        StdErr.WriteLine($"runcs: warning: {message}");
    }

    public void Debug(string message)
    {
        if (!debug)
            return;
        if (string.IsNullOrEmpty(file))
            StdErr.WriteLine(Format("debug", message, DateTimeOffset.Now, json));
        else
            Write("debug", message);
    }

    private void Write(string level, string message)
    {
        if (string.IsNullOrEmpty(file))
            return;
        var line = Format(level, message, DateTimeOffset.Now, json);
        try
        {
            using var fs = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.WriteThrough);
            fs.Write(Encoding.UTF8.GetBytes(line + "\n"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            StdErr.WriteLine($"runcs: cannot write log {file}: {e.Message}");
        }
    }

    public static string Format(string level, string message, DateTimeOffset time, bool json)
    {
        // Go's RFC 3339, as runc writes it: "Z" for UTC, else the offset.
        var stamp = time.Offset == TimeSpan.Zero
            ? time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)
            : time.ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);
        if (!json)
            return $"time=\"{stamp}\" level={level} msg={Quote(message)}";
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("level", level);
            w.WriteString("msg", message);
            w.WriteString("time", stamp);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static string Quote(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
