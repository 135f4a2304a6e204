using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Tests.Shared;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>
/// Cross-compiles a compiled model for a <see cref="McuTarget"/>: emits the target's files, writes the
/// driver (<see cref="McuDriverWriter"/>), compiles model, driver and the project's startup code with
/// the target's flags, and links them with the project's linker script and a map file.
/// </summary>
/// <remarks>
/// A program that does not fit the part (the STM32L4 script's 256 KB of flash) is linked again with
/// the emulated board's 4 MB (<c>--defsym=tl_flash_bytes</c>) so it can still run; the build says so in
/// <see cref="McuBuild.FitsPart"/>. Build folders live until the test process exits; a failed build
/// keeps its folder (the path is in the exception) for inspection.
/// </remarks>
public static class McuBuilder
{
    /// <summary>The emulated board's code memory, for programs bigger than the part.</summary>
    public const long BoardFlashBytes = 4L * 1024 * 1024;

    private static readonly TimeSpan CompileTimeout = TimeSpan.FromMinutes(15);

    private static readonly ConcurrentBag<ScratchDirectory> Folders = [];

    static McuBuilder() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var folder in Folders)
        {
            folder.Dispose();
        }
    };

    /// <summary>Builds the program and returns it with its sizes; throws <see cref="HarnessException"/> on a tool failure.</summary>
    /// <param name="compilation">A successful compilation.</param>
    /// <param name="target">The microcontroller.</param>
    /// <param name="inputs">The inputs the driver runs (at least one).</param>
    /// <param name="label">A readable prefix for the build folder.</param>
    /// <param name="modelFlags">Extra flags for compiling the model's C (e.g. <c>-DTINYLOC_NO_DSP</c>), or null.</param>
    public static McuBuild Build(Compilation compilation, McuTarget target, float[][] inputs, string label, IReadOnlyList<string>? modelFlags = null)
    {
        McuToolchain.Require(target);
        var files = compilation.Emit(target.EmitTarget)
            ?? throw new HarnessException($"emitting target '{target.EmitTarget}' failed:\n{string.Join("\n", compilation.Diagnostics.Items)}");
        string name = compilation.Manifest!.Name;
        bool classify = compilation.Manifest.Output.IsClassification;

        var scratch = ScratchDirectory.Create($"mcu-{target.Name}-{label}");
        string dir = scratch.Path;
        foreach (var f in files)
        {
            string p = Path.Combine(dir, "model", f.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(p)!);
            File.WriteAllText(p, f.Content);
        }

        string source = Path.Combine(dir, "model", files.Single(f => Path.GetFileName(f.Path) == name + ".c").Path);
        string includeDir = Path.GetDirectoryName(Path.Combine(dir, "model", files.Single(f => Path.GetFileName(f.Path) == name + ".h").Path))!;
        return BuildSources(target, scratch, name, source, includeDir, inputs, classify, modelFlags);
    }

    /// <summary>
    /// Builds a program from a model's C already written into <paramref name="scratch"/>: the driver
    /// (<see cref="McuDriverWriter"/>), the startup code and the model's source, compiled and linked as
    /// <see cref="Build"/> does. The model's header (<c>NAME.h</c> in <paramref name="includeDir"/>) must
    /// give what the driver uses: <c>NAME_predict</c> and the <c>INPUT_COUNT</c> / <c>OUTPUT_COUNT</c> macros.
    /// </summary>
    /// <param name="target">The microcontroller.</param>
    /// <param name="scratch">The build folder, holding the model's files; kept on failure, removed when the process exits.</param>
    /// <param name="name">The model's name (its symbol prefix).</param>
    /// <param name="source">The model's C file.</param>
    /// <param name="includeDir">The folder of <c>NAME.h</c>.</param>
    /// <param name="inputs">The inputs the driver runs (at least one).</param>
    /// <param name="classify">Whether the driver also calls <c>NAME_classify</c>.</param>
    /// <param name="modelFlags">Extra flags for compiling the model's C, or null.</param>
    public static McuBuild BuildSources(McuTarget target, ScratchDirectory scratch, string name, string source, string includeDir, float[][] inputs, bool classify, IReadOnlyList<string>? modelFlags = null)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        McuToolchain.Require(target);
        string dir = scratch.Path;
        string include = "-I" + includeDir;
        File.WriteAllText(Path.Combine(dir, "main.c"), McuDriverWriter.Write(name, inputs, classify));

        Compile(target, dir, Path.Combine(McuTarget.HarnessFolder, target.StartupSource), "startup.o", []);
        Compile(target, dir, Path.Combine(dir, "main.c"), "main.o", [include]);
        Compile(target, dir, source, McuBuild.ModelObject, [include, "-fcallgraph-info=su", .. modelFlags ?? []]);

        bool fits = true;
        var link = Link(target, dir, null);
        if (!link.Succeeded && (link.StandardError.Contains("overflowed", StringComparison.Ordinal) || link.StandardError.Contains("will not fit", StringComparison.Ordinal)))
        {
            fits = false;
            link = Link(target, dir, BoardFlashBytes);
        }

        if (!link.Succeeded)
        {
            throw new HarnessException($"Linking for {target.Name} failed (files kept in {dir}).\n{link.Describe()}", dir);
        }

        string elf = Path.Combine(dir, "prog.elf");
        var size = Size(target, elf);
        var map = LinkerMap.Load(Path.Combine(dir, "prog.map"));
        var calls = StackCallGraph.Load(Path.Combine(dir, Path.ChangeExtension(McuBuild.ModelObject, ".ci")));
        var undefined = Run(target.Nm, ["-u", McuBuild.ModelObject], dir, "nm").StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])
            .ToList();
        Folders.Add(scratch);
        scratch.MarkSucceeded();
        return new McuBuild(target, name, dir, elf, map, calls, size, fits) { ModelUndefinedSymbols = undefined };
    }

    /// <summary>
    /// Builds a program of the caller's own C files (an example's firmware with its model and runtime) with the
    /// project's startup code and linker script and the target's flags: each source compiled to an object named
    /// after it, linked into <c>prog.elf</c> with a map (<c>prog.map</c>), <paramref name="libraries"/> after the
    /// target's own. Returns the ELF's path.
    /// </summary>
    /// <param name="target">The microcontroller.</param>
    /// <param name="dir">The build folder.</param>
    /// <param name="sources">The C files.</param>
    /// <param name="includeDirs">Folders on the include path.</param>
    /// <param name="libraries">Extra link flags after the objects, e.g. <c>-lm</c>.</param>
    public static string BuildProgram(McuTarget target, string dir, IReadOnlyList<string> sources, IReadOnlyList<string> includeDirs, IReadOnlyList<string> libraries)
    {
        McuToolchain.Require(target);
        var includes = includeDirs.Select(d => "-I" + d).ToList();
        Compile(target, dir, Path.Combine(McuTarget.HarnessFolder, target.StartupSource), "startup.o", []);
        var objects = new List<string> { "startup.o" };
        foreach (string source in sources)
        {
            string obj = Path.GetFileNameWithoutExtension(source) + ".o";
            Compile(target, dir, source, obj, includes);
            objects.Add(obj);
        }

        var link = Link(target, dir, null, objects, libraries);
        if (!link.Succeeded)
        {
            throw new HarnessException($"Linking for {target.Name} failed (files kept in {dir}).\n{link.Describe()}", dir);
        }

        return Path.Combine(dir, "prog.elf");
    }

    /// <summary>The size of <paramref name="symbol"/> in <paramref name="elf"/> (the target's <c>nm -S</c>).</summary>
    /// <param name="target">The microcontroller.</param>
    /// <param name="elf">The program.</param>
    /// <param name="symbol">A symbol, static or global.</param>
    public static long SymbolSize(McuTarget target, string elf, string symbol) => NmField(target, elf, symbol, sizes: true);

    /// <summary>The address of <paramref name="symbol"/> in <paramref name="elf"/> (from the target's <c>nm</c>).</summary>
    /// <param name="target">The microcontroller.</param>
    /// <param name="elf">The program.</param>
    /// <param name="symbol">A global symbol.</param>
    public static long SymbolAddress(McuTarget target, string elf, string symbol) => NmField(target, elf, symbol, sizes: false);

    /// <summary>Text (which counts rodata), data and bss of an object or program (the target's Berkeley <c>size</c>).</summary>
    /// <param name="target">The microcontroller.</param>
    /// <param name="file">An object file or a program.</param>
    public static (long Text, long Data, long Bss) Size(McuTarget target, string file) =>
        ParseSize(Run(target.Size, [file], Path.GetDirectoryName(file)!, "size").StandardOutput);

    /// <summary>
    /// A symbol's hex field from the target's <c>nm</c>: its size (<c>nm -S</c>: address, size, type, name) or its
    /// address (<c>nm</c>: address, type, name).
    /// </summary>
    private static long NmField(McuTarget target, string elf, string symbol, bool sizes)
    {
        var nm = Run(target.Nm, sizes ? ["-S", elf] : [elf], Path.GetDirectoryName(elf)!, "nm");
        foreach (string line in nm.StandardOutput.Split('\n'))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == (sizes ? 4 : 3) && parts[^1] == symbol)
            {
                return long.Parse(parts[sizes ? 1 : 0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }

        throw new HarnessException($"symbol '{symbol}' not found in {elf}");
    }

    private static void Compile(McuTarget target, string dir, string source, string output, IReadOnlyList<string> extra)
    {
        var args = new List<string>(target.CompileFlags);
        args.AddRange(extra);
        args.AddRange(["-c", source, "-o", Path.Combine(dir, output)]);
        var r = ProcessRunner.Run(target.Gcc, args, dir, CompileTimeout);
        if (!r.Succeeded || r.StandardError.Length > 0)
        {
            throw new HarnessException($"Compiling {Path.GetFileName(source)} for {target.Name} failed (files kept in {dir}).\n{r.Describe()}", dir);
        }
    }

    private static ProcessResult Link(McuTarget target, string dir, long? flashBytes) =>
        // The model first: the linker then resolves the model's library references before the driver's, so the
        // map names the model as the file that pulled in each library member it needs (McuBuild.ModelLibraryMembers).
        Link(target, dir, flashBytes, [McuBuild.ModelObject, "startup.o", "main.o"], []);

    private static ProcessResult Link(McuTarget target, string dir, long? flashBytes, IReadOnlyList<string> objects, IReadOnlyList<string> libraries)
    {
        var args = new List<string>(target.LinkFlags)
        {
            "-T", Path.Combine(McuTarget.HarnessFolder, target.LinkerScript),
            "-Wl,-Map=" + Path.Combine(dir, "prog.map"),
        };
        if (flashBytes is long bytes)
        {
            args.Add(string.Create(CultureInfo.InvariantCulture, $"-Wl,--defsym=tl_flash_bytes={bytes}"));
        }

        args.AddRange(objects);
        args.AddRange(target.LinkLibraries);
        args.AddRange(libraries);
        args.AddRange(["-o", Path.Combine(dir, "prog.elf")]);
        return ProcessRunner.Run(target.Gcc, args, dir, CompileTimeout);
    }

    private static ProcessResult Run(string tool, IReadOnlyList<string> args, string dir, string what)
    {
        var r = ProcessRunner.Run(tool, args, dir, TimeSpan.FromMinutes(5));
        if (!r.Succeeded)
        {
            throw new HarnessException($"{what} failed.\n{r.Describe()}", dir);
        }

        return r;
    }

    /// <summary>Parses Berkeley-format <c>size</c> output: a header, then "text data bss dec hex file".</summary>
    private static (long Text, long Data, long Bss) ParseSize(string output)
    {
        string[] parts = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}
