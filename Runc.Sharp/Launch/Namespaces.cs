using Runc.Sharp.Linux.Native;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Launch;

/// <summary>linux.namespaces as clone3 flags (new ones) and paths to join (setns), user first.</summary>
public sealed record NamespacePlan(ulong CloneFlags, ulong UnshareAfterRelease, IReadOnlyList<(string Type, string Path)> Joins)
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
        ulong clone = 0, after = 0;
        var joins = new List<(string, string)>();
        foreach (var ns in spec.Linux?.Namespaces ?? [])
        {
            if (!string.IsNullOrEmpty(ns.Path))
                joins.Add((ns.Type!, ns.Path));
            else if (ns.Type == "cgroup")
                // After the parent has placed the child in its cgroup, so that it becomes the namespace root.
                after |= Clone.NEWCGROUP;
            else
                clone |= FlagOf(ns.Type!);
        }
        joins.Sort((a, b) => (b.Item1 == "user").CompareTo(a.Item1 == "user"));
        return new NamespacePlan(clone, after, joins);
    }

    public bool NewUser => (CloneFlags & Clone.NEWUSER) != 0;
    public bool NewPid => (CloneFlags & Clone.NEWPID) != 0;
}
