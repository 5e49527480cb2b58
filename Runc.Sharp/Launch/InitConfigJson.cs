using System.Buffers;
using System.Text.Json;
using Runc.Sharp.Linux.Mounts;
using Runc.Sharp.Spec;
using Runc.Sharp.Spec.Codec;
using static Runc.Sharp.Spec.Codec.JsonIn;

namespace Runc.Sharp.Launch;

/// <summary>
/// The parent → init configuration message, written and read without the serializer's
/// metadata (whose construction for the spec's type graph was ~4 ms in each process).
/// Only runcs writes this document, so the reader refuses anything it does not expect.
/// </summary>
internal static class InitConfigJson
{
    public static byte[] Encode(InitConfig c)
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id"u8, c.Id);
            w.WriteString("bundle"u8, c.Bundle);
            w.WriteString("rootfs"u8, c.Rootfs);
            w.WritePropertyName("spec"u8);
            SpecEncoder.Write(w, c.Spec);
            w.WriteNumber("hostPid"u8, c.HostPid);
            w.WriteBoolean("exec"u8, c.Exec);
            w.WriteBoolean("debug"u8, c.Debug);
            w.WriteBoolean("noPivot"u8, c.NoPivot);
            w.WriteBoolean("hostMountNamespace"u8, c.HostMountNamespace);
            w.WriteBoolean("noNewKeyring"u8, c.NoNewKeyring);
            w.WriteNumber("consoleSocketFd"u8, c.ConsoleSocketFd);
            w.WriteNumber("fifoFd"u8, c.FifoFd);
            w.WriteNumber("seccompFd"u8, c.SeccompFd);
            w.WriteNumber("extraFds"u8, c.ExtraFds);
            w.WriteBoolean("newUserNamespace"u8, c.NewUserNamespace);
            w.WriteBoolean("privateCgroupNamespace"u8, c.PrivateCgroupNamespace);
            w.WriteStartArray("cgroupSources"u8);
            foreach (var s in c.CgroupSources)
            {
                w.WriteStartObject();
                w.WriteString("name"u8, s.Name);
                w.WriteString("fsType"u8, s.FsType);
                w.WriteString("options"u8, s.Options);
                w.WriteString("hostDir"u8, s.HostDir);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("idMapFds"u8);
            foreach (var f in c.IdMapFds)
            {
                w.WriteStartObject();
                w.WriteNumber("mount"u8, f.Mount);
                w.WriteNumber("fd"u8, f.Fd);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("hookState"u8, c.HookState);
            JsonOut.Strings(w, "extraEnv"u8, c.ExtraEnv);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static InitConfig Decode(ReadOnlySpan<byte> json) =>
        Document(json, Read) ?? throw new RuncsException("init: the configuration from the parent is malformed");

    private static InitConfig Read(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartObject)
            throw new NotDecoded();
        var c = new InitConfig { Id = "", Bundle = "", Rootfs = "", Spec = new RuntimeSpec() };
        HashSet<string>? seen = null;
        while (Next(ref r) != JsonTokenType.EndObject)
        {
            var name = Name(ref r, ref seen);
            Next(ref r);
            c = name switch
            {
                "id" => c with { Id = String(ref r) },
                "bundle" => c with { Bundle = String(ref r) },
                "rootfs" => c with { Rootfs = String(ref r) },
                "spec" => c with { Spec = SpecDecoder.RuntimeSpec(ref r) },
                "hostPid" => c with { HostPid = Int32(ref r) },
                "exec" => c with { Exec = Bool(ref r) },
                "debug" => c with { Debug = Bool(ref r) },
                "noPivot" => c with { NoPivot = Bool(ref r) },
                "hostMountNamespace" => c with { HostMountNamespace = Bool(ref r) },
                "noNewKeyring" => c with { NoNewKeyring = Bool(ref r) },
                "consoleSocketFd" => c with { ConsoleSocketFd = Int32(ref r) },
                "fifoFd" => c with { FifoFd = Int32(ref r) },
                "seccompFd" => c with { SeccompFd = Int32(ref r) },
                "extraFds" => c with { ExtraFds = Int32(ref r) },
                "newUserNamespace" => c with { NewUserNamespace = Bool(ref r) },
                "privateCgroupNamespace" => c with { PrivateCgroupNamespace = Bool(ref r) },
                "cgroupSources" => c with { CgroupSources = List(ref r, CgroupSource)! },
                "idMapFds" => c with { IdMapFds = List(ref r, IdMapFd)! },
                "hookState" => c with { HookState = String(ref r) },
                "extraEnv" => c with { ExtraEnv = Strings(ref r)! },
                _ => throw new NotDecoded(),
            };
        }
        // The four members without a default: a message without them is not one runcs wrote.
        return seen is { } s && s.Contains("id") && s.Contains("bundle") && s.Contains("rootfs") && s.Contains("spec")
            ? c
            : throw new NotDecoded();
    }

    private static CgroupMountSource CgroupSource(ref Utf8JsonReader r)
    {
        var fields = StringMembers(ref r, "name", "fsType", "options", "hostDir");
        return new CgroupMountSource(fields[0], fields[1], fields[2], fields[3]);
    }

    private static IdMapFd IdMapFd(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartObject)
            throw new NotDecoded();
        int mount = -1, fd = -1;
        while (Next(ref r) != JsonTokenType.EndObject)
        {
            var name = r.GetString();
            Next(ref r);
            if (name == "mount")
                mount = Int32(ref r);
            else if (name == "fd")
                fd = Int32(ref r);
            else
                throw new NotDecoded();
        }
        return mount >= 0 && fd >= 0 ? new IdMapFd(mount, fd) : throw new NotDecoded();
    }

    /// <summary>An object of exactly these string members, in any order.</summary>
    private static string[] StringMembers(ref Utf8JsonReader r, params ReadOnlySpan<string> names)
    {
        if (r.TokenType != JsonTokenType.StartObject)
            throw new NotDecoded();
        var values = new string?[names.Length];
        while (Next(ref r) != JsonTokenType.EndObject)
        {
            var i = names.IndexOf(r.GetString()!);
            if (i < 0 || values[i] is not null)
                throw new NotDecoded();
            Next(ref r);
            values[i] = String(ref r);
        }
        return Array.ConvertAll(values, v => v ?? throw new NotDecoded());
    }
}
