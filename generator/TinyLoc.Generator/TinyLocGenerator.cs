using System;
using Microsoft.CodeAnalysis;
using TinyLoc.Generator.Caching;
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
/// calibration bytes, or its settings change. When the compiler starts with a new driver (a command-line
/// build), the results cache under <c>obj/</c> (<see cref="ResultCache"/>) gives an unchanged model's result
/// without running the compiler.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class TinyLocGenerator : IIncrementalGenerator
{
    private readonly Action<string>? _compiling;

    /// <summary>The generator, as the compiler loads it.</summary>
    public TinyLocGenerator()
    {
    }

    /// <summary>The generator with a hook that is called with the manifest's path each time the compiler runs (not when the result comes from a cache).</summary>
    /// <param name="compiling">The hook (tests count compiler runs with it).</param>
    internal TinyLocGenerator(Action<string> compiling) => _compiling = compiling;

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

        IncrementalValueProvider<string> cacheDirectory = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => SettingsReader.ReadCacheDirectory(options.GlobalOptions))
            .WithTrackingName(TrackingNames.CacheDirectory);

        IncrementalValuesProvider<ModelResult> results = requests
            .Combine(inputs.Collect())
            .Select(static (pair, _) => ModelJob.For(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Jobs)
            .Combine(cacheDirectory)
            .Select((pair, ct) => ResultCache.Compile(pair.Left, pair.Right, _compiling, ct))
            .WithTrackingName(TrackingNames.Compiled);

        context.RegisterSourceOutput(
            results.Collect().WithTrackingName(TrackingNames.Results),
            static (spc, all) => SourceEmitter.Emit(spc, all));
    }
}
