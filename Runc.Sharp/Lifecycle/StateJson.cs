using System.Buffers;
using System.Text;
using System.Text.Json;
using Runc.Sharp.Spec;
using Runc.Sharp.Spec.Codec;
using static Runc.Sharp.Spec.Codec.JsonIn;
using static Runc.Sharp.Spec.Codec.JsonOut;

namespace Runc.Sharp.Lifecycle;

/// <summary>
/// state.json and the OCI state documents, over Utf8JsonReader/Writer: the serializer's
/// metadata for these records cost ~1.5 ms of each state, start, delete and exec. The bytes
/// are those the serializer wrote before (camelCase, nulls left out, ISO 8601 times), so a
/// state.json from an earlier runcs still reads; unknown members are skipped, as it did.
/// </summary>
internal static class StateJson
{
    public static byte[] Encode(ContainerState s) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("id"u8, s.Id);
        w.WriteNumber("initPid"u8, s.InitPid);
        w.WriteNumber("initStartTime"u8, s.InitStartTime);
        w.WriteString("created"u8, s.Created);
        w.WriteString("bundle"u8, s.Bundle);
        w.WriteString("rootfs"u8, s.Rootfs);
        w.WriteString("ociVersion"u8, s.OciVersion);
        StringMap(w, "annotations"u8, s.Annotations);
        Obj(w, "hooks"u8, s.Hooks, SpecEncoder.Write);
        StringMap(w, "cgroupPaths"u8, s.CgroupPaths);
        Strings(w, "preexistingCgroups"u8, s.PreexistingCgroups);
        Strings(w, "hostMounts"u8, s.HostMounts);
        w.WriteBoolean("systemdCgroup"u8, s.SystemdCgroup);
        w.WriteBoolean("noPivot"u8, s.NoPivot);
        w.WriteBoolean("noNewKeyring"u8, s.NoNewKeyring);
        w.WriteBoolean("rootless"u8, s.Rootless);
        w.WriteBoolean("sharedPidNamespace"u8, s.SharedPidNamespace);
        w.WriteBoolean("creating"u8, s.Creating);
        Ints(w, "hostMountsBefore"u8, s.HostMountsBefore);
        Strings(w, "resctrlDirs"u8, s.ResctrlDirs);
        w.WriteEndObject();
    }, indented: false);

    private static void Ints(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<int>? values)
    {
        if (values is null)
            return;
        w.WriteStartArray(name);
        foreach (var v in values)
            w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static IReadOnlyList<int> Ints(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartArray)
            throw new NotDecoded();
        var list = new List<int>();
        while (Next(ref r) != JsonTokenType.EndArray)
            list.Add(Int32(ref r));
        return list;
    }

    /// <summary>The state document, or null when the bytes are not one.</summary>
    public static ContainerState? TryDecode(ReadOnlySpan<byte> json) => Document(json, ReadState);

    private static ContainerState ReadState(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartObject)
            throw new NotDecoded();
        var s = new ContainerState { Id = "", Created = default, Bundle = "", Rootfs = "", OciVersion = "" };
        var required = 0;
        HashSet<string>? seen = null;
        while (Next(ref r) != JsonTokenType.EndObject)
        {
            var name = Name(ref r, ref seen);
            Next(ref r);
            switch (name)
            {
                case "id": s = s with { Id = String(ref r) }; required++; break;
                case "initPid": s = s with { InitPid = Int32(ref r) }; break;
                case "initStartTime": s = s with { InitStartTime = UInt64(ref r) }; break;
                case "created": s = s with { Created = r.TokenType == JsonTokenType.String && r.TryGetDateTime(out var t) ? t : throw new NotDecoded() }; required++; break;
                case "bundle": s = s with { Bundle = String(ref r) }; required++; break;
                case "rootfs": s = s with { Rootfs = String(ref r) }; required++; break;
                case "ociVersion": s = s with { OciVersion = String(ref r) }; required++; break;
                case "annotations": s = s with { Annotations = StringMap(ref r) }; break;
                case "hooks": s = s with { Hooks = SpecDecoder.Hooks(ref r) }; break;
                case "cgroupPaths": s = s with { CgroupPaths = StringMap(ref r) }; break;
                case "preexistingCgroups": s = s with { PreexistingCgroups = Strings(ref r) }; break;
                case "hostMounts": s = s with { HostMounts = Strings(ref r) }; break;
                case "systemdCgroup": s = s with { SystemdCgroup = Bool(ref r) }; break;
                case "noPivot": s = s with { NoPivot = Bool(ref r) }; break;
                case "noNewKeyring": s = s with { NoNewKeyring = Bool(ref r) }; break;
                case "rootless": s = s with { Rootless = Bool(ref r) }; break;
                case "sharedPidNamespace": s = s with { SharedPidNamespace = Bool(ref r) }; break;
                case "creating": s = s with { Creating = Bool(ref r) }; break;
                case "hostMountsBefore": s = s with { HostMountsBefore = Ints(ref r) }; break;
                case "resctrlDirs": s = s with { ResctrlDirs = Strings(ref r) }; break;
                default: r.Skip(); break;
            }
        }
        return required == 5 ? s : throw new NotDecoded();
    }

    /// <summary>
    /// In runc's field order. Indented as Go's json.MarshalIndent(v, "", "  ") for `state`;
    /// compact for the hooks' stdin.
    /// </summary>
    public static string Text(OciState s, bool indented) => Encoding.UTF8.GetString(Write(w => Write(w, s), indented));

    /// <summary>`list --format json`.</summary>
    public static string Text(IReadOnlyList<OciState> states) => Encoding.UTF8.GetString(Write(w =>
    {
        w.WriteStartArray();
        foreach (var s in states)
            Write(w, s);
        w.WriteEndArray();
    }, indented: false));

    /// <summary>`ps --format json`.</summary>
    public static string Text(IReadOnlyList<int> pids) => Encoding.UTF8.GetString(Write(w =>
    {
        w.WriteStartArray();
        foreach (var pid in pids)
            w.WriteNumberValue(pid);
        w.WriteEndArray();
    }, indented: false));

    private static void Write(Utf8JsonWriter w, OciState s)
    {
        w.WriteStartObject();
        w.WriteString("ociVersion"u8, s.OciVersion);
        w.WriteString("id"u8, s.Id);
        w.WriteNumber("pid"u8, s.Pid);
        w.WriteString("status"u8, s.Status);
        w.WriteString("bundle"u8, s.Bundle);
        w.WriteString("rootfs"u8, s.Rootfs);
        w.WriteString("created"u8, s.Created);
        StringMap(w, "annotations"u8, s.Annotations);
        w.WriteString("owner"u8, s.Owner);
        w.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> write, bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
            write(w);
        return buffer.WrittenSpan.ToArray();
    }
}
