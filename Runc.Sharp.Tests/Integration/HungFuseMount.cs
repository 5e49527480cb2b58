using Microsoft.Win32.SafeHandles;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// A FUSE mount whose daemon never answers, not even the kernel's INIT request: every lookup
/// below it waits in the kernel, in state D, until its process is killed or the connection
/// closes. Closing the device on dispose aborts the connection, so nothing stays stuck.
/// </summary>
public sealed class HungFuseMount : IDisposable
{
    private const ulong MS_NOSUID = 2, MS_NODEV = 4;
    private const int MNT_DETACH = 2;
    private readonly SafeFileHandle _device;

    public HungFuseMount(string path)
    {
        Path = path;
        Directory.CreateDirectory(path);
        _device = File.OpenHandle("/dev/fuse", FileMode.Open, FileAccess.ReadWrite);
        var options = $"fd={_device.DangerousGetHandle()},rootmode=40000,user_id=0,group_id=0";
        var rc = Linux.Native.Libc.mount("runcs-hung", path, "fuse", MS_NOSUID | MS_NODEV, options);
        Assert.That(rc, Is.Zero, $"mount fuse on {path}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }

    public string Path { get; }

    public void Dispose()
    {
        _device.Dispose();
        Linux.Native.Libc.umount2(Path, MNT_DETACH);
    }
}
