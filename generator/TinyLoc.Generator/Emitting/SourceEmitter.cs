using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using TinyLoc.Generator.Diagnostics;
using TinyLoc.Generator.Pipeline;

namespace TinyLoc.Generator.Emitting;

/// <summary>
/// The output step: adds each model's class to the compilation and reports its diagnostics, models in
/// path order. The only place Roslyn <see cref="Diagnostic"/>s and <see cref="Location"/>s are made.
/// </summary>
internal static class SourceEmitter
{
    /// <summary>
    /// The one line put before the command line's class. The templates document the API but not every size
    /// constant, and a project with GenerateDocumentationFile and TreatWarningsAsErrors would otherwise fail
    /// on CS1591 in code it cannot edit.
    /// </summary>
    public const string Preamble = "#pragma warning disable CS1591 // TinyLoc.Generator: not every generated size constant has an XML comment\n";

    /// <summary>Adds the sources and reports the diagnostics of every model. Never throws (but for cancellation).</summary>
    /// <param name="context">The output context.</param>
    /// <param name="results">Every model's result.</param>
    public static void Emit(SourceProductionContext context, ImmutableArray<ModelResult> results)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        bool runtime = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var result in results.OrderBy(r => r.ManifestPath, StringComparer.Ordinal))
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (!seen.Add(result.ManifestPath))
            {
                continue; // the same file added twice (as TinyLocModel and as AdditionalFiles): one model
            }

            foreach (var diagnostic in result.Diagnostics)
            {
                Report(context, diagnostic);
            }

            if (result.Source is null || result.HintName is null || result.TypeName is null)
            {
                continue;
            }

            if (owners.TryGetValue(result.TypeName, out string? owner))
            {
                Report(context, DiagnosticText.Create(GeneratorDiagnostics.DuplicateClassMessage, LocationInfo.FileStart(result.ManifestPath), null, result.TypeName, owner));
                continue;
            }

            owners[result.TypeName] = result.ManifestPath;
            try
            {
                context.AddSource(result.HintName, SourceText.From(Preamble + result.Source, Encoding.UTF8));
                runtime |= result.Source.IndexOf(RuntimeUse, StringComparison.Ordinal) >= 0;
            }
            catch (ArgumentException e)
            {
                Report(context, DiagnosticText.Failure(result.ManifestPath, e));
            }
        }

        if (runtime)
        {
            AddRuntime(context);
        }
    }

    /// <summary>What a class compiled with the runtime calls (its <c>CreateLocalizer()</c>).</summary>
    private const string RuntimeUse = "new TinyLoc.Runtime.Localizer(";

    /// <summary>
    /// The C# runtime's sources (runtime/TinyLoc.Runtime, embedded in the compiler), added once when a class uses
    /// them: the package carries the runtime, so a project needs no other reference.
    /// </summary>
    private static void AddRuntime(SourceProductionContext context)
    {
        foreach (var (name, text) in TinyLoc.Compiler.Emit.RuntimeFiles.CSharp())
        {
            context.AddSource(name.Replace('/', '.').Replace(".cs", ".g.cs"), SourceText.From(Preamble + text, Encoding.UTF8));
        }
    }

    private static void Report(SourceProductionContext context, DiagnosticInfo info)
    {
        var descriptor = GeneratorDiagnostics.Find(info.Id) ?? GeneratorDiagnostics.UnknownCompilerDiagnostic;
        context.ReportDiagnostic(Diagnostic.Create(descriptor, info.Location.ToLocation(), info.Message));
    }
}
