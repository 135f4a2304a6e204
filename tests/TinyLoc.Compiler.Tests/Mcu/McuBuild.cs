using System;
using System.Collections.Generic;
using System.Linq;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>
/// A linked test program: the generated model, the driver and the startup code, built for one
/// <see cref="McuTarget"/>, with the numbers the tests compare against the compiler's report.
/// </summary>
/// <param name="Target">The microcontroller.</param>
/// <param name="ModelName">The model's name (its symbol prefix).</param>
/// <param name="Folder">The build folder (sources, objects, ELF, map).</param>
/// <param name="Elf">The program.</param>
/// <param name="Map">The parsed linker map.</param>
/// <param name="Calls">The model object's functions, their stack frames and calls (gcc <c>-fcallgraph-info=su</c>).</param>
/// <param name="ElfSize">text, data and bss of the whole program, from the target's <c>size</c> tool.</param>
/// <param name="FitsPart">True when the program linked into the part's memory as the script describes
/// (256 KB flash for the STM32L4 script); false when it needed the emulated board's bigger memory.</param>
public sealed record McuBuild(
    McuTarget Target,
    string ModelName,
    string Folder,
    string Elf,
    LinkerMap Map,
    StackCallGraph Calls,
    (long Text, long Data, long Bss) ElfSize,
    bool FitsPart)
{
    private HashSet<string>? _libraryMembers;

    /// <summary>The file name of the model's object in the map.</summary>
    public const string ModelObject = "model.o";

    /// <summary>
    /// The symbols the model's object uses without defining (<c>nm -u</c>): library functions and compiler
    /// helpers it calls, whether or not the driver pulled them into the image first.
    /// </summary>
    public IReadOnlyList<string> ModelUndefinedSymbols { get; init; } = [];

    /// <summary>The model's sections in the image (after <c>--gc-sections</c>).</summary>
    public IEnumerable<MapSection> ModelSections => Map.From(ModelObject);

    /// <summary>
    /// The library members (libgcc, libc) the model needs: those its references pulled into the image, and
    /// theirs in turn. The model object is linked first, so the map names it for every member it needs, even
    /// one the driver uses too. Empty on Cortex-M4 (a test proves it); rv32's soft-float routines otherwise.
    /// </summary>
    public IReadOnlySet<string> ModelLibraryMembers => _libraryMembers ??= LibraryClosure();

    /// <summary>The flash sections of the library members the model needs (<see cref="ModelLibraryMembers"/>).</summary>
    public IEnumerable<MapSection> ModelLibrarySections =>
        Map.Sections.Where(s => LinkerMap.IsFlash(s.OutputSection) && ModelLibraryMembers.Contains(s.File));

    /// <summary>
    /// Flash taken by the model: its code, constants and tables (text + rodata, and any .data image), and the
    /// library code it needs (<see cref="ModelLibrarySections"/>).
    /// </summary>
    public long ModelFlashBytes => ModelSections.Where(s => LinkerMap.IsFlash(s.OutputSection)).Sum(s => s.Size) + ModelLibrarySections.Sum(s => s.Size);

    /// <summary>Code bytes of the model alone (its .text sections).</summary>
    public long ModelCodeBytes => ModelSections.Where(s => s.OutputSection == ".text").Sum(s => s.Size);

    /// <summary>Static RAM taken by the model: its .data and .bss (the arena, and anything else it defines).</summary>
    public long ModelStaticRamBytes => ModelSections.Where(s => LinkerMap.IsRam(s.OutputSection)).Sum(s => s.Size);

    /// <summary>The stack frame of <c>NAME_predict</c> alone.</summary>
    public int PredictFrameBytes => Calls.Frame(ModelName + "_predict");

    /// <summary>The deepest stack of a <c>NAME_predict</c> call: its frame plus the deepest chain of calls it makes.</summary>
    public int PredictStackBytes => Calls.Deepest(ModelName + "_predict");

    /// <summary>The deepest stack of a <c>NAME_classify</c> call (which calls predict), or of predict for regressors.</summary>
    public int ApiStackBytes => Math.Max(PredictStackBytes, Calls.Deepest(ModelName + "_classify"));

    private HashSet<string> LibraryClosure()
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var referrers = new Queue<string>([ModelObject]);
        while (referrers.TryDequeue(out string? file))
        {
            // The model is named by its file name, a member by the whole "archive(member)" the map spells.
            foreach (var m in Map.ArchiveMembers.Where(m => m.ReferencedBy == file || System.IO.Path.GetFileName(m.ReferencedBy) == file))
            {
                if (needed.Add(m.Member))
                {
                    referrers.Enqueue(m.Member);
                }
            }
        }

        return needed;
    }

    /// <summary>A readable list of the model's sections, for failure messages.</summary>
    public string DescribeModelSections() =>
        string.Join("\n", ModelSections.Concat(ModelLibrarySections).Select(s => $"  {s.OutputSection,-8} {s.Name} {s.Size} B {System.IO.Path.GetFileName(s.File)}"));
}
