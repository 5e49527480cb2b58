using System.Globalization;

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

    /// <summary>As Go's json.MarshalIndent(v, "", "  "), with no trailing newline.</summary>
    public string ToIndentedJson() => StateJson.Text(this, indented: true);

    /// <summary>Go's time.RFC3339Nano: fractional seconds without trailing zeros, "Z" for UTC.</summary>
    public static string Rfc3339Nano(DateTime utc)
    {
        var u = utc.ToUniversalTime();
        var fraction = (u.Ticks % TimeSpan.TicksPerSecond).ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
        var head = u.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return fraction.Length == 0 ? head + "Z" : $"{head}.{fraction}Z";
    }
}
