using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Mounts;
using Runc.Sharp.Linux.Process;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Launch.Init;

/// <summary>Builds the container's filesystem view: mounts, /dev, hooks before the root switch, then the switch.</summary>
public static class RootfsSetup
{
    public static void Prepare(InitConfig c, InitChannel channel)
    {
        var spec = c.Spec;
        if (!c.HostMountNamespace)
        {
            // Nothing mounted from here on may propagate back to the host.
            var propagation = PropagationFlag(spec.Linux?.RootfsPropagation) ?? (MountFlags.Slave | MountFlags.Rec);
            SysCall.Mount(null, "/", null, (ulong)propagation, null, "propagation of / (linux.rootfsPropagation)");
            // pivot_root refuses shared mounts around the new root: bind it from a private parent (runc's order).
            if (!c.NoPivot)
                RootSwitch.MakeParentMountPrivate(c.Rootfs);
        }
        SysCall.Mount(c.Rootfs, c.Rootfs, null, (ulong)(MountFlags.Bind | MountFlags.Rec), null, $"bind rootfs {c.Rootfs} (root.path)");

        using (var root = new RootDir(c.Rootfs))
        {
            var ctx = new MountContext(c.Bundle, c.NewUserNamespace, c.PrivateCgroupNamespace, c.CgroupSources,
                c.IdMapFds.ToDictionary(f => f.Mount, f => f.Fd),
                c.NewUserNamespace ? request => BindSourceFromParent(channel, request) : null);
            var mounts = spec.Mounts ?? [];
            for (int i = 0; i < mounts.Count; i++)
                MountApplier.Apply(root, ReadonlyDev(mounts[i]) ? mounts[i] with { Options = mounts[i].Options!.Where(o => o != "ro").ToList() } : mounts[i], i, ctx);
            bool devFromHost = mounts.Any(m => "/" + m.Destination?.Trim('/') == "/dev" && MountOptions.Parse(m).IsBind);
            if (!devFromHost)
            {
                foreach (var (device, what) in DeviceNodes.Plan(spec.Linux?.Devices))
                    DeviceNodes.Create(root, device, what, bindFromHost: c.NewUserNamespace);
                DeviceNodes.CreateSymlinks(root);
            }
        }

        if (HookPhases.Of(spec.Hooks, HookPhases.Prestart).Count + HookPhases.Of(spec.Hooks, HookPhases.CreateRuntime).Count > 0)
        {
            channel.Send(MessageType.RunHooks);
            var reply = channel.Receive();
            if (reply is not { Type: MessageType.HooksDone })
                throw new ParentGone();
        }
        var createContainer = HookPhases.Of(spec.Hooks, HookPhases.CreateContainer);
        for (int i = 0; i < createContainer.Count; i++)
            HookProcess.Run(createContainer[i], HookPhases.CreateContainer, i, c.HookState, cwd: c.Rootfs);
    }

    /// <summary>The init's half of <see cref="BindSources"/>: ask, then take the tree; an Error reply means the parent reports it.</summary>
    private static FileDescriptor BindSourceFromParent(InitChannel channel, BindSourceRequest request)
    {
        channel.Send(MessageType.MountSourceRequest, BindSources.Encode(request));
        if (channel.Receive() is not { Type: MessageType.MountSourceFollows })
            throw new ParentGone();
        return new FileDescriptor(UnixSocket.RecvFd(channel.Fd.Value, $"bind source {request.Source} from runcs"));
    }

    public static void SwitchRoot(InitConfig c)
    {
        if (c.HostMountNamespace)
        {
            RootSwitch.Chroot(c.Rootfs);
            return;
        }
        if (c.NoPivot)
            RootSwitch.MoveAndChroot(c.Rootfs);
        else
            RootSwitch.PivotRoot(c.Rootfs);
        // A shared rootfsPropagation is applied to the new root once pivot_root is done.
        if (PropagationFlag(c.Spec.Linux?.RootfsPropagation) is { } p && p.HasFlag(MountFlags.Shared))
            SysCall.Mount(null, "/", null, (ulong)p, null, "propagation of the container's / (linux.rootfsPropagation)");
    }

    /// <summary>After the console is attached: root.readonly, and a read-only /dev.</summary>
    public static void Finalize(RuntimeSpec spec)
    {
        if (spec.Root?.Readonly == true)
            MountApplier.Remount("/", MountFlags.ReadOnly, "/ (root.readonly)");
        var mounts = spec.Mounts ?? [];
        for (int i = 0; i < mounts.Count; i++)
        {
            if (ReadonlyDev(mounts[i]))
                MountApplier.Remount("/dev", MountFlags.ReadOnly, $"/dev (mounts[{i}])");
        }
    }

    /// <summary>
    /// A /dev mounted "ro" is mounted writable and made read-only once its nodes, links and the
    /// console are in (runc's finalizeRootfs): nothing could be created in it otherwise.
    /// </summary>
    private static bool ReadonlyDev(Mount m) =>
        "/" + m.Destination?.Trim('/') == "/dev" && m.Options?.Contains("ro") == true && !MountOptions.Parse(m).IsBind;

    public static void ProtectPaths(RuntimeSpec spec)
    {
        using var root = new RootDir("/");
        var ro = spec.Linux?.ReadonlyPaths ?? [];
        for (int i = 0; i < ro.Count; i++)
            PathProtection.MakeReadonly(root, ro[i], $"linux.readonlyPaths[{i}]");
        var masked = spec.Linux?.MaskedPaths ?? [];
        FileDescriptor? sharedTmpfs = null;
        try
        {
            for (int i = 0; i < masked.Count; i++)
                PathProtection.Mask(root, masked[i], $"linux.maskedPaths[{i}]", ref sharedTmpfs);
        }
        finally
        {
            sharedTmpfs?.Dispose();
        }
    }

    private static MountFlags? PropagationFlag(string? value) => value switch
    {
        "private" => MountFlags.Private,
        "rprivate" => MountFlags.Private | MountFlags.Rec,
        "slave" => MountFlags.Slave,
        "rslave" => MountFlags.Slave | MountFlags.Rec,
        "shared" => MountFlags.Shared,
        "rshared" => MountFlags.Shared | MountFlags.Rec,
        "unbindable" => MountFlags.Unbindable,
        "runbindable" => MountFlags.Unbindable | MountFlags.Rec,
        _ => null,
    };
}
