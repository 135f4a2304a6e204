using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TinyLoc.Compiler;
using TinyLocCompilation = TinyLoc.Compiler.Compilation;
using TinyLoc.Compiler.Passes;
using TinyLoc.Generator.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Generator.Tests;

/// <summary>What the generator adds to a compilation: the command line's class, compilable, deterministic, named by the settings.</summary>
public class GeneratedSourceTests
{
    /// <summary>Example and test models: (manifest path relative to the repository, class name).</summary>
    public static TheoryData<string, string> Models => new()
    {
        { "examples/models/kolakowski_mlp.tinyloc.json", "KolakowskiMlp" },
        { "tests/testdata/models/tiny_tanh_cls.tinyloc.json", "TinyTanhCls" },
        { "tests/testdata/models/tiny_silu_reg.tinyloc.json", "TinySiluReg" },
        { "tests/testdata/models/tiny_sparse_reg.tinyloc.json", "TinySparseReg" },
        { "examples/models/onnx/kolakowski_cnn_cf.tinyloc.json", "KolakowskiCnnCf" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Generated_class_is_the_one_tinyloc_compile_writes_after_one_pragma_line(string manifest, string className)
    {
        string path = Path.Combine(RepoPaths.RepoRoot, manifest);
        var result = new GeneratorHarness(ModelFiles.For(path)).Run();

        string generated = GeneratorHarness.Source(result, $"TinyLoc.Models.{className}.g.cs");
        var cli = TinyLocCompilation.Create(path).Emit("dotnet");
        Assert.NotNull(cli);
        Assert.Equal(Emitting.SourceEmitter.Preamble + cli![0].Content, generated);
    }

    [Fact]
    public void Uji_class_with_unroll_none_is_the_one_tinyloc_compile_writes()
    {
        string path = Path.Combine(RepoPaths.ExamplesModels, "uji_mlp.tinyloc.json");
        var options = new TestOptionsProvider(new Dictionary<string, string> { ["TinyLocUnroll"] = "none", ["TinyLocTarget"] = "nanoframework" });
        var result = new GeneratorHarness(ModelFiles.For(path), options).Run();

        var cli = TinyLocCompilation.Create(path, new CompileOptions { Unroll = UnrollMode.None }).Emit("nanoframework");
        Assert.Equal(Emitting.SourceEmitter.Preamble + cli![0].Content, GeneratorHarness.Source(result, "TinyLoc.Models.UjiMlp.g.cs"));
    }

    [Fact]
    public void Generated_code_compiles_in_the_consumers_compilation()
    {
        var harness = new GeneratorHarness(ModelFiles.For(Path.Combine(RepoPaths.ExamplesModels, "kolakowski_mlp.tinyloc.json")));
        harness.Run();

        var errors = harness.Output!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.Empty(errors);
        var type = harness.Output.GetTypeByMetadataName("TinyLoc.Models.KolakowskiMlp");
        Assert.NotNull(type);
        Assert.Contains(type!.GetMembers(), m => m.Name == "Predict");
    }

    [Fact]
    public void Generated_code_compiles_with_documentation_warnings_as_errors()
    {
        var harness = new GeneratorHarness(
            ModelFiles.For(Path.Combine(RepoPaths.TestData, "models", "tiny_tanh_cls.tinyloc.json")),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose));
        harness.Compilation = harness.Compilation.WithOptions(harness.Compilation.Options.WithGeneralDiagnosticOption(ReportDiagnostic.Error));
        harness.Run();

        Assert.Empty(harness.Output!.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Two_runs_give_byte_identical_sources()
    {
        string path = Path.Combine(RepoPaths.TestData, "models", "tiny_tanh_cls.tinyloc.json");
        string first = GeneratorHarness.Source(new GeneratorHarness(ModelFiles.For(path)).Run(), "TinyLoc.Models.TinyTanhCls.g.cs");
        string second = GeneratorHarness.Source(new GeneratorHarness(ModelFiles.For(path)).Run(), "TinyLoc.Models.TinyTanhCls.g.cs");
        Assert.Equal(first, second);
        Assert.DoesNotContain(RepoPaths.RepoRoot, first);
    }

    [Fact]
    public void Snapshot_of_the_generated_kolakowski_class()
    {
        var options = new TestOptionsProvider(new Dictionary<string, string> { ["TinyLocUnroll"] = "none" });
        var result = new GeneratorHarness(ModelFiles.For(Path.Combine(RepoPaths.ExamplesModels, "kolakowski_mlp.tinyloc.json")), options).Run();
        GeneratorSnapshots.Verify("kolakowski_mlp.dotnet.unroll-none", GeneratorHarness.Source(result, "TinyLoc.Models.KolakowskiMlp.g.cs"));
    }

    [Fact]
    public void Snapshot_of_a_nanoframework_class_in_the_items_namespace()
    {
        string path = Path.Combine(RepoPaths.TestData, "models", "tiny_tanh_cls.tinyloc.json");
        var options = new TestOptionsProvider(
            new Dictionary<string, string> { ["TinyLocTarget"] = "nanoframework", ["TinyLocNamespace"] = "Project.Wide" },
            new Dictionary<string, IReadOnlyDictionary<string, string>> { [path] = new Dictionary<string, string> { ["TinyLocNamespace"] = "Device.Models" } });
        var result = new GeneratorHarness(ModelFiles.For(path), options).Run();
        GeneratorSnapshots.Verify("tiny_tanh_cls.nanoframework", GeneratorHarness.Source(result, "Device.Models.TinyTanhCls.g.cs"));
    }

    [Fact]
    public void Item_metadata_overrides_the_project_property_and_empty_metadata_does_not()
    {
        string a = Path.Combine(RepoPaths.TestData, "models", "tiny_tanh_cls.tinyloc.json");
        string b = Path.Combine(RepoPaths.TestData, "models", "tiny_relu_reg.tinyloc.json");
        var options = new TestOptionsProvider(
            new Dictionary<string, string> { ["TinyLocNamespace"] = "Project.Wide", ["TinyLocTarget"] = "dotnet" },
            new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                [a] = new Dictionary<string, string> { ["TinyLocNamespace"] = "Per.File", ["TinyLocTarget"] = "nanoframework" },
                [b] = new Dictionary<string, string> { ["TinyLocNamespace"] = string.Empty },
            });
        var result = new GeneratorHarness(ModelFiles.For(a).Concat(ModelFiles.For(b)), options).Run();

        Assert.Equal(new[] { "Per.File.TinyTanhCls.g.cs", "Project.Wide.TinyReluReg.g.cs" }, result.ModelSources().Select(s => s.HintName).OrderBy(n => n));
        Assert.Contains("(nanoframework profile)", GeneratorHarness.Source(result, "Per.File.TinyTanhCls.g.cs"));
        Assert.Contains("(dotnet profile)", GeneratorHarness.Source(result, "Project.Wide.TinyReluReg.g.cs"));
    }

    [Fact]
    public void A_project_without_models_gets_nothing()
    {
        var result = new GeneratorHarness(new[] { new TestAdditionalText("/tmp/readme.json", "{}"), new TestAdditionalText("/tmp/data.pt", null) }).Run();
        Assert.Empty(result.GeneratedSources);
        Assert.Empty(result.Diagnostics);
    }
}
