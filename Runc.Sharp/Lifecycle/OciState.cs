using System.Globalization;
using System.Text.Json;

namespace Runc.Sharp.Lifecycle;

/// <summary>
/// The runtime-spec state as `runcs state` and `list --format json` print it; the
/// member order is runc's field order.
/// </summary>
public sealed record OciState(
    string OciVersion,
    string Id,
    int Pid,
    string Status,
    string Bundle,
    string Rootfs,
    string Created,
    IReadOnlyDictionary<string, string>? Annotations,
    string Owner)
{
    public static OciState From(ContainerState s, ContainerStatus status, string owner = "") => new(
        s.OciVersion,
        s.Id,
        status is ContainerStatus.Stopped ? 0 : s.InitPid,
        status.ToText(),
        s.Bundle,
        s.Rootfs,
        Rfc3339Nano(s.Created),
        s.Annotations is { Count: > 0 } a ? a : null,
        owner);

    /// <summary>
    /// As Go's json.MarshalIndent(v, "", "  "), with no trailing newline. The indenting is
    /// the writer's, so the metadata is that of the context that reads state.json: a second
    /// context would build its own (~0.5 ms of a 5 ms `state`).
    /// </summary>
    public string ToIndentedJson()
    {
        using var text = new MemoryStream();
        using (var writer = new Utf8JsonWriter(text, new JsonWriterOptions { Indented = true }))
            JsonSerializer.Serialize(writer, this, LifecycleJson.Default.OciState);
        return System.Text.Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
    }

    /// <summary>Go's time.RFC3339Nano: fractional seconds without trailing zeros, "Z" for UTC.</summary>
    public static string Rfc3339Nano(DateTime utc)
    {
        var u = utc.ToUniversalTime();
        var fraction = (u.Ticks % TimeSpan.TicksPerSecond).ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
        var head = u.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return fraction.Length == 0 ? head + "Z" : $"{head}.{fraction}Z";
    }
}
