namespace Runc.Sharp.Spec;

/// <summary>mount(2) flag bits, as the kernel defines them.</summary>
[Flags]
public enum MountFlags : ulong
{
    None = 0,
    ReadOnly = 1,
    NoSuid = 2,
    NoDev = 4,
    NoExec = 8,
    Synchronous = 16,
    Remount = 32,
    MandLock = 64,
    DirSync = 128,
    NoSymFollow = 256,
    NoAtime = 1024,
    NoDirAtime = 2048,
    Bind = 4096,
    Move = 8192,
    Rec = 16384,
    Silent = 32768,
    Unbindable = 1 << 17,
    Private = 1 << 18,
    Slave = 1 << 19,
    Shared = 1 << 20,
    RelAtime = 1 << 21,
    IVersion = 1 << 23,
    StrictAtime = 1 << 24,
    LazyTime = 1 << 25,
}

/// <summary>mount_setattr(2) attribute bits, for the recursive (r-prefixed) options.</summary>
[Flags]
public enum MountAttr : ulong
{
    None = 0,
    ReadOnly = 0x1,
    NoSuid = 0x2,
    NoDev = 0x4,
    NoExec = 0x8,
    AtimeMask = 0x70,
    RelAtime = 0x0,
    NoAtime = 0x10,
    StrictAtime = 0x20,
    NoDirAtime = 0x80,
    Idmap = 0x100000,
    NoSymFollow = 0x200000,
}

/// <summary>A mount's option list split the way runc splits it.</summary>
public sealed record ParsedMountOptions(
    MountFlags Set,
    MountFlags Clear,
    IReadOnlyList<MountFlags> Propagation,
    MountAttr RecursiveSet,
    MountAttr RecursiveClear,
    bool TmpCopyUp,
    bool IdMap,
    bool RecursiveIdMap,
    string Data)
{
    public MountFlags Flags => Set & ~Clear;
    /// <summary>An r*atime option was given, so mount_setattr must run even when its bits are 0 (relatime).</summary>
    public bool RecursiveAtime { get; init; }
    public bool IsBind => (Set & MountFlags.Bind) != 0;
    public bool IsRecursiveBind => IsBind && (Set & MountFlags.Rec) != 0;
}

public static class MountOptions
{
    private static readonly Dictionary<string, (bool Clear, MountFlags Flag)> FlagOptions = new()
    {
        ["async"] = (true, MountFlags.Synchronous),
        ["atime"] = (true, MountFlags.NoAtime),
        ["bind"] = (false, MountFlags.Bind),
        ["defaults"] = (false, MountFlags.None),
        ["dev"] = (true, MountFlags.NoDev),
        ["diratime"] = (true, MountFlags.NoDirAtime),
        ["dirsync"] = (false, MountFlags.DirSync),
        ["exec"] = (true, MountFlags.NoExec),
        ["iversion"] = (false, MountFlags.IVersion),
        ["lazytime"] = (false, MountFlags.LazyTime),
        ["loud"] = (true, MountFlags.Silent),
        ["mand"] = (false, MountFlags.MandLock),
        ["noatime"] = (false, MountFlags.NoAtime),
        ["nodev"] = (false, MountFlags.NoDev),
        ["nodiratime"] = (false, MountFlags.NoDirAtime),
        ["noexec"] = (false, MountFlags.NoExec),
        ["noiversion"] = (true, MountFlags.IVersion),
        ["nolazytime"] = (true, MountFlags.LazyTime),
        ["nomand"] = (true, MountFlags.MandLock),
        ["norelatime"] = (true, MountFlags.RelAtime),
        ["nostrictatime"] = (true, MountFlags.StrictAtime),
        ["nosuid"] = (false, MountFlags.NoSuid),
        ["nosymfollow"] = (false, MountFlags.NoSymFollow),
        ["rbind"] = (false, MountFlags.Bind | MountFlags.Rec),
        ["relatime"] = (false, MountFlags.RelAtime),
        ["remount"] = (false, MountFlags.Remount),
        ["ro"] = (false, MountFlags.ReadOnly),
        ["rw"] = (true, MountFlags.ReadOnly),
        ["silent"] = (false, MountFlags.Silent),
        ["strictatime"] = (false, MountFlags.StrictAtime),
        ["suid"] = (true, MountFlags.NoSuid),
        ["symfollow"] = (true, MountFlags.NoSymFollow),
        ["sync"] = (false, MountFlags.Synchronous),
    };

    private static readonly Dictionary<string, MountFlags> PropagationOptions = new()
    {
        ["private"] = MountFlags.Private,
        ["rprivate"] = MountFlags.Private | MountFlags.Rec,
        ["shared"] = MountFlags.Shared,
        ["rshared"] = MountFlags.Shared | MountFlags.Rec,
        ["slave"] = MountFlags.Slave,
        ["rslave"] = MountFlags.Slave | MountFlags.Rec,
        ["unbindable"] = MountFlags.Unbindable,
        ["runbindable"] = MountFlags.Unbindable | MountFlags.Rec,
    };

    private static readonly Dictionary<string, (bool Clear, MountAttr Attr)> RecursiveOptions = new()
    {
        ["rro"] = (false, MountAttr.ReadOnly),
        ["rrw"] = (true, MountAttr.ReadOnly),
        ["rnosuid"] = (false, MountAttr.NoSuid),
        ["rsuid"] = (true, MountAttr.NoSuid),
        ["rnodev"] = (false, MountAttr.NoDev),
        ["rdev"] = (true, MountAttr.NoDev),
        ["rnoexec"] = (false, MountAttr.NoExec),
        ["rexec"] = (true, MountAttr.NoExec),
        ["rnodiratime"] = (false, MountAttr.NoDirAtime),
        ["rdiratime"] = (true, MountAttr.NoDirAtime),
        ["rrelatime"] = (false, MountAttr.RelAtime),
        ["rnorelatime"] = (true, MountAttr.RelAtime),
        ["rnoatime"] = (false, MountAttr.NoAtime),
        ["ratime"] = (true, MountAttr.NoAtime),
        ["rstrictatime"] = (false, MountAttr.StrictAtime),
        ["rnostrictatime"] = (true, MountAttr.StrictAtime),
        ["rnosymfollow"] = (false, MountAttr.NoSymFollow),
        ["rsymfollow"] = (true, MountAttr.NoSymFollow),
    };

    /// <summary>Every option name runcs gives meaning to (reported by `features`).</summary>
    public static IEnumerable<string> KnownNames =>
        FlagOptions.Keys.Concat(PropagationOptions.Keys).Concat(RecursiveOptions.Keys)
            .Concat(["tmpcopyup", "idmap", "ridmap"]).Order(StringComparer.Ordinal);

    public static ParsedMountOptions Parse(Mount mount)
    {
        MountFlags set = 0, clear = 0;
        MountAttr rset = 0, rclear = 0;
        var propagation = new List<MountFlags>();
        var data = new List<string>();
        bool copyUp = false, idmap = false, ridmap = false, atimeChosen = false;
        if (mount.Type == "bind")
            set |= MountFlags.Bind;
        foreach (var option in mount.Options ?? [])
        {
            if (option is null)
                continue;
            if (FlagOptions.TryGetValue(option, out var f))
            {
                if (f.Clear) { clear |= f.Flag; set &= ~f.Flag; }
                else { set |= f.Flag; clear &= ~f.Flag; }
            }
            else if (PropagationOptions.TryGetValue(option, out var p))
                propagation.Add(p);
            else if (RecursiveOptions.TryGetValue(option, out var r))
            {
                if (r.Attr is MountAttr.RelAtime or MountAttr.NoAtime or MountAttr.StrictAtime)
                {
                    // The atime mode is one field: any choice rewrites all of it (the kernel
                    // wants the whole mask cleared), and clearing a mode means the default.
                    rclear |= MountAttr.AtimeMask;
                    rset = (rset & ~MountAttr.AtimeMask) | (r.Clear ? MountAttr.RelAtime : r.Attr);
                    atimeChosen = true;
                }
                else if (r.Clear)
                {
                    rclear |= r.Attr;
                    rset &= ~r.Attr;
                }
                else
                {
                    rset |= r.Attr;
                    rclear &= ~r.Attr;
                }
            }
            else if (option == "tmpcopyup") copyUp = true;
            else if (option == "idmap") idmap = true;
            else if (option == "ridmap") { idmap = true; ridmap = true; }
            else data.Add(option);
        }
        if (mount.UidMappings is { Count: > 0 })
            idmap = true;
        return new ParsedMountOptions(set, clear, propagation, rset, rclear, copyUp, idmap, ridmap, string.Join(',', data))
        {
            RecursiveAtime = atimeChosen,
        };
    }

    public static bool IsBind(Mount mount) => Parse(mount).IsBind;
}
