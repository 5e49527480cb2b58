using Runc.Sharp.Linux.Native;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Launch;

/// <summary>linux.namespaces as clone3 flags (new ones) and paths to join (setns), user first.</summary>
/// <param name="NewCgroupNamespace">Created by the init stage once it is in the container's cgroup, so that cgroup becomes the namespace root.</param>
public sealed record NamespacePlan(ulong CloneFlags, bool NewCgroupNamespace, IReadOnlyList<(string Type, string Path)> Joins)
{
    public static ulong FlagOf(string type) => type switch
    {
        "pid" => Clone.NEWPID,
        "network" => Clone.NEWNET,
        "mount" => Clone.NEWNS,
        "ipc" => Clone.NEWIPC,
        "uts" => Clone.NEWUTS,
        "user" => Clone.NEWUSER,
        "cgroup" => Clone.NEWCGROUP,
        "time" => Clone.NEWTIME,
        _ => throw new RuncsException($"linux.namespaces: unknown namespace \"{type}\""),
    };

    public static NamespacePlan From(RuntimeSpec spec)
    {
        ulong clone = 0;
        bool cgroup = false;
        var joins = new List<(string, string)>();
        foreach (var ns in spec.Linux?.Namespaces ?? [])
        {
            if (!string.IsNullOrEmpty(ns.Path))
                joins.Add((ns.Type!, ns.Path));
            else if (ns.Type == "cgroup")
                cgroup = true;
            else
                clone |= FlagOf(ns.Type!);
        }
        joins.Sort((a, b) => (b.Item1 == "user").CompareTo(a.Item1 == "user"));
        return new NamespacePlan(clone, cgroup, joins);
    }

    /// <summary>The path of the <paramref name="type"/> namespace the config joins, or null where it makes one or none.</summary>
    public static string? JoinedPath(Spec.Linux? linux, string type) =>
        linux?.Namespaces?.FirstOrDefault(n => n.Type == type && !string.IsNullOrEmpty(n.Path))?.Path;

    public bool NewUser => (CloneFlags & Clone.NEWUSER) != 0;
    public bool NewPid => (CloneFlags & Clone.NEWPID) != 0;
}
