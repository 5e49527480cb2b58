using System.Buffers.Binary;
using System.Text;

namespace Runc.Sharp.Linux.Network;

/// <summary>
/// linux.netDevices as runc 1.4 moves them: the host's device is set down, moved into the
/// container's network namespace and renamed there in one request, then given back its
/// permanent addresses of global scope (a move drops them; the MTU stays) and set up. When
/// the namespace ends the kernel returns a physical device to the host and deletes a
/// virtual one.
/// </summary>
public static class NetDevices
{
    private const ushort IflaIfname = 3, IflaNetNsFd = 28, IfaAddress = 1, IfaLocal = 2, IfaBroadcast = 4, IfaFlags = 8;
    private const uint IffUp = 1, IfaFPermanent = 0x80;
    private const byte ScopeUniverse = 0, AfInet = 2;

    private sealed record Address(byte Family, byte PrefixLength, byte[] Local);

    /// <summary>Moves host device <paramref name="name"/> into the network namespace <paramref name="netnsFd"/>, as <paramref name="newName"/> (null: the same name).</summary>
    public static void Move(string name, string? newName, int netnsFd, string what)
    {
        var target = string.IsNullOrEmpty(newName) ? name : newName;
        int index = IndexOnHost(name, what);
        List<Address> addresses;
        using (var host = Netlink.Open())
        {
            host.Request(Netlink.NewLink, LinkMessage(index, 0, IffUp), $"set {name} down ({what})");
            addresses = PermanentGlobalAddresses(host, index, what);
            host.Request(Netlink.NewLink,
                [.. LinkMessage(index, 0, 0), .. Netlink.Attribute(IflaIfname, Name(target)), .. Netlink.Attribute(IflaNetNsFd, BitConverter.GetBytes(netnsFd))],
                $"move {name} into the container's network namespace as {target} ({what})");
        }
        using var inside = Netlink.OpenIn(netnsFd, $"the container's network namespace ({what})");
        // A name with %d is the kernel's to complete; the device then keeps its index, where free.
        byte[] query = target.Contains("%d", StringComparison.Ordinal) ? LinkMessage(index, 0, 0) : [.. LinkMessage(0, 0, 0), .. Netlink.Attribute(IflaIfname, Name(target))];
        var reply = inside.Get(Netlink.GetLink, query, Netlink.NewLink, $"find {target} in the container ({what})");
        int moved = BinaryPrimitives.ReadInt32LittleEndian(reply.AsSpan(4));
        foreach (var a in addresses)
            inside.Request(Netlink.NewAddr, AddressMessage(a, moved), $"add an address to {target} ({what})", create: true);
        inside.Request(Netlink.NewLink, LinkMessage(moved, IffUp, IffUp), $"set {target} up ({what})");
    }

    private static int IndexOnHost(string name, string what)
    {
        var file = $"/sys/class/net/{name}/ifindex";
        if (!File.Exists(file))
            throw new RuncsException($"{what}: link not found for interface {name} on runtime namespace");
        return int.Parse(File.ReadAllText(file).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static List<Address> PermanentGlobalAddresses(Netlink host, int index, string what)
    {
        var found = new List<Address>();
        // struct ifaddrmsg: family, prefixlen, flags, scope, index.
        foreach (var m in host.Dump(Netlink.GetAddr, new byte[8], Netlink.NewAddr, $"list addresses ({what})"))
        {
            if (BinaryPrimitives.ReadInt32LittleEndian(m.AsSpan(4)) != index || m[3] != ScopeUniverse)
                continue;
            uint flags = m[2];
            byte[]? local = null, address = null;
            foreach (var (type, data) in Netlink.Attributes(m, 8))
            {
                if (type == IfaFlags && data.Length >= 4) flags = BinaryPrimitives.ReadUInt32LittleEndian(data);
                else if (type == IfaLocal) local = data;
                else if (type == IfaAddress) address = data;
            }
            if ((flags & IfaFPermanent) != 0 && (local ?? address) is { } ip)
                found.Add(new Address(m[0], m[1], ip));
        }
        return found;
    }

    /// <summary>struct ifinfomsg: family, pad, type, index, flags, change.</summary>
    private static byte[] LinkMessage(int index, uint flags, uint change)
    {
        var m = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(m.AsSpan(4), index);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(8), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(12), change);
        return m;
    }

    /// <summary>The address as `ip address add` gives it: local and address the same, an IPv4 broadcast below /31.</summary>
    private static byte[] AddressMessage(Address a, int index)
    {
        var header = new byte[8];
        header[0] = a.Family;
        header[1] = a.PrefixLength;
        header[3] = ScopeUniverse;
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), index);
        var attrs = new List<byte>(Netlink.Attribute(IfaLocal, a.Local));
        attrs.AddRange(Netlink.Attribute(IfaAddress, a.Local));
        if (a.Family == AfInet && a.PrefixLength < 31)
        {
            uint ip = BinaryPrimitives.ReadUInt32BigEndian(a.Local);
            uint broadcast = ip | (a.PrefixLength == 0 ? uint.MaxValue : uint.MaxValue >> a.PrefixLength);
            var b = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(b, broadcast);
            attrs.AddRange(Netlink.Attribute(IfaBroadcast, b));
        }
        return [.. header, .. attrs];
    }

    private static byte[] Name(string name) => [.. Encoding.UTF8.GetBytes(name), 0];
}
