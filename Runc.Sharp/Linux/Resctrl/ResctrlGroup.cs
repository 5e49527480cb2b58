using System.Globalization;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Linux.Resctrl;

/// <summary>
/// linux.intelRdt through the resctrl filesystem, as runc does it: the container's process
/// goes into a CLOS group (linux.intelRdt.closID's, or one named after the container), the
/// schemata lines are written to it, and with enableMonitoring into a monitoring group of its
/// own. A group named by closID is someone else's: delete removes only what runcs made.
/// </summary>
/// <param name="ClosDir">The CLOS group's directory.</param>
/// <param name="MonDir">The monitoring group's (enableMonitoring), or null.</param>
/// <param name="Schemata">The lines for the group's schemata file ("" for none).</param>
/// <param name="Owned">Whether the CLOS group is the container's own (no closID): delete removes it.</param>
public sealed record ResctrlGroup(string ClosDir, string? MonDir, string Schemata, bool Owned)
{
    /// <summary>The group for <paramref name="rdt"/>, or null without linux.intelRdt; <paramref name="root"/> is where resctrl is mounted (null: nowhere).</summary>
    public static ResctrlGroup? Plan(IntelRdt? rdt, string id, string? root)
    {
        if (rdt is null)
            return null;
        if (root is null)
            throw new ConfigError($"{SpecReader.ConfigFileName}: linux.intelRdt: Intel RDT is not available on this host (no resctrl filesystem is mounted)");
        var clos = string.IsNullOrEmpty(rdt.ClosID) ? id : rdt.ClosID;
        if (clos is "." or ".." || clos.Contains('/') || clos.Contains('\n'))
            throw new ConfigError($"{SpecReader.ConfigFileName}: linux.intelRdt.closID: invalid CLOS name \"{rdt.ClosID}\"");
        var closDir = Path.Combine(root, clos);
        var lines = new[] { rdt.L3CacheSchema, rdt.MemBwSchema }.Concat(rdt.Schemata ?? []).Where(l => !string.IsNullOrEmpty(l));
        return new ResctrlGroup(
            closDir,
            rdt.EnableMonitoring ? Path.Combine(closDir, "mon_groups", id) : null,
            string.Concat(lines.Select(l => l + "\n")),
            Owned: string.IsNullOrEmpty(rdt.ClosID));
    }

    /// <summary>The directories delete removes, deepest first: the container's own CLOS group (its monitoring groups go with it), or only its monitoring group.</summary>
    public IReadOnlyList<string> OwnedDirs => Owned ? [ClosDir] : MonDir is { } mon ? [mon] : [];

    /// <summary>Puts <paramref name="pid"/> in the groups and writes the schemata (runc's Apply, then Set).</summary>
    public void Apply(int pid)
    {
        if (!Owned && Schemata.Length == 0 && !Directory.Exists(ClosDir))
            throw new RuncsException($"linux.intelRdt.closID: clos dir not accessible (must be pre-created when schemata, l3CacheSchema and memBwSchema are empty): {ClosDir}: no such file or directory");
        var pidText = pid.ToString(CultureInfo.InvariantCulture);
        MakeAndJoin(ClosDir, pidText);
        if (MonDir is { } mon)
            MakeAndJoin(mon, pidText);
        if (Schemata.Length > 0)
            Write(Path.Combine(ClosDir, "schemata"), Schemata, $"linux.intelRdt: unable to write {Schemata.TrimEnd('\n').Replace('\n', ';')}");
    }

    /// <summary>An exec joins the container's CLOS group, where it still exists (runc's setns process).</summary>
    public void Join(int pid)
    {
        if (Directory.Exists(ClosDir))
            Write(Path.Combine(ClosDir, "tasks"), pid.ToString(CultureInfo.InvariantCulture), $"linux.intelRdt: unable to add pid {pid} to {ClosDir}");
    }

    /// <summary>Removes <see cref="OwnedDirs"/>; one that is gone already is fine.</summary>
    public static void Destroy(IReadOnlyList<string> dirs)
    {
        foreach (var dir in dirs)
        {
            try
            {
                Directory.Delete(dir);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    private void MakeAndJoin(string dir, string pid)
    {
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (IOException e)
        {
            throw new RuncsException($"linux.intelRdt: mkdir {dir}: {e.Message}{LastCommandStatus()}");
        }
        Write(Path.Combine(dir, "tasks"), pid, $"linux.intelRdt: unable to add pid {pid} to {dir}");
    }

    private void Write(string file, string text, string what)
    {
        try
        {
            File.WriteAllText(file, text);
        }
        catch (IOException e)
        {
            throw new RuncsException($"{what}: {e.Message}{LastCommandStatus()}");
        }
    }

    /// <summary>resctrl says why it refused a write in info/last_cmd_status; runc appends it.</summary>
    private string LastCommandStatus()
    {
        var status = Path.Combine(Path.GetDirectoryName(ClosDir)!, "info", "last_cmd_status");
        return File.Exists(status) ? $", last_cmd_status: {File.ReadAllText(status).Trim()}" : "";
    }

    /// <summary>Where resctrl is mounted, from mountinfo lines; null if nowhere.</summary>
    public static string? Root(IEnumerable<string> mountInfo) =>
        mountInfo.Select(MountInfoLine.Parse).FirstOrDefault(m => m?.FsType == "resctrl")?.MountPoint;

    public static string? HostRoot() => Root(File.ReadLines("/proc/self/mountinfo"));
}
