using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TinyLoc.Generator.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Generator.Tests;

/// <summary>
/// The pipeline is incremental and cacheable: a second run with nothing changed, or with only C# edited,
/// does not run the compiler again; new model bytes, a new manifest or a new budget do.
/// </summary>
public sealed class IncrementalTests : IDisposable
{
    /// <summary>The steps whose values are the generator's own records.</summary>
    private static readonly string[] ValueSteps =
    [
        TrackingNames.Requests, TrackingNames.InputPaths, TrackingNames.WantedInputs, TrackingNames.InputFiles,
        TrackingNames.Jobs, TrackingNames.CacheDirectory, TrackingNames.Compiled, TrackingNames.Results,
    ];

    /// <summary>Every step: the value steps and the two that filter Roslyn's AdditionalTexts.</summary>
    private static readonly string[] TrackedSteps = [TrackingNames.ManifestFiles, TrackingNames.ReferencedFiles, .. ValueSteps];

    private readonly TinyModelCopy _model = new();

    private string Manifest => _model.Manifest;

    private string Checkpoint => _model.Checkpoint;

    /// <inheritdoc/>
    public void Dispose() => _model.Dispose();

    [Fact]
    public void Every_step_is_tracked_and_a_second_run_is_all_cached()
    {
        var harness = new GeneratorHarness(ModelFiles.For(Manifest));
        var first = harness.Run();
        var second = harness.Run();

        var names = typeof(TrackingNames).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);
        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal), TrackedSteps.OrderBy(n => n, StringComparer.Ordinal));

        foreach (string step in TrackedSteps)
        {
            Assert.True(first.TrackedSteps.ContainsKey(step), $"step {step} is not tracked");
            Assert.All(GeneratorHarness.Reasons(second, step), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        }

        Assert.All(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.Equal(first.ModelSources().Single().SourceText.ToString(), second.ModelSources().Single().SourceText.ToString());
    }

    [Fact]
    public void A_new_build_with_the_same_files_reads_them_again_but_does_not_recompile()
    {
        // Each command-line build hands the driver new AdditionalText objects for the same files.
        var harness = new GeneratorHarness(ModelFiles.For(Manifest));
        harness.Run();
        harness.ReplaceAll(ModelFiles.For(Manifest));
        var second = harness.Run();

        Assert.All(GeneratorHarness.Reasons(second, TrackingNames.Requests), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
        Assert.All(GeneratorHarness.Reasons(second, TrackingNames.InputFiles), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
        Assert.All(GeneratorHarness.Reasons(second, TrackingNames.Compiled), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.NotEmpty(GeneratorHarness.Reasons(second, TrackingNames.Compiled));
    }

    [Fact]
    public void Editing_unrelated_csharp_does_not_rerun_the_compiler()
    {
        var harness = new GeneratorHarness(ModelFiles.For(Manifest));
        harness.Run();
        var program = harness.Compilation.SyntaxTrees.Single();
        harness.Compilation = harness.Compilation
            .ReplaceSyntaxTree(program, CSharpSyntaxTree.ParseText("namespace Consumer { public static class Program { public static void Main() { System.Console.WriteLine(1); } } }", path: "Program.cs"))
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Consumer { internal sealed class Added { } }", path: "Added.cs"));
        var second = harness.Run();

        var compiled = GeneratorHarness.Reasons(second, TrackingNames.Compiled);
        Assert.NotEmpty(compiled);
        Assert.All(compiled, r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(GeneratorHarness.Reasons(second, TrackingNames.InputFiles), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void Changing_the_model_bytes_recompiles_the_model()
    {
        var harness = new GeneratorHarness(ModelFiles.For(Manifest));
        string before = harness.Run().ModelSources().Single().SourceText.ToString();

        byte[] bytes = File.ReadAllBytes(Checkpoint);
        bytes[^1] ^= 0x01; // the last byte of the last tensor: a weight's lowest mantissa bit
        File.WriteAllBytes(Checkpoint, bytes);
        harness.ReplaceAll(ModelFiles.For(Manifest));
        var after = harness.Run();

        Assert.Contains(IncrementalStepRunReason.Modified, GeneratorHarness.Reasons(after, TrackingNames.InputFiles));
        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, GeneratorHarness.Reasons(after, TrackingNames.Compiled));
        Assert.NotEqual(before, after.ModelSources().Single().SourceText.ToString()); // at least the content hash
    }

    [Fact]
    public void Changing_a_budget_recompiles_the_model()
    {
        var harness = new GeneratorHarness(ModelFiles.For(Manifest));
        Assert.Empty(harness.Run().Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));

        harness.SetOptions(new TestOptionsProvider(new Dictionary<string, string> { ["TinyLocRamBudget"] = "64" }));
        var after = harness.Run();

        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, GeneratorHarness.Reasons(after, TrackingNames.Compiled));
        Assert.Contains(after.Diagnostics, d => d.Id == "TL4001");
    }

    [Fact]
    public void Changing_the_manifest_recompiles_the_model()
    {
        var files = ModelFiles.For(Manifest);
        var harness = new GeneratorHarness(files);
        harness.Run();

        var manifest = (TestAdditionalText)files[0];
        harness.Replace(manifest, new TestAdditionalText(manifest.Path, manifest.Text!.Replace("\"scheme\": \"static\"", "\"scheme\": \"none\"", StringComparison.Ordinal)));
        var after = harness.Run();

        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, GeneratorHarness.Reasons(after, TrackingNames.Compiled));
        Assert.Contains("scheme none", after.ModelSources().Single().SourceText.ToString());
    }

    [Fact]
    public void Pipeline_values_are_equatable_records_without_roslyn_objects()
    {
        var harness = new GeneratorHarness(ModelFiles.For(Manifest));
        var result = harness.Run();

        foreach (string step in ValueSteps)
        {
            foreach (var output in result.TrackedSteps[step].SelectMany(s => s.Outputs))
            {
                AssertPlainValue(output.Value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    private static void AssertPlainValue(object? value, string step, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        var type = value.GetType();
        Assert.False(
            value is Compilation or ISymbol or SyntaxNode or SyntaxTree or Location or AdditionalText or AnalyzerConfigOptions or AnalyzerConfigOptionsProvider,
            $"step {step} carries a {type.Name}, which is not equatable across runs");
        bool allowed = type.Namespace == "TinyLoc.Generator.Pipeline" || type.Namespace == "System.Collections.Immutable" || type.IsArray;
        Assert.True(allowed, $"step {step} carries a {type.FullName}; pipeline values are TinyLoc.Generator.Pipeline records");
        if (type.Namespace == "TinyLoc.Generator.Pipeline" && !type.IsValueType)
        {
            Assert.True(type.GetMethod("Equals", [type]) is not null, $"{type.Name} has no value equality");
        }

        if (value is IEnumerable items && value is not byte[])
        {
            foreach (object? item in items)
            {
                AssertPlainValue(item, step, seen);
            }

            return;
        }

        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertPlainValue(field.GetValue(value), step, seen);
        }
    }
}
