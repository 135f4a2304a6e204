using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using Spectre.Console;
using TinyLoc.Compiler;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Report;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Cli.Commands;

/// <summary>Options several commands share, and how results and diagnostics are printed.</summary>
internal static class Common
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int OverBudget = 2;

    public static Argument<string> Manifest() => new("manifest") { Description = "The model's NAME.tinyloc.json (its checkpoint path is relative to it)." };

    /// <summary>
    /// The options every compiling command shares (scheme, unroll, budgets, calibration): declared
    /// once here, added to a command, and read back as <see cref="CompileOptions"/>.
    /// </summary>
    public sealed class CompileOptionSet
    {
        public Option<string?> Scheme { get; } = new("--scheme") { Description = "Quantisation: none (float32), static (int8, calibrated; sequence models: linear layers only), dynamic (PyTorch quantize_dynamic: int8 weights, inputs quantised per call), llm-int8 (vector-wise int8 with float outlier columns) or auto (per linear layer, float or dynamic, whichever takes less flash). Default: the manifest's." };

        public Option<string> Unroll { get; } = new("--unroll")
        {
            Description = "Layer code: none (the default: loops over const tables, the smallest flash), all (weights as immediates, zero weights skipped: faster, several times the flash), wide (int8 layers loop over weights stored as int16 pairs on cores with the DSP extension: the fastest int8 form, twice the weights' flash), or auto (unroll layers, cheapest first, while the flash estimate fits --flash-budget, or 256KiB without one; then widen the int8 layers still looped the same way). The report shows what unrolling cost.",
            DefaultValueFactory = _ => "none",
        };

        public Option<string> Schedule { get; } = new("--schedule")
        {
            Description = "How a sequence model runs over its window: fused (the default: each chain of per-step layers runs one time step at a time through the whole chain, keeping rows and small carries such as the scan state instead of whole-window tensors: far less RAM, the same bits) or layer (every layer over the whole window, one after the other). Attention, the CRF and dynamic int8 need the whole window: the report's schedule column says where each layer runs and why.",
            DefaultValueFactory = _ => "fused",
        };

        public Option<string?> RamBudget { get; } = new("--ram-budget") { Description = "RAM budget: bytes or a size such as 64KiB, 20KB, 1MiB." };

        public Option<string?> FlashBudget { get; } = new("--flash-budget") { Description = "Flash budget: bytes or a size such as 256KiB." };

        public Option<string?> Calibration { get; } = new("--calibration") { Description = "CSV (.gz allowed) of raw inputs, header naming the features, to calibrate static int8 from instead of the manifest's stored ranges." };

        public Option<string?> Core { get; } = new("--core")
        {
            Description = "The core the flash estimate is for, and auto's choices rest on: cortex-m4 (Cortex-M4F with the DSP int8 kernels), cortex-m4-nodsp (the portable kernels, -DTINYLOC_NO_DSP), rv32imc (no FPU: soft float from libgcc, counted). Default: the target's (stm32 cortex-m4, esp-idf rv32imc), else cortex-m4.",
        };

        public Option<bool> AllowOutsidePaths { get; } = new("--allow-outside-paths") { Description = "Let the manifest name a checkpoint or calibration file outside its own folder (by ../, an absolute path or a link). Off by default: a model's manifest is untrusted input (README 'Security')." };

        public Option<bool> NoRuntime { get; } = new("--no-runtime") { Description = "Leave out the runtime (runtime/: beacon readings to rows, windows and answers; C: NAME_runtime.c and tinyloc_runtime.h/.c, C#: TinyLoc.Runtime/*.cs) and its RAM and flash from the report and budgets. Use it when the firmware builds the model's windows itself." };

        public void AddTo(Command cmd) => Add(cmd, Scheme, Unroll, Schedule, RamBudget, FlashBudget, Calibration, Core, AllowOutsidePaths, NoRuntime);

        /// <summary>The options' values; null (with the error printed) if a value is malformed.</summary>
        /// <param name="r">The parsed command line.</param>
        /// <param name="defaultCore">The core when <c>--core</c> is not given (the target's), or null for cortex-m4.</param>
        public CompileOptions? Read(ParseResult r, string? defaultCore = null)
        {
            var bag = new DiagnosticBag();
            long? Size(Option<string?> o) => OptionValues.Size(r.GetValue(o), new SourceLocation(o.Name), bag);
            var budgets = new Budgets(Size(RamBudget), Size(FlashBudget));
            var unroll = OptionValues.Unroll(r.GetValue(Unroll) ?? "none", new SourceLocation("--unroll"), bag);
            var schedule = OptionValues.Schedule(r.GetValue(Schedule) ?? "fused", new SourceLocation("--schedule"), bag);

            string coreName = r.GetValue(Core) ?? defaultCore ?? CostModel.CortexM4.Core;
            var core = CostModel.ByName(coreName);
            if (core is null)
            {
                bag.Report(DiagnosticDescriptors.UnknownCore, new SourceLocation("--core"), coreName, CostModel.Names);
            }

            if (Print(bag))
            {
                return null;
            }

            return new CompileOptions { Scheme = r.GetValue(Scheme), Unroll = unroll, Schedule = schedule, Budgets = budgets, CalibrationCsv = r.GetValue(Calibration), Core = core!, AllowOutsidePaths = r.GetValue(AllowOutsidePaths), Runtime = !r.GetValue(NoRuntime) };
        }

        /// <summary>
        /// Reads the options (<see cref="Read"/>), compiles the command's manifest with them and prints the
        /// compilation's diagnostics; null if an option is malformed (its error printed, nothing compiled).
        /// </summary>
        /// <param name="r">The parsed command line.</param>
        /// <param name="manifest">The command's manifest argument.</param>
        public Compilation? CompileAndPrint(ParseResult r, Argument<string> manifest)
        {
            var options = Read(r);
            if (options is null)
            {
                return null;
            }

            var c = Compilation.Create(r.GetValue(manifest)!, options);
            Print(c.Diagnostics);
            return c;
        }
    }

    /// <summary>Prints diagnostics to stderr (every error; warnings up to ten of each id, then how many more); returns true if any is an error.</summary>
    public static bool Print(DiagnosticBag bag)
    {
        foreach (var line in bag.ForDisplay())
        {
            System.Console.Error.WriteLine(line);
        }

        return bag.HasErrors;
    }

    /// <summary>
    /// The console tables and messages go to: no ANSI colour or styles and no 80-column wrapping when standard
    /// output is redirected (a file, a pipe, CI), none either when NO_COLOR is set (https://no-color.org).
    /// </summary>
    public static IAnsiConsole Console()
    {
        bool redirected = System.Console.IsOutputRedirected;
        bool plain = redirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(System.Console.Out),
        });
        if (redirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }

    /// <summary>The width lines may take when output is redirected: wide enough that nothing wraps.</summary>
    private const int RedirectedWidth = 4096;

    /// <summary>The option that prints a command's result as JSON instead of a table.</summary>
    public static Option<bool> Json(string what) => new("--json") { Description = $"Print {what} as JSON (stable key order, for CI) instead of a table; diagnostics are in it too (and on stderr)." };

    /// <summary>An indented JSON document written by <paramref name="write"/> (inside its top-level object), with a final newline.</summary>
    public static string JsonObject(Action<Utf8JsonWriter> write)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    /// <summary>Writes <paramref name="bag"/>'s diagnostics as the array "diagnostics": id, severity, file, line, column, message, fix.</summary>
    public static void WriteDiagnostics(Utf8JsonWriter w, DiagnosticBag bag)
    {
        w.WriteStartArray("diagnostics");
        foreach (var d in bag.Capped().Shown)
        {
            w.WriteStartObject();
            w.WriteString("id", d.Id);
            w.WriteString("severity", d.Severity.ToString().ToLowerInvariant());
            w.WriteString("file", d.Location.File);
            w.WriteNumber("line", d.Location.Line);
            w.WriteNumber("column", d.Location.Column);
            w.WriteString("message", d.Message);
            w.WriteString("fix", d.Descriptor.Help);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Writes the size report (the same object as <c>tinyloc report --json</c>) under <paramref name="key"/>.</summary>
    public static void WriteReport(Utf8JsonWriter w, string key, SizeReport report, Budgets budgets)
    {
        w.WritePropertyName(key);
        using var doc = JsonDocument.Parse(ReportWriter.Json(report, budgets));
        doc.RootElement.WriteTo(w);
    }

    public static int Exit(Compilation c) =>
        c.Diagnostics.Errors.Any(d => d.Id is "TL4001" or "TL4002") ? OverBudget : c.Diagnostics.HasErrors ? Failed : Ok;

    public static void Add(Command cmd, params Option[] options)
    {
        foreach (var o in options)
        {
            cmd.Options.Add(o);
        }
    }

    public static IReadOnlyList<string>? List(string? text) =>
        text?.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();

    public static bool WriteFile(string path, string content)
    {
        try
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
            }

            File.WriteAllText(path, content);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var bag = new DiagnosticBag();
            bag.Report(DiagnosticDescriptors.OutputNotWritable, new SourceLocation(path), path, e.Message);
            Print(bag);
            return false;
        }
    }
}
