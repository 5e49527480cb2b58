using System.Globalization;
using System.Text;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Launch;

/// <summary>Writes a new user namespace's uid_map and gid_map from the parent.</summary>
public static class IdMaps
{
    public static void Write(int pid, Spec.Linux linux, bool denySetgroups) =>
        Write(pid, linux.UidMappings, linux.GidMappings, denySetgroups, "linux");

    /// <param name="what">The config element the mappings come from ("linux", "mounts[3]").</param>
    public static void Write(int pid, IReadOnlyList<IdMapping>? uids, IReadOnlyList<IdMapping>? gids, bool denySetgroups, string what)
    {
        var p = pid.ToString(CultureInfo.InvariantCulture);
        WriteMap($"/proc/{p}/uid_map", uids, $"{what}.uidMappings");
        if (denySetgroups)
            WriteFile($"/proc/{p}/setgroups", "deny", "setgroups");
        WriteMap($"/proc/{p}/gid_map", gids, $"{what}.gidMappings");
    }

    private static void WriteMap(string path, IReadOnlyList<IdMapping>? maps, string what)
    {
        var sb = new StringBuilder();
        foreach (var m in maps ?? [])
            sb.Append(CultureInfo.InvariantCulture, $"{m.ContainerID} {m.HostID} {m.Size}\n");
        WriteFile(path, sb.ToString(), what);
    }

    private static void WriteFile(string path, string text, string what)
    {
        try
        {
            File.WriteAllText(path, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RuncsException($"write {path} ({what}): {e.Message}");
        }
    }

    /// <summary>The maps of <paramref name="pid"/>'s user namespace, from /proc (a joined namespace's, whose config has none).</summary>
    public static IReadOnlyList<IdMapping> OfProcess(int pid, string map) =>
        File.ReadAllLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/{map}")
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 3)
            .Select(f => new IdMapping { ContainerID = uint.Parse(f[0], CultureInfo.InvariantCulture), HostID = uint.Parse(f[1], CultureInfo.InvariantCulture), Size = uint.Parse(f[2], CultureInfo.InvariantCulture) })
            .ToList();

    /// <summary>The host id that container id 0 maps to (for chowning exec.fifo), or the id itself.</summary>
    public static uint HostIdOfRoot(IReadOnlyList<IdMapping>? maps, uint fallback)
    {
        foreach (var m in maps ?? [])
        {
            if (m.ContainerID == 0 && m.Size > 0)
                return m.HostID;
        }
        return fallback;
    }
}
