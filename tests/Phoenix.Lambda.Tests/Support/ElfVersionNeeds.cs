using System.Buffers.Binary;
using System.Text;

namespace Phoenix.Lambda.Tests.Support;

/// <summary>One versioned symbol requirement of an ELF binary: the library and the version it asks for.</summary>
public sealed record VersionNeed(string File, string Version);

/// <summary>
/// Reads the GNU version-needs section (SHT_GNU_verneed, ".gnu.version_r") of a 64-bit little-endian ELF file: the
/// symbol versions the dynamic loader must find, e.g. libc.so.6 / GLIBC_2.34. Read directly so the check needs no
/// binutils on the machine running the tests.
/// </summary>
public static class ElfVersionNeeds
{
    private const uint ShtGnuVerneed = 0x6ffffffe;

    public static IReadOnlyList<VersionNeed> Read(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException($"{path} is not an ELF file.");
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file (class {elf[4]}, data {elf[5]}).");
        }

        var span = elf.AsSpan();
        var sectionHeaders = checked((int)U64(span, 0x28));
        var sectionHeaderSize = U16(span, 0x3A);
        var sectionCount = U16(span, 0x3C);
        var needs = new List<VersionNeed>();
        for (var i = 0; i < sectionCount; i++)
        {
            var header = sectionHeaders + (i * sectionHeaderSize);
            if (U32(span, header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            var offset = checked((int)U64(span, header + 0x18));
            var strings = sectionHeaders + ((int)U32(span, header + 0x28) * sectionHeaderSize);
            var stringTable = checked((int)U64(span, strings + 0x18));
            var entries = U32(span, header + 0x2C);
            for (var entry = 0; entry < entries; entry++)
            {
                var count = U16(span, offset + 2);
                var file = CString(span, stringTable + (int)U32(span, offset + 4));
                var aux = offset + (int)U32(span, offset + 8);
                for (var j = 0; j < count; j++)
                {
                    needs.Add(new VersionNeed(file, CString(span, stringTable + (int)U32(span, aux + 8))));
                    aux += (int)U32(span, aux + 12);
                }

                offset += (int)U32(span, offset + 12);
            }
        }

        return needs;
    }

    /// <summary>Parses GLIBC_2.34 as 2.34; null for other version names.</summary>
    public static Version? GlibcVersion(VersionNeed need)
    {
        ArgumentNullException.ThrowIfNull(need);
        return need.Version.StartsWith("GLIBC_", StringComparison.Ordinal) && Version.TryParse(need.Version["GLIBC_".Length..], out var version)
            ? version
            : null;
    }

    private static ushort U16(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt16LittleEndian(data[at..]);

    private static uint U32(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt32LittleEndian(data[at..]);

    private static ulong U64(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt64LittleEndian(data[at..]);

    private static string CString(ReadOnlySpan<byte> data, int at)
    {
        var length = data[at..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(data.Slice(at, length));
    }
}
