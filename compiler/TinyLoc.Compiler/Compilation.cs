using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.Families;
using TinyLoc.Compiler.Import;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Memory;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Quantization;
using TinyLoc.Compiler.Report;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler;

/// <summary>Choices for one compilation; null fields fall back to the manifest or the defaults.</summary>
public sealed record CompileOptions
{
    /// <summary>Quantisation scheme (<c>none</c>, <c>static</c>); null = the manifest's.</summary>
    public string? Scheme { get; init; }

    /// <summary>Layer forms; looped unless the caller asks for unrolling (it trades flash for speed).</summary>
    public UnrollMode Unroll { get; init; } = UnrollMode.None;

    public Budgets Budgets { get; init; } = new(null, null);

    /// <summary>A CSV of raw inputs to calibrate from instead of the manifest's stored ranges.</summary>
    public string? CalibrationCsv { get; init; }

    /// <summary>Raw inputs to calibrate from (a tool's or test's own samples); wins over <see cref="CalibrationCsv"/>.</summary>
    public IReadOnlyList<float[]>? CalibrationInputs { get; init; }

    /// <summary>
    /// Lets a manifest name a checkpoint or calibration file outside its own folder (TL1014 otherwise). Only files
    /// read from the disk are checked: a host that hands files over (the source generator) serves only the
    /// files its build lists.
    /// </summary>
    public bool AllowOutsidePaths { get; init; }

    /// <summary>Where files are read from (the disk unless a host such as the source generator hands them over).</summary>
    public FileSource Files { get; init; } = FileSource.Disk;

    /// <summary>The core whose code sizes the flash estimate uses (and <c>auto</c> choices rest on): <c>--core</c>.</summary>
    public CostModel Core { get; init; } = CostModel.CortexM4;

    /// <summary>
    /// Emit the runtime (runtime/: readings to windows to answers) with the model and count its state and code in
    /// the report and budgets; <c>--no-runtime</c> turns it off.
    /// </summary>
    public bool Runtime { get; init; } = true;

    /// <summary>
    /// How a sequence model's nodes run over the window: chains of per-step nodes in time-fused loops (the default), or
    /// every node over the whole window (<c>--schedule layer</c>). The same bits either way.
    /// </summary>
    public ScheduleMode Schedule { get; init; } = ScheduleMode.Fused;
}

/// <summary>
/// The compiler's front door: import → float graph → fuse → quantise → choose forms → fuse over time → plan
/// memory → size report, each stage visible as a property. <see cref="Create"/> never throws: failures are in
/// <see cref="Diagnostics"/>, and later stages are null.
/// </summary>
public sealed class Compilation
{
    private Compilation(CompileOptions options) => Options = options;

    public CompileOptions Options { get; }

    public DiagnosticBag Diagnostics { get; } = new();

    public ModelManifest? Manifest { get; private set; }

    public StateDict? Weights { get; private set; }

    /// <summary>The float graph as built from the checkpoint (every activation a node of its own).</summary>
    public Graph? FloatGraph { get; private set; }

    /// <summary>The float graph after activation fusion (what <c>--scheme none</c> emits).</summary>
    public Graph? FusedGraph { get; private set; }

    /// <summary>The graph that is emitted: quantised, with each layer's form chosen.</summary>
    public Graph? Graph { get; private set; }

    public IQuantizationScheme? Scheme { get; private set; }

    /// <summary>Checkpoint tensors the family dropped on purpose (dead without accelerometer input, training-only).</summary>
    public IReadOnlyList<DroppedTensor> Dropped { get; private set; } = Array.Empty<DroppedTensor>();

    public IReadOnlyDictionary<string, (float Min, float Max)> Ranges { get; private set; } = new Dictionary<string, (float, float)>();

    public MemoryPlan? Plan { get; private set; }

    public SizeReport? Report { get; private set; }

    /// <summary>SHA-256 (first 16 hex digits) of the manifest and checkpoint bytes: the model's identity in generated code.</summary>
    public string ContentHash { get; private set; } = string.Empty;

    public bool Success => Graph is not null && Report is not null && !Diagnostics.HasErrors;

    public static Compilation Create(string manifestPath, CompileOptions? options = null)
    {
        var c = new Compilation(options ?? new CompileOptions());
        try
        {
            c.Run(manifestPath);
        }
        catch (DiagnosticException e)
        {
            c.Diagnostics.Add(e.Diagnostic);
        }

        return c;
    }

    /// <summary>Runs the emitted graph in the reference evaluator on one raw input.</summary>
    public float[] Evaluate(float[] input) => new Evaluator(Graph ?? throw new InvalidOperationException("compilation failed")).Run(input);

    /// <summary>Runs the float graph (PyTorch semantics, no quantisation) on one raw input.</summary>
    public float[] EvaluateFloat(float[] input) => new Evaluator(FusedGraph ?? throw new InvalidOperationException("compilation failed")).Run(input);

    public IReadOnlyList<GeneratedFile>? Emit(string target, TemplateSource? templates = null, string? csNamespace = null)
    {
        try
        {
            return CodeEmitter.Emit(this, target, templates ?? TemplateSource.Embedded, Diagnostics, csNamespace);
        }
        catch (DiagnosticException e)
        {
            // A user's template file that is not a regular file or is too large (TL1012, TL1013).
            Diagnostics.Add(e.Diagnostic);
            return null;
        }
    }

    /// <summary>The arena's buffers by size, for budget messages.</summary>
    public IEnumerable<BufferSize> ArenaBuffers => Plan?.Buffers.Select(b => new BufferSize("arena: " + b.Value, b.Size)) ?? Enumerable.Empty<BufferSize>();

    private void Run(string manifestPath)
    {
        Manifest = ManifestReader.Read(manifestPath, Diagnostics, Options.Files);
        if (Manifest is null)
        {
            return;
        }

        if (!Options.AllowOutsidePaths && ReferenceEquals(Options.Files, FileSource.Disk) && OutsidePaths(manifestPath))
        {
            return;
        }

        var family = FamilyRegistry.Find(Manifest.Family);
        Weights = CheckpointReader.Read(Manifest.CheckpointPath, Diagnostics, Options.Files);
        if (Weights is null || family is null)
        {
            return;
        }

        ContentHash = Hash(
            Options.Files.ReadAllText(manifestPath, InputLimits.MaxJsonBytes, "a manifest"),
            Options.Files.ReadAllBytes(Manifest.CheckpointPath, InputLimits.MaxCheckpointBytes, "a checkpoint"));
        try
        {
            FloatGraph = family.Build(Manifest, Weights, Diagnostics);
        }
        catch (DiagnosticException e) when (e.Diagnostic.Location.File.Length == 0)
        {
            // Shape inference knows nodes, not files: the layers come from the checkpoint the manifest names.
            Diagnostics.Add(e.Diagnostic with { Location = new SourceLocation(Manifest.CheckpointPath) });
            return;
        }

        Dropped = family.Dropped.Select(t => new DroppedTensor(t.Name, t.Values.Length)).ToList();
        if (FloatGraph is null || Diagnostics.HasErrors)
        {
            return;
        }

        FromFloatGraph(manifestPath);
    }

    /// <summary>Reports TL1014 for each file the manifest names outside its folder (the calibration only if it is used); true if any.</summary>
    private bool OutsidePaths(string manifestPath)
    {
        var files = new List<(string Path, string Field)> { (Manifest!.CheckpointPath, "checkpoint") };
        if (Options.CalibrationCsv is null && Options.CalibrationInputs is null && Manifest.Quantization.CalibrationPath is { } calibration)
        {
            files.Add((calibration, "quantization.calibration"));
        }

        bool any = false;
        foreach (var (path, field) in files)
        {
            if (ManifestFolder.Outside(manifestPath, path, field) is { } outside)
            {
                Diagnostics.Add(outside);
                any = true;
            }
        }

        return any;
    }

    /// <summary>
    /// Compiles a hand-built float graph with no manifest or checkpoint behind it (op tests, tools): the input is
    /// taken as it is (no normalisation), the output as regression values <c>y0</c>, <c>y1</c>, …; the model's
    /// identity is the hash of its IR dump. Never throws, like <see cref="Create"/>.
    /// </summary>
    public static Compilation FromGraph(Graph floatGraph, string name, CompileOptions? options = null)
    {
        var c = new Compilation(options ?? new CompileOptions { Scheme = "none" });
        string path = name + ".tinyloc.json";
        var inVal = floatGraph[floatGraph.Input];
        var outVal = floatGraph[floatGraph.Output];
        c.Manifest = new ModelManifest(
            path,
            name,
            "hand-built graph",
            string.Empty,
            "graph",
            new MlpArchitecture(Array.Empty<string>(), "relu"),
            new InputSpec(Enumerable.Range(0, inVal.Elements).Select(i => "x" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(), 1, 0.0f, 1.0f, null, "none"),
            new OutputSpec("regression", Array.Empty<string>(), Enumerable.Range(0, outVal.Elements).Select(i => "y" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(), null),
            new QuantizationSpec(c.Options.Scheme ?? "none", null, new Dictionary<string, (float, float)>()));
        c.FloatGraph = floatGraph;
        c.ContentHash = Hash(IrPrinter.Print(floatGraph, name), Array.Empty<byte>());
        try
        {
            c.FromFloatGraph(path);
        }
        catch (DiagnosticException e)
        {
            c.Diagnostics.Add(e.Diagnostic);
        }

        return c;
    }

    private void FromFloatGraph(string manifestPath)
    {
        var manifestLoc = new SourceLocation(manifestPath);
        if (!FiniteCheck.Run(FloatGraph!, Manifest!.CheckpointPath.Length > 0 ? new SourceLocation(Manifest.CheckpointPath) : manifestLoc, Diagnostics))
        {
            return;
        }

        FusedGraph = ActivationFusion.Run(FloatGraph!);
        string schemeName = Options.Scheme ?? Manifest!.Quantization.Scheme;
        Scheme = SchemeRegistry.Find(schemeName);
        if (Scheme is null)
        {
            // Blame where the name came from: the caller's option (the command line's --scheme), or the manifest's field.
            var blamed = Options.Scheme is null ? new SourceLocation(manifestPath, 0, 0, "quantization.scheme") : new SourceLocation("--scheme");
            Diagnostics.Report(DiagnosticDescriptors.UnknownScheme, blamed, schemeName, SchemeRegistry.Names);
            return;
        }

        Ranges = Manifest!.Quantization.ActivationRanges;
        string? csv = Options.CalibrationCsv ?? Manifest.Quantization.CalibrationPath;
        IReadOnlyList<float[]>? samples = Options.CalibrationInputs;
        if (samples is null && csv is not null && Scheme is not NoneScheme)
        {
            samples = Calibration.ReadCsv(csv, Manifest!.Input.Features, Manifest.Input.Count, Manifest.Input.MissingValue ?? Manifest.Input.RssiMin, Diagnostics, Options.Files);
            if (Diagnostics.HasErrors)
            {
                return;
            }
        }

        if (samples is not null && Scheme is not NoneScheme)
        {
            Ranges = Calibration.Measure(FloatGraph!, samples);
        }

        if (Scheme is AutoScheme)
        {
            // auto compares forms on this core's code sizes, and checks each switch on the calibration inputs if any.
            Scheme = new AutoScheme(Options.Core, samples, Manifest!.Output.IsClassification ? Manifest.ClassOf : null);
        }

        var quantized = Scheme.Apply(FusedGraph, Ranges, Diagnostics, manifestLoc);
        if (quantized is null || Diagnostics.HasErrors)
        {
            return;
        }

        // What the layers' forms do not change: the predict function and labels, and the runtime when it is emitted.
        long fixedFlash = ReportBuilder.FixedFlashBytes(Manifest!, Options.Core) + (Options.Runtime ? RuntimeSize.FlashBytes(Manifest!, Options.Core) : 0);
        Graph = TimeFusion.Run(UnrollSelection.Run(quantized, Options.Unroll, Options.Budgets.FlashBytes ?? Budgets.DefaultFlashBytes, fixedFlash, Options.Core), Options.Schedule);
        Plan = MemoryPlanner.Plan(Graph);
        Report = ReportBuilder.Build(Manifest!, Scheme.Name, Options.Unroll.ToString().ToLowerInvariant(), ContentHash, Graph, Plan, FusedGraph, Options.Core, Dropped, Options.Runtime);
        Options.Budgets.Check(Report, ArenaBuffers, Diagnostics, manifestLoc);
    }

    private static string Hash(string manifestText, byte[] checkpoint)
    {
        using var sha = SHA256.Create();
        byte[] manifest = Encoding.UTF8.GetBytes(manifestText);
        var all = new byte[manifest.Length + checkpoint.Length];
        Buffer.BlockCopy(manifest, 0, all, 0, manifest.Length);
        Buffer.BlockCopy(checkpoint, 0, all, manifest.Length, checkpoint.Length);
        return string.Concat(sha.ComputeHash(all).Take(8).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
