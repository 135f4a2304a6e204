using Microsoft.CodeAnalysis;
using TinyLoc.Generator.Compiling;
using TinyLoc.Generator.Emitting;
using TinyLoc.Generator.Parsing;
using TinyLoc.Generator.Pipeline;

namespace TinyLoc.Generator;

/// <summary>
/// Compiles every <c>*.tinyloc.json</c> AdditionalFile (a TinyLoc model manifest) into one static C# class,
/// the same class <c>tinyloc compile --target dotnet</c> writes, and fails the build when the model is
/// malformed or over its RAM or flash budget. See generator/README.md.
/// </summary>
/// <remarks>
/// The pipeline only moves equatable values (records of strings, numbers and
/// <see cref="EquatableArray{T}"/>s), so each step is skipped when its input is unchanged: editing C# code
/// re-runs nothing, and the compiler re-runs for one model only when its manifest, its checkpoint or
/// calibration bytes, or its settings change.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class TinyLocGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ModelRequest> requests = context.AdditionalTextsProvider
            .Where(static file => RequestReader.IsManifest(file.Path))
            .WithTrackingName(TrackingNames.ManifestFiles)
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) => RequestReader.Read(pair.Left, pair.Right, ct))
            .WithTrackingName(TrackingNames.Requests);

        IncrementalValueProvider<EquatableArray<string>> wanted = requests
            .Select(static (request, _) => request.InputPaths)
            .WithTrackingName(TrackingNames.InputPaths)
            .Collect()
            .Select(static (all, _) => RequestReader.Union(all))
            .WithTrackingName(TrackingNames.WantedInputs);

        IncrementalValuesProvider<InputFile> inputs = context.AdditionalTextsProvider
            .Combine(wanted)
            .Where(static pair => InputFileReader.IsWanted(pair.Left.Path, pair.Right))
            .WithTrackingName(TrackingNames.ReferencedFiles)
            .Select(static (pair, ct) => InputFileReader.Read(pair.Left.Path, ct))
            .WithTrackingName(TrackingNames.InputFiles);

        IncrementalValuesProvider<ModelResult> results = requests
            .Combine(inputs.Collect())
            .Select(static (pair, _) => ModelJob.For(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Jobs)
            .Select(static (job, ct) => ModelCompiler.Compile(job, ct))
            .WithTrackingName(TrackingNames.Compiled);

        context.RegisterSourceOutput(
            results.Collect().WithTrackingName(TrackingNames.Results),
            static (spc, all) => SourceEmitter.Emit(spc, all));
    }
}
