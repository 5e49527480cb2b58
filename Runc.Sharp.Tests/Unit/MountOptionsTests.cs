using NUnit.Framework;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Tests.Unit;

public class MountOptionsTests
{
    private static ParsedMountOptions Parse(string? type, params string[] options) =>
        MountOptions.Parse(new Mount { Destination = "/m", Type = type, Options = options });

    [Test]
    public void FlagsAreSet()
    {
        var p = Parse("tmpfs", "nosuid", "nodev", "noexec", "ro", "strictatime");
        Assert.That(p.Flags, Is.EqualTo(MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec | MountFlags.ReadOnly | MountFlags.StrictAtime));
        Assert.That(p.Clear, Is.EqualTo(MountFlags.None));
        Assert.That(p.IsBind, Is.False);
    }

    [Test]
    public void LaterOptionWins()
    {
        var roThenRw = Parse("tmpfs", "ro", "rw");
        Assert.That(roThenRw.Flags & MountFlags.ReadOnly, Is.EqualTo(MountFlags.None));
        Assert.That(roThenRw.Clear & MountFlags.ReadOnly, Is.EqualTo(MountFlags.ReadOnly));

        var rwThenRo = Parse("tmpfs", "rw", "ro");
        Assert.That(rwThenRo.Flags & MountFlags.ReadOnly, Is.EqualTo(MountFlags.ReadOnly));
        Assert.That(rwThenRo.Clear & MountFlags.ReadOnly, Is.EqualTo(MountFlags.None));

        Assert.That(Parse("tmpfs", "nosuid", "suid").Flags, Is.EqualTo(MountFlags.None));
        Assert.That(Parse("tmpfs", "exec", "noexec").Flags, Is.EqualTo(MountFlags.NoExec));
    }

    [Test]
    public void BindAndRbind()
    {
        var bind = Parse("none", "bind");
        Assert.That(bind.IsBind, Is.True);
        Assert.That(bind.IsRecursiveBind, Is.False);

        var rbind = Parse("none", "rbind", "ro");
        Assert.That(rbind.IsBind, Is.True);
        Assert.That(rbind.IsRecursiveBind, Is.True);
        Assert.That(rbind.Flags, Is.EqualTo(MountFlags.Bind | MountFlags.Rec | MountFlags.ReadOnly));
    }

    [Test]
    public void BindTypeImpliesBind()
    {
        Assert.That(Parse("bind").IsBind, Is.True);
        Assert.That(Parse("bind").IsRecursiveBind, Is.False);
        Assert.That(MountOptions.IsBind(new Mount { Destination = "/m", Type = "bind" }), Is.True);
        Assert.That(MountOptions.IsBind(new Mount { Destination = "/m", Type = "tmpfs" }), Is.False);
        Assert.That(MountOptions.IsBind(new Mount { Destination = "/m" }), Is.False);
    }

    [Test]
    public void PropagationIsKeptInOrder()
    {
        var p = Parse("bind", "rprivate", "shared", "rslave", "unbindable");
        Assert.That(p.Propagation, Is.EqualTo(new[]
        {
            MountFlags.Private | MountFlags.Rec, MountFlags.Shared, MountFlags.Slave | MountFlags.Rec, MountFlags.Unbindable,
        }));
        Assert.That(p.Flags, Is.EqualTo(MountFlags.Bind), "propagation is applied separately, not with the mount flags");
        Assert.That(p.Data, Is.Empty);
    }

    [Test]
    public void RecursiveAttributes()
    {
        var p = Parse("bind", "rro", "rnosuid", "rnodev", "rnoexec", "rnosymfollow");
        Assert.That(p.RecursiveSet, Is.EqualTo(MountAttr.ReadOnly | MountAttr.NoSuid | MountAttr.NoDev | MountAttr.NoExec | MountAttr.NoSymFollow));
        Assert.That(p.RecursiveClear, Is.EqualTo(MountAttr.None));
        Assert.That(p.Flags, Is.EqualTo(MountFlags.Bind), "rro is not the ro mount flag");

        var clear = Parse("bind", "rrw", "rexec");
        Assert.That(clear.RecursiveClear, Is.EqualTo(MountAttr.ReadOnly | MountAttr.NoExec));
        Assert.That(clear.RecursiveSet, Is.EqualTo(MountAttr.None));
    }

    // As with the plain flags, the later of two opposite options wins (runc clears the
    // other side). mount_setattr applies attr_set after attr_clr, so a bit left in both
    // would make "rro,rrw" read-only.
    [Test]
    public void RecursiveLaterOptionWins()
    {
        var roThenRw = Parse("bind", "rro", "rrw");
        Assert.That(roThenRw.RecursiveSet & MountAttr.ReadOnly, Is.EqualTo(MountAttr.None));
        Assert.That(roThenRw.RecursiveClear & MountAttr.ReadOnly, Is.EqualTo(MountAttr.ReadOnly));

        var rwThenRo = Parse("bind", "rrw", "rro");
        Assert.That(rwThenRo.RecursiveSet & MountAttr.ReadOnly, Is.EqualTo(MountAttr.ReadOnly));
        Assert.That(rwThenRo.RecursiveClear & MountAttr.ReadOnly, Is.EqualTo(MountAttr.None));
    }

    // MOUNT_ATTR_RELATIME is 0, so "rrelatime" can only be expressed by clearing the atime
    // field; runc records that as attr_clr |= MOUNT_ATTR__ATIME. Without it the option is lost.
    [Test]
    public void RecursiveRelatimeIsNotDropped()
    {
        var p = Parse("bind", "rrelatime");
        Assert.That(p.RecursiveClear & MountAttr.AtimeMask, Is.EqualTo(MountAttr.AtimeMask));
    }

    [Test]
    public void DataOptionsAreJoinedInOrder()
    {
        var p = Parse("tmpfs", "nosuid", "mode=755", "strictatime", "size=65536k");
        Assert.That(p.Data, Is.EqualTo("mode=755,size=65536k"));
        Assert.That(Parse("devpts", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5").Data,
            Is.EqualTo("newinstance,ptmxmode=0666,mode=0620,gid=5"));
        Assert.That(Parse("tmpfs").Data, Is.Empty);
    }

    [Test]
    public void CopyUpAndIdmap()
    {
        Assert.That(Parse("tmpfs", "tmpcopyup").TmpCopyUp, Is.True);
        Assert.That(Parse("tmpfs", "tmpcopyup").Data, Is.Empty);
        var idmap = Parse("bind", "idmap");
        Assert.That((idmap.IdMap, idmap.RecursiveIdMap), Is.EqualTo((true, false)));
        var ridmap = Parse("bind", "ridmap");
        Assert.That((ridmap.IdMap, ridmap.RecursiveIdMap), Is.EqualTo((true, true)));
        var mapped = MountOptions.Parse(new Mount
        {
            Destination = "/m", Type = "bind",
            UidMappings = [new IdMapping { Size = 1 }], GidMappings = [new IdMapping { Size = 1 }],
        });
        Assert.That(mapped.IdMap, Is.True, "mappings imply an id-mapped mount");
    }

    [Test]
    public void NoOptions()
    {
        var p = MountOptions.Parse(new Mount { Destination = "/proc", Type = "proc" });
        Assert.That((p.Set, p.Clear, p.Propagation.Count, p.RecursiveSet, p.RecursiveClear, p.Data),
            Is.EqualTo((MountFlags.None, MountFlags.None, 0, MountAttr.None, MountAttr.None, "")));
    }

    [Test]
    public void KnownNames()
    {
        var names = MountOptions.KnownNames.ToList();
        Assert.That(names, Does.Contain("rro").And.Contain("rbind").And.Contain("nosymfollow"));
        Assert.That(names, Does.Contain("tmpcopyup").And.Contain("idmap").And.Contain("ridmap").And.Contain("rprivate"));
        Assert.That(names, Is.Unique);
        Assert.That(names, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(names, Does.Not.Contain("mode=755"));
    }

    [Test]
    public void EveryKnownNameIsInterpreted()
    {
        foreach (var name in MountOptions.KnownNames)
        {
            // "defaults" means nothing by design, runc's "rnorelatime" clears MOUNT_ATTR_RELATIME (0),
            // and "rrelatime" has its own test above.
            if (name is "defaults" or "rnorelatime" or "rrelatime")
                continue;
            var p = Parse("none", name);
            bool meaningful = p.Set != 0 || p.Clear != 0 || p.Propagation.Count > 0 || p.RecursiveSet != 0
                || p.RecursiveClear != 0 || p.TmpCopyUp || p.IdMap;
            Assert.That(p.Data, Is.Empty, name);
            Assert.That(meaningful, Is.True, $"{name} has no effect");
        }
    }
}
