namespace Runc.Sharp.Cgroups.Resources;

/// <summary>One value to write into one cgroup file; Hierarchy is a v1 controller or "" for cgroup2.</summary>
public readonly record struct CgroupWrite(string Hierarchy, string File, string Value)
{
    public override string ToString() => $"{(Hierarchy.Length == 0 ? "unified" : Hierarchy)}/{File} = {Value}";
}

/// <summary>What a plan may ask about the live cgroup (files present, current values).</summary>
public interface ICgroupProbe
{
    bool Exists(string hierarchy, string file);
    string? Read(string hierarchy, string file);
}
