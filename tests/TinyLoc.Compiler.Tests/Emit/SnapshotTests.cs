using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Report;
using TinyLoc.Compiler.Tests.Golden;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Compiler.Tests.Emit;

/// <summary>
/// Approved-file snapshots of everything the compiler shows a person: generated C and C#, IR dumps,
/// memory plans and size reports. A change shows up as a diff; TINYLOC_ACCEPT=1 approves it.
/// </summary>
public sealed class SnapshotTests
{
    [Theory]
    [InlineData("kolakowski_mlp", "static", "all")]
    [InlineData("uji_mlp", "static", "none")]
    [InlineData("tiny_tanh_cls", "none", "all")]
    [InlineData("tiny_silu_reg", "static", "none")]
    [InlineData("kolakowski_mlp", "dynamic", "none")]
    [InlineData("tiny_relu_reg", "dynamic", "all")]
    [InlineData("tiny_cnn1d", "static", "none")]
    [InlineData("tiny_mamba_h8l1", "dynamic", "none")]
    [InlineData("tiny_mdcsa_h16l1", "llm-int8", "none")]
    public void GeneratedCode(string model, string scheme, string unroll)
    {
        var c = GoldenModels.Compile(model, scheme, UnrollSelection.Parse(unroll));
        string key = $"{model}.{scheme}.{unroll}";
        foreach (var f in c.Emit("stm32")!)
        {
            // The runtime's own files are copied as they are: compared with runtime/c, not snapshotted per model.
            if (f.Path.StartsWith("tinyloc_runtime.", System.StringComparison.Ordinal))
            {
                Assert.Equal(Compiler.Emit.RuntimeFiles.Read("c/" + f.Path), f.Content);
                continue;
            }

            Approvals.Verify($"{key}.{f.Path}", f.Content, "txt");
        }

        var cs = c.Emit("nanoframework")!;
        Approvals.Verify($"{key}.cs", cs[0].Content, "txt");
        Assert.All(cs.Skip(1), f => Assert.Equal(Compiler.Emit.RuntimeFiles.Read(f.Path), f.Content));
    }

    [Theory]
    [InlineData("kolakowski_mlp")]
    [InlineData("uji_mlp")]
    [InlineData("tiny_sigmoid_cls")]
    [InlineData("tiny_cnn1d")]
    [InlineData("tiny_mamba_h8l1")]
    [InlineData("tiny_mdcsa_h16l3")]
    public void IrDumpsPlansAndReports(string model)
    {
        var c = GoldenModels.Compile(model, "static", UnrollMode.Auto);
        Approvals.Verify($"{model}.ir", IrPrinter.Print(c.FloatGraph!, model + " (float)") + "\n" + IrPrinter.Print(c.Graph!, model + " (static)"), "txt");
        Approvals.Verify($"{model}.plan", c.Plan!.Print(), "txt");
        Approvals.Verify($"{model}.report", ReportWriter.Markdown(c.Report!), "md");
        Approvals.Verify($"{model}.report", ReportWriter.Json(c.Report!), "json");
    }

    [Theory]
    [InlineData("stm32")]
    [InlineData("esp-idf")]
    [InlineData("nanoframework")]
    [InlineData("dotnet")]
    [InlineData("meadow")]
    public void GeneratingTwiceGivesByteIdenticalFiles(string target)
    {
        foreach (var model in GoldenModels.All.Concat(GoldenModels.Sequence))
        {
            var a = GoldenModels.Compile(model, "static", UnrollMode.Auto).Emit(target)!;
            var b = GoldenModels.Compile(model, "static", UnrollMode.Auto).Emit(target)!;
            Assert.Equal(a.Select(f => f.Path), b.Select(f => f.Path));
            Assert.Equal(a.Select(f => f.Content), b.Select(f => f.Content));
            Assert.All(a, f => Assert.DoesNotContain("\r", f.Content));
            Assert.All(a, f => Assert.DoesNotContain(RepoPaths.RepoRoot, f.Content));
        }
    }
}
