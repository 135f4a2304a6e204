using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using TinyLoc.Generator.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Generator.Tests;

/// <summary>The generator never throws: the malformed corpora become diagnostics in the model file.</summary>
public class MalformedModelTests
{
    /// <summary>The manifest corpus: file, id, 0-based line in the manifest, start of the message.</summary>
    public static TheoryData<string, string, int, string> Manifests => new()
    {
        { "bad_checkpoint", "TL1002", 4, "truncated.pt: the checkpoint is not a readable PyTorch zip archive" },
        { "evil_checkpoint", "TL1004", 4, "evil_global.pt: the pickle names global 'posix.system', which is not on the allowlist" },
        { "missing_tensor", "TL1201", 4, "tiny_relu_reg.pt: the mlp model needs tensor 'fc9.weight'" },
        { "no_ranges", "TL3002", 0, "static quantisation needs the range of tensor 'input.norm'" },
        { "unknown_field", "TL1102", 38, "unknown field 'quantisation' (did you mean 'quantization'?)" },
        { "unknown_scheme", "TL3001", 39, "quantisation scheme 'int4' is not known" },
        { "wrong_shape", "TL1203", 4, "tiny_relu_reg.pt: tensor 'fc1.weight' has shape [8, 5], but the model needs [8, 6]" },
    };

    /// <summary>Every file of the checkpoint corpus.</summary>
    public static TheoryData<string> Checkpoints
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string file in Directory.EnumerateFiles(Path.Combine(RepoPaths.TestData, "checkpoints"))
                .Where(f => !f.EndsWith(".py", StringComparison.Ordinal) && !f.EndsWith(".json", StringComparison.Ordinal))
                .OrderBy(f => f, StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(file));
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Each_malformed_manifest_is_one_error_in_the_model_file(string name, string id, int line, string message)
    {
        string path = Path.Combine(RepoPaths.TestData, "manifests", name + ".tinyloc.json");
        var result = new GeneratorHarness(ModelFiles.For(path)).Run();

        var error = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(id, error.Id);
        Assert.StartsWith(message, error.GetMessage());
        Assert.Contains(". Fix: ", error.GetMessage());
        DiagnosticTests.AssertInModelFile(error, path, line);

        // At most a stub class, marked obsolete with the error's id, so user code gets no follow-on errors.
        var sources = result.ModelSources();
        Assert.True(sources.Count <= 1);
        if (sources.Count == 1)
        {
            string stub = sources[0].SourceText.ToString();
            Assert.Contains("[System.Obsolete(", stub, StringComparison.Ordinal);
            Assert.Contains($"did not compile ({id}", stub, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// A project that calls a model which does not compile fails on the model's error alone: the stub class keeps
    /// every call compiling (CS0618 warnings, no CS0103 or CS0117).
    /// </summary>
    [Fact]
    public void A_failing_model_leaves_one_error_not_a_cascade_in_the_code_that_calls_it()
    {
        string path = Path.Combine(RepoPaths.TestData, "manifests", "wrong_shape.tinyloc.json");
        var harness = new GeneratorHarness(ModelFiles.For(path));
        string user = "namespace Consumer { internal static class Use { internal static int Run(float[] x) { var y = new float[TinyLoc.Models.Broken.OutputCount]; TinyLoc.Models.Broken.Predict(x, y); return TinyLoc.Models.Broken.Classify(x) + TinyLoc.Models.Broken.Labels.Length; } } }";
        harness.Compilation = harness.Compilation.AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(user, (Microsoft.CodeAnalysis.CSharp.CSharpParseOptions)harness.Compilation.SyntaxTrees.First().Options, path: "Use.cs"));
        var result = harness.Run();

        Assert.Equal("TL1203", Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error).Id);
        var compileErrors = harness.Output!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(compileErrors.Count == 0, string.Join("\n", compileErrors));
        Assert.Contains(harness.Output.GetDiagnostics(), d => d.Id == "CS0618" && d.GetMessage().Contains("TL1203", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public void Every_checkpoint_of_the_corpus_compiles_or_gives_errors_in_the_model_file(string checkpoint)
    {
        // A manifest beside the corpus (given as text) that names each checkpoint in turn.
        string path = Path.Combine(RepoPaths.TestData, "checkpoints", "corpus_" + Path.GetFileNameWithoutExtension(checkpoint) + ".tinyloc.json");
        string text = File.ReadAllText(Path.Combine(RepoPaths.TestData, "manifests", "bad_checkpoint.tinyloc.json"))
            .Replace("../checkpoints/truncated.pt", checkpoint, StringComparison.Ordinal);
        var result = new GeneratorHarness(ModelFiles.For(path, text)).Run();

        Assert.DoesNotContain(result.Diagnostics, d => d.Id is "TL6005" or "TL6006");
        Assert.True(result.ModelSources().Count == 1 || result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error));
        Assert.All(result.Diagnostics, d => Assert.Equal(path, d.Location.GetLineSpan().Path));
        Assert.All(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), d => Assert.Matches("^TL[1-6][0-9]{3}$", d.Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"tinyloc\": 1e999}")]
    [InlineData("{\"tinyloc\": 1, \"name\": \"x\", \"checkpoint\": 5}")]
    [InlineData("{\"tinyloc\": 1, \"name\": \"x\", \"checkpoint\": \"\\u0000:*?\", \"family\": \"mlp\"}")]
    [InlineData("\u0001\u0002PK\u0003\u0004 not json at all")]
    public void Garbage_manifests_give_errors_not_exceptions(string text)
    {
        string path = Path.Combine(RepoPaths.TestData, "manifests", "virtual_garbage.tinyloc.json");
        var result = new GeneratorHarness(new[] { new TestAdditionalText(path, text) }).Run();

        Assert.NotEmpty(result.Diagnostics);
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.DoesNotContain(result.Diagnostics, d => d.Id is "TL6005" or "TL6006");
        Assert.All(result.Diagnostics, d => Assert.Equal(path, d.Location.GetLineSpan().Path));
    }

    [Fact]
    public void An_unreadable_manifest_and_an_unreadable_checkpoint_are_errors()
    {
        string path = Path.Combine(RepoPaths.TestData, "manifests", "virtual_unreadable.tinyloc.json");
        var noText = new GeneratorHarness(new[] { new TestAdditionalText(path, null) }).Run();
        Assert.Equal("TL1001", Assert.Single(noText.Diagnostics).Id);

        string missing = Path.Combine(RepoPaths.TestData, "manifests", "virtual_missing.tinyloc.json");
        string text = File.ReadAllText(Path.Combine(RepoPaths.TestData, "manifests", "bad_checkpoint.tinyloc.json"))
            .Replace("../checkpoints/truncated.pt", "no_such_file.pt", StringComparison.Ordinal);
        var gone = new GeneratorHarness(ModelFiles.For(missing, text)).Run();
        var error = Assert.Single(gone.Diagnostics);
        Assert.Equal("TL1001", error.Id);
        Assert.StartsWith("no_such_file.pt: cannot read the file: ", error.GetMessage());
        DiagnosticTests.AssertInModelFile(error, missing, line: 4);
    }
}
