using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using TinyLoc.Generator.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Generator.Tests;

/// <summary>
/// The package carries the runtime: a class generated with it gets <c>CreateLocalizer()</c> and the runtime's sources
/// are added once, however many models use them, so the project compiles with no other reference;
/// <c>TinyLocRuntime=false</c> leaves both out.
/// </summary>
public sealed class RuntimeTests
{
    private static readonly string Uji = Path.Combine(RepoPaths.ExamplesModels, "uji_mlp.tinyloc.json");
    private static readonly string Kolakowski = Path.Combine(RepoPaths.ExamplesModels, "kolakowski_mamba.tinyloc.json");

    [Fact]
    public void Two_models_get_one_copy_of_the_runtime_and_the_project_compiles()
    {
        var harness = new GeneratorHarness(ModelFiles.For(Uji).Concat(ModelFiles.For(Kolakowski)));
        var result = harness.Run();

        Assert.Equal(
            new[] { "TinyLoc.Runtime.Answer.g.cs", "TinyLoc.Runtime.Localizer.g.cs", "TinyLoc.Runtime.ModelInfo.g.cs" },
            result.GeneratedSources.Select(s => s.HintName).Where(n => n.StartsWith(GeneratorResults.RuntimePrefix, System.StringComparison.Ordinal)));
        Assert.Equal(2, result.ModelSources().Count);
        Assert.All(result.ModelSources(), s => Assert.Contains("public static TinyLoc.Runtime.Localizer CreateLocalizer()", s.SourceText.ToString()));
        Assert.Empty(harness.Output!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void TinyLocRuntime_false_leaves_the_runtime_out_and_another_value_is_an_error_naming_it()
    {
        var off = new GeneratorHarness(ModelFiles.For(Uji), new TestOptionsProvider(new Dictionary<string, string> { ["TinyLocRuntime"] = "false" })).Run();
        string source = Assert.Single(off.GeneratedSources).SourceText.ToString();
        Assert.DoesNotContain("CreateLocalizer", source);
        Assert.DoesNotContain("RuntimeStateBytes", source);

        var bad = new GeneratorHarness(ModelFiles.For(Uji), new TestOptionsProvider(new Dictionary<string, string> { ["TinyLocRuntime"] = "maybe" })).Run();
        var error = Assert.Single(bad.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Contains("TinyLocRuntime", error.GetMessage());
    }
}
