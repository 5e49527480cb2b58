namespace Runc.Sharp.Cgroups.Resources;

/// <summary>An <see cref="ICgroupProbe"/> over a container's real cgroup directories (hierarchy → directory).</summary>
public sealed class DirectoryProbe(IReadOnlyDictionary<string, string> paths) : ICgroupProbe
{
    public bool Exists(string hierarchy, string file) =>
        paths.TryGetValue(hierarchy, out var dir) && File.Exists(Path.Combine(dir, file));

    public string? Read(string hierarchy, string file) =>
        paths.TryGetValue(hierarchy, out var dir) ? CgroupFiles.TryRead(dir, file) : null;
}
