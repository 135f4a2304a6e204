using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>One input section placed by the linker: <c>.rodata.uji_mlp_n1_l0_w</c> from <c>model.o</c> in <c>.rodata</c>.</summary>
/// <param name="OutputSection">The output section it went into (<c>.text</c>, <c>.rodata</c>, <c>.data</c>, <c>.bss</c>, ...).</param>
/// <param name="Name">The input section's name.</param>
/// <param name="Address">Its address.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="File">The object or archive member it came from, as the map spells it.</param>
public sealed record MapSection(string OutputSection, string Name, long Address, long Size, string File);

/// <summary>An archive member the linker pulled in, and the file and symbol that made it do so.</summary>
/// <param name="Member">The member, e.g. <c>.../libgcc.a(_arm_muldf3.o)</c>.</param>
/// <param name="ReferencedBy">The file whose reference pulled it in.</param>
/// <param name="Symbol">The symbol referenced.</param>
public sealed record MapArchiveMember(string Member, string ReferencedBy, string Symbol);

/// <summary>
/// The parts of a GNU ld map file (<c>-Wl,-Map=FILE</c>) the report-honesty tests need: every input
/// section kept in the image (name, output section, address, size, source file), and the "Archive
/// member included to satisfy reference by file (symbol)" table, which proves what pulled library code in.
/// </summary>
public sealed partial class LinkerMap
{
    private LinkerMap(IReadOnlyList<MapSection> sections, IReadOnlyList<MapArchiveMember> members)
    {
        Sections = sections;
        ArchiveMembers = members;
    }

    /// <summary>Every allocated input section with a non-zero size, in map order.</summary>
    public IReadOnlyList<MapSection> Sections { get; }

    /// <summary>Every archive member the link pulled in.</summary>
    public IReadOnlyList<MapArchiveMember> ArchiveMembers { get; }

    /// <summary>Reads and parses a map file.</summary>
    /// <param name="path">The map file.</param>
    public static LinkerMap Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Parses the text of a map file.</summary>
    /// <param name="text">The map.</param>
    public static LinkerMap Parse(string text)
    {
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var members = new List<MapArchiveMember>();
        var sections = new List<MapSection>();
        int i = 0;

        // "Archive member included to satisfy reference by file (symbol)": a member at column 0, then
        // (on the same line after spaces, or on the next, indented) "file (symbol)".
        while (i < lines.Length && !lines[i].StartsWith("Archive member included", StringComparison.Ordinal))
        {
            i++;
        }

        for (i++; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.StartsWith("Discarded input sections", StringComparison.Ordinal)
                || line.StartsWith("Allocating common symbols", StringComparison.Ordinal)
                || line.StartsWith("Memory Configuration", StringComparison.Ordinal))
            {
                break;
            }

            if (line.Length == 0 || char.IsWhiteSpace(line[0]))
            {
                continue;
            }

            string member = line;
            string reference = string.Empty;
            int gap = line.IndexOf("  ", StringComparison.Ordinal);
            if (gap > 0)
            {
                member = line[..gap];
                reference = line[gap..].Trim();
            }
            else if (i + 1 < lines.Length && lines[i + 1].Length > 0 && char.IsWhiteSpace(lines[i + 1][0]))
            {
                reference = lines[++i].Trim();
            }

            var m = Reference().Match(reference);
            members.Add(m.Success
                ? new MapArchiveMember(member.Trim(), m.Groups[1].Value, m.Groups[2].Value)
                : new MapArchiveMember(member.Trim(), reference, string.Empty));
        }

        while (i < lines.Length && !lines[i].StartsWith("Linker script and memory map", StringComparison.Ordinal))
        {
            i++;
        }

        string output = string.Empty;
        for (i++; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            if (!char.IsWhiteSpace(line[0]))
            {
                // An output section (".text  0x00000000  0x3a10") or a directive (LOAD, OUTPUT, ...).
                output = line.StartsWith('.') ? line.Split(' ', 2)[0] : string.Empty;
                continue;
            }

            // An input section: " .name  0xADDR  0xSIZE file", or " .name" alone with the rest on the next line.
            if (line.Length < 2 || line[0] != ' ' || char.IsWhiteSpace(line[1]) || output.Length == 0)
            {
                continue;
            }

            string rest = line[1..];
            string name = rest.Split(' ', 2)[0];
            string tail = rest[name.Length..];
            bool wrapped = tail.Trim().Length == 0;
            if (wrapped)
            {
                if (i + 1 >= lines.Length)
                {
                    continue;
                }

                tail = lines[i + 1];
            }

            var s = SectionTail().Match(tail);
            if (!s.Success)
            {
                continue;
            }

            if (wrapped)
            {
                i++;
            }

            long size = long.Parse(s.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size > 0 && name != "*fill*")
            {
                long address = long.Parse(s.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                sections.Add(new MapSection(output, name, address, size, s.Groups[3].Value.Trim()));
            }
        }

        return new LinkerMap(sections, members);
    }

    /// <summary>The sections that came from the object file named <paramref name="objectFileName"/> (matched on the file name).</summary>
    /// <param name="objectFileName">E.g. <c>model.o</c>.</param>
    public IEnumerable<MapSection> From(string objectFileName) =>
        Sections.Where(s => string.Equals(Path.GetFileName(s.File), objectFileName, StringComparison.Ordinal));

    /// <summary>The archive members pulled in by a reference from <paramref name="objectFileName"/>.</summary>
    /// <param name="objectFileName">E.g. <c>model.o</c>.</param>
    public IEnumerable<MapArchiveMember> PulledInBy(string objectFileName) =>
        ArchiveMembers.Where(m => string.Equals(Path.GetFileName(m.ReferencedBy), objectFileName, StringComparison.Ordinal));

    /// <summary>True for an output section that occupies flash: code, constants, tables (and the load image of <c>.data</c>).</summary>
    /// <param name="outputSection">An output section name.</param>
    public static bool IsFlash(string outputSection) => outputSection is ".isr_vector" or ".text" or ".rodata" or ".ARM.extab" or ".ARM.exidx" or ".init_array" or ".data" or ".tdata";

    /// <summary>True for an output section that occupies RAM statically: <c>.data</c>, <c>.bss</c> (and TLS).</summary>
    /// <param name="outputSection">An output section name.</param>
    public static bool IsRam(string outputSection) => outputSection is ".data" or ".bss" or ".tdata" or ".tbss";

    [GeneratedRegex(@"^(\S.*?)\s+\(([^()]*)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();

    [GeneratedRegex(@"^\s+0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+)\s+(\S.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex SectionTail();
}
