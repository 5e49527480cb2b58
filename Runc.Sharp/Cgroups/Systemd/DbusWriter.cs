using System.Buffers.Binary;
using System.Text;

namespace Runc.Sharp.Cgroups.Systemd;

/// <summary>
/// D-Bus wire marshalling, little-endian: each value aligned to its size from the start of
/// the message (the body starts 8-aligned, so offsets from either start align alike).
/// Only the types the systemd calls of runcs need.
/// </summary>
public sealed class DbusWriter
{
    private readonly List<byte> _bytes = [];

    public int Length => _bytes.Count;

    public byte[] ToArray() => [.. _bytes];

    public void Align(int n)
    {
        while (_bytes.Count % n != 0)
            _bytes.Add(0);
    }

    public void Byte(byte b) => _bytes.Add(b);

    public void UInt32(uint v)
    {
        Align(4);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        _bytes.AddRange(b);
    }

    public void UInt64(ulong v)
    {
        Align(8);
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        _bytes.AddRange(b);
    }

    public void Bool(bool v) => UInt32(v ? 1u : 0u);

    /// <summary>A string or an object path: u32 length, UTF-8, NUL.</summary>
    public void String(string s)
    {
        var utf8 = Encoding.UTF8.GetBytes(s);
        UInt32((uint)utf8.Length);
        _bytes.AddRange(utf8);
        _bytes.Add(0);
    }

    public void Signature(string s)
    {
        _bytes.Add((byte)s.Length);
        _bytes.AddRange(Encoding.ASCII.GetBytes(s));
        _bytes.Add(0);
    }

    /// <summary>
    /// An array: its byte length (patched once the elements are written), the padding to the
    /// element's alignment (there even when the array is empty, and not counted), the elements.
    /// </summary>
    public void Array(int elementAlignment, Action elements)
    {
        UInt32(0);
        int lengthAt = _bytes.Count - 4;
        Align(elementAlignment);
        int start = _bytes.Count;
        elements();
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)(_bytes.Count - start));
        for (int i = 0; i < 4; i++)
            _bytes[lengthAt + i] = b[i];
    }

    public void Struct(Action fields)
    {
        Align(8);
        fields();
    }

    public void Variant(string signature, Action value)
    {
        Signature(signature);
        value();
    }
}
