namespace Runc.Sharp.Cgroups.Resources;

/// <summary>One value to write into one cgroup file; Hierarchy is a v1 controller or "" for cgroup2.</summary>
/// <param name="RetryAfterNext">
/// Two files that limit each other (a period and its quota or runtime): when the kernel refuses
/// this one with EINVAL, the next write goes first and this one is written again after it (runc's rule).
/// </param>
public readonly record struct CgroupWrite(string Hierarchy, string File, string Value, bool RetryAfterNext = false)
{
    public override string ToString() => $"{(Hierarchy.Length == 0 ? "unified" : Hierarchy)}/{File} = {Value}";
}

/// <summary>What a plan may ask about the live cgroup (files present, current values).</summary>
public interface ICgroupProbe
{
    bool Exists(string hierarchy, string file);
    string? Read(string hierarchy, string file);
}
