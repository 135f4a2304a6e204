using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Generator.Tests.Harness;

/// <summary>
/// Drives <see cref="TinyLocGenerator"/> the way the compiler does, with step tracking on, and keeps the
/// driver between runs so incremental behaviour can be observed.
/// </summary>
public sealed class GeneratorHarness
{
    private GeneratorDriver _driver;

    /// <summary>A driver over <paramref name="files"/> with <paramref name="options"/>.</summary>
    /// <param name="files">The AdditionalFiles.</param>
    /// <param name="options">The analyzer config options (MSBuild properties and metadata).</param>
    /// <param name="parseOptions">Parse options for the user's and the generated code (default: latest C#).</param>
    /// <param name="generator">The generator (default: as the compiler loads it; tests pass one with a hook).</param>
    public GeneratorHarness(IEnumerable<AdditionalText> files, TestOptionsProvider? options = null, CSharpParseOptions? parseOptions = null, TinyLocGenerator? generator = null)
    {
        parseOptions ??= new CSharpParseOptions(LanguageVersion.Latest);
        _driver = CSharpGeneratorDriver.Create(
            new[] { (generator ?? new TinyLocGenerator()).AsSourceGenerator() },
            files,
            parseOptions,
            options ?? TestOptionsProvider.Empty,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        Compilation = CSharpCompilation.Create(
            "Consumer",
            new[] { CSharpSyntaxTree.ParseText("namespace Consumer { internal static class Program { internal static void Main() { } } }", parseOptions, path: "Program.cs") },
            FrameworkReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>The user's compilation (without generated code); tests may replace it to simulate edits.</summary>
    public CSharpCompilation Compilation { get; set; }

    /// <summary>The compilation with the generated code, after the last <see cref="Run"/>.</summary>
    public Compilation? Output { get; private set; }

    /// <summary>Runs the generator once more (incrementally) and returns its result.</summary>
    public GeneratorRunResult Run()
    {
        _driver = _driver.RunGeneratorsAndUpdateCompilation(Compilation, out var output, out _);
        Output = output;
        var result = _driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        return result;
    }

    /// <summary>Replaces one AdditionalFile (an edit, as the IDE or the next build sees it).</summary>
    /// <param name="old">The file to replace.</param>
    /// <param name="replacement">Its new version.</param>
    public void Replace(AdditionalText old, AdditionalText replacement) => _driver = _driver.ReplaceAdditionalText(old, replacement);

    /// <summary>Replaces every AdditionalFile by a new object for the same path (what each command-line build does).</summary>
    /// <param name="files">The new objects.</param>
    public void ReplaceAll(IEnumerable<AdditionalText> files) => _driver = _driver.ReplaceAdditionalTexts(files.ToImmutableArray());

    /// <summary>New analyzer config options (a changed MSBuild property).</summary>
    /// <param name="options">The new options.</param>
    public void SetOptions(TestOptionsProvider options) => _driver = _driver.WithUpdatedAnalyzerConfigOptions(options);

    /// <summary>The reasons of every output of the tracked step <paramref name="name"/> in <paramref name="result"/>.</summary>
    /// <param name="result">A run's result.</param>
    /// <param name="name">A tracking name.</param>
    public static IReadOnlyList<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string name) =>
        result.TrackedSteps.TryGetValue(name, out var steps)
            ? steps.SelectMany(s => s.Outputs).Select(o => o.Reason).ToList()
            : Array.Empty<IncrementalStepRunReason>();

    /// <summary>The single generated source, by hint name.</summary>
    /// <param name="result">A run's result.</param>
    /// <param name="hintName">For example <c>TinyLoc.Models.UjiMlp.g.cs</c>.</param>
    public static string Source(GeneratorRunResult result, string hintName) =>
        result.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();
}
