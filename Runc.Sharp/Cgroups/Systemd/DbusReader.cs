using System.Buffers.Binary;
using System.Text;

namespace Runc.Sharp.Cgroups.Systemd;

/// <summary>Reads D-Bus little-endian values at their alignments; a malformed message is a <see cref="RuncsException"/>.</summary>
public sealed class DbusReader(byte[] bytes, int offset = 0)
{
    private int _at = offset;

    public int Position => _at;

    public void Align(int n) => _at = (_at + n - 1) / n * n;

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n < 0 || _at + n > bytes.Length)
            throw new RuncsException("systemd: malformed D-Bus message (truncated)");
        var span = bytes.AsSpan(_at, n);
        _at += n;
        return span;
    }

    public byte Byte() => Take(1)[0];

    public uint UInt32()
    {
        Align(4);
        return BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
    }

    public ulong UInt64()
    {
        Align(8);
        return BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
    }

    public string String()
    {
        int n = checked((int)UInt32());
        var s = Encoding.UTF8.GetString(Take(n));
        Take(1);
        return s;
    }

    public string Signature()
    {
        int n = Byte();
        var s = Encoding.ASCII.GetString(Take(n));
        Take(1);
        return s;
    }

    /// <summary>Skips one value of a single complete type, for header fields runcs does not read.</summary>
    public void Skip(string signature)
    {
        int i = 0;
        SkipOne(signature, ref i);
    }

    private void SkipOne(string sig, ref int i)
    {
        char c = sig[i++];
        switch (c)
        {
            case 'y': Byte(); break;
            case 'b' or 'u' or 'i': UInt32(); break;
            case 't' or 'x': UInt64(); break;
            case 's' or 'o': String(); break;
            case 'g': Signature(); break;
            case 'v': Skip(Signature()); break;
            case 'a':
            {
                int n = checked((int)UInt32());
                Align(AlignmentOf(sig[i]));
                int end = _at + n;
                SkipType(sig, ref i);
                _at = end <= bytes.Length ? end : throw new RuncsException("systemd: malformed D-Bus message (array)");
                break;
            }
            case '(' or '{':
                Align(8);
                while (sig[i] is not (')' or '}'))
                    SkipOne(sig, ref i);
                i++;
                break;
            default:
                throw new RuncsException($"systemd: D-Bus type '{c}' not understood");
        }
    }

    private static int AlignmentOf(char c) => c switch
    {
        '(' or '{' or 't' or 'x' => 8,
        'b' or 'u' or 'i' or 's' or 'o' or 'a' => 4,
        _ => 1,
    };

    /// <summary>Moves <paramref name="i"/> past one complete type of the signature, reading no data.</summary>
    private static void SkipType(string sig, ref int i)
    {
        char c = sig[i++];
        if (c == 'a')
            SkipType(sig, ref i);
        else if (c is '(' or '{')
        {
            while (sig[i] is not (')' or '}'))
                SkipType(sig, ref i);
            i++;
        }
    }
}
