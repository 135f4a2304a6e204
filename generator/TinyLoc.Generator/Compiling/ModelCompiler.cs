using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using TinyLoc.Compiler;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Util;
using TinyLoc.Generator.Diagnostics;
using TinyLoc.Generator.Pipeline;

namespace TinyLoc.Generator.Compiling;

/// <summary>
/// Runs TinyLoc.Compiler on one model, exactly as <c>tinyloc compile --target dotnet|nanoframework|meadow</c>
/// does, with the files handed over in memory. Never throws (but for cancellation): every failure is a
/// diagnostic in the result.
/// </summary>
internal static class ModelCompiler
{
    /// <summary>Checkpoint extensions; any other referenced file is calibration data.</summary>
    private static readonly string[] CheckpointExtensions = { ".pt", ".pth", ".safetensors" };

    /// <summary>The compiler's refusals of a file before reading it, as <see cref="InputFile.RefusedAs"/> names them.</summary>
    private static readonly DiagnosticDescriptor[] Refusals = { DiagnosticDescriptors.NotRegularFile, DiagnosticDescriptors.FileTooLarge };

    /// <summary>True for a checkpoint's path (by extension); any other referenced file is calibration data.</summary>
    /// <param name="path">A referenced file's path.</param>
    public static bool IsCheckpoint(string path) => CheckpointExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>Compiles <paramref name="job"/>'s model.</summary>
    /// <param name="job">The model, its settings and its files.</param>
    /// <param name="cancellationToken">Cancels the work between stages.</param>
    public static ModelResult Compile(ModelJob job, CancellationToken cancellationToken)
    {
        string path = job.Request.ManifestPath;
        try
        {
            return CompileCore(job, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new ModelResult(path, null, null, EquatableArray.From(new[] { DiagnosticText.Failure(path, e) }));
        }
    }

    private static ModelResult CompileCore(ModelJob job, CancellationToken cancellationToken)
    {
        var request = job.Request;
        string path = request.ManifestPath;
        if (request.Problem is not null || request.Text is null)
        {
            var problem = request.Problem ?? DiagnosticText.Create(DiagnosticDescriptors.FileNotReadable, LocationInfo.FileStart(path), null, "no text");
            return Failed(request, null, new[] { problem });
        }

        var locator = new DiagnosticLocator(request);
        var inputProblems = InputProblems(job, locator).ToList();
        if (inputProblems.Count > 0)
        {
            return Failed(request, null, inputProblems);
        }

        var settings = new DiagnosticBag();
        var options = BuildSettings.ToOptions(request.Settings, path, settings);
        if (settings.HasErrors)
        {
            return Failed(path, settings.Items.Select(d => Map(d, locator)));
        }

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [path] = Encoding.UTF8.GetBytes(request.Text) };
        foreach (var file in job.Files)
        {
            files[file.Path] = file.Bytes.AsSpan().ToArray();
        }

        cancellationToken.ThrowIfCancellationRequested();
        var compilation = Compilation.Create(path, options with { Files = FileSource.InMemory(files) });
        cancellationToken.ThrowIfCancellationRequested();

        string? typeName = null;
        string? source = null;
        // A model that compiled but is over budget is still emitted: the build fails on the budget error
        // alone (no follow-on "type not found" errors), and the IDE keeps seeing the class.
        if (compilation.Graph is not null && compilation.Report is not null && compilation.Manifest is not null)
        {
            var emitted = compilation.Emit(request.Settings.Target, null, request.Settings.Namespace);
            if (emitted is { Count: > 0 })
            {
                source = emitted[0].Content;
                typeName = request.Settings.Namespace + "." + CodeEmitter.PascalCase(compilation.Manifest.Name);
            }
        }

        // As on the command line: every error, at most ten warnings of one id, then how many more (a checkpoint
        // with 100,000 unused tensors must not put 100,000 warnings into every build).
        var (shown, hidden) = compilation.Diagnostics.Capped();
        var diagnostics = shown.Select(d => Map(d, locator)).ToList();
        diagnostics.AddRange(hidden.Select(h => new DiagnosticInfo(h.Id, DiagnosticBag.HiddenText(h), LocationInfo.FileStart(path))));
        if (source is not null && typeName is not null)
        {
            string line = SizeSummary.Line(compilation.Report!, typeName, request.Settings.Target, options.Budgets, request.Settings.RamBudget, request.Settings.FlashBudget);
            diagnostics.Add(DiagnosticText.Summary(line, LocationInfo.FileStart(path)));
        }

        return source is null
            ? Failed(request, compilation.Manifest?.Name, diagnostics, compilation.Diagnostics.Errors.FirstOrDefault()?.Id)
            : new ModelResult(path, typeName, source, EquatableArray.From(diagnostics));
    }

    /// <summary>TL6001 for each referenced file that is not an AdditionalFile, TL1001 for each that could not be read.</summary>
    private static IEnumerable<DiagnosticInfo> InputProblems(ModelJob job, DiagnosticLocator locator)
    {
        foreach (string missing in job.Missing)
        {
            string kind = IsCheckpoint(missing) ? "checkpoint" : "calibration data";
            var (location, _) = locator.Locate(new SourceLocation(missing));
            yield return DiagnosticText.Create(GeneratorDiagnostics.InputNotInBuildMessage, location, null, kind, missing);
        }

        foreach (var file in job.Files.Where(f => f.Error is not null))
        {
            var refusal = Refusals.FirstOrDefault(d => d.Id == file.RefusedAs);
            var descriptor = refusal ?? DiagnosticDescriptors.FileNotReadable;
            string message = refusal is null ? descriptor.Format(file.Error!.TrimEnd('.')) : file.Error!;
            yield return Map(new Diagnostic(descriptor, new SourceLocation(file.Path), message), locator);
        }
    }

    private static DiagnosticInfo Map(Diagnostic diagnostic, DiagnosticLocator locator)
    {
        var (location, fileName) = locator.Locate(diagnostic.Location);
        return DiagnosticText.From(diagnostic, location, fileName);
    }

    private static ModelResult Failed(string path, IEnumerable<DiagnosticInfo> diagnostics) =>
        new(path, null, null, EquatableArray.From(diagnostics));

    /// <summary>A model that did not compile: its errors, and a stub class (<see cref="Emitting.StubSource"/>) so that user code gets no follow-on errors.</summary>
    private static ModelResult Failed(ModelRequest request, string? modelName, IEnumerable<DiagnosticInfo> diagnostics, string? errorId = null)
    {
        var all = diagnostics.ToList();
        string id = errorId ?? all.FirstOrDefault()?.Id ?? "TL1001";
        var stub = Emitting.StubSource.Create(request.ManifestPath, modelName, request.Settings.Namespace, id);
        return new ModelResult(request.ManifestPath, stub?.TypeName, stub?.Source, EquatableArray.From(all));
    }
}
