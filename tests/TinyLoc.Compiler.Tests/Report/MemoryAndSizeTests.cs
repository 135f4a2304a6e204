using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Report;
using TinyLoc.Compiler.Tests.Golden;
using Xunit;

namespace TinyLoc.Compiler.Tests.Report;

/// <summary>Memory numbers are tested numbers: arenas and flash of the example models are pinned here.</summary>
public sealed class MemoryAndSizeTests
{
    [Theory]
    [InlineData("kolakowski_mlp", "static", "none", 96, 240, 6666)]
    [InlineData("kolakowski_mlp", "static", "all", 96, 240, 20323)]
    [InlineData("kolakowski_mlp", "none", "none", 384, 528, 12560)]
    [InlineData("uji_mlp", "static", "none", 584, 2880, 39698)]
    [InlineData("uji_mlp", "static", "all", 584, 2880, 186567)]
    [InlineData("uji_mlp", "none", "none", 2336, 4632, 144497)]
    [InlineData("kolakowski_mlp", "dynamic", "none", 384, 592, 6528)]
    [InlineData("uji_mlp", "dynamic", "none", 2336, 5152, 39421)]
    [InlineData("kolakowski_mamba", "none", "none", 8400, 10088, 10456)]
    [InlineData("kolakowski_mamba", "dynamic", "none", 8400, 10408, 9208)]
    [InlineData("ibeacon_mamba", "none", "none", 420, 1688, 10621)]
    public void ExampleArenasEqualTheLowerBoundAndArePinned(string model, string scheme, string unroll, int arena, long ram, long flash)
    {
        var c = GoldenModels.Compile(model, scheme, UnrollSelection.Parse(unroll));
        Assert.True(c.Plan!.IsValid());
        Assert.Equal(c.Plan.LowerBound, c.Plan.ArenaBytes);
        Assert.Equal(arena, c.Report!.ArenaBytes);
        Assert.Equal(ram, c.Report.RamBytes);
        Assert.Equal(flash, c.Report.FlashBytes);
    }

    [Theory]
    [MemberData(nameof(EngineParityTests.AllModels), MemberType = typeof(EngineParityTests))]
    public void EveryPlanIsValidAndNoSmallerThanItsLowerBound(string model)
    {
        foreach (var scheme in new[] { "none", "static" })
        {
            var plan = GoldenModels.Compile(model, scheme).Plan!;
            Assert.True(plan.IsValid(), plan.Print());
            Assert.InRange(plan.ArenaBytes, plan.LowerBound, plan.LowerBound + 3);
        }
    }

    [Fact]
    public void AutoUnrollStaysWithinTheFlashBudgetAndUnrollsWhenThereIsRoom()
    {
        var tight = GoldenModels.Compile("kolakowski_mlp", "static", UnrollMode.Auto);
        var c = Compilation.Create(GoldenModels.Manifest("kolakowski_mlp"), new CompileOptions { Scheme = "static", Unroll = UnrollMode.Auto, Budgets = new Budgets(null, 8000) });
        Assert.True(c.Success, string.Join("\n", c.Diagnostics.Items));
        Assert.True(c.Report!.FlashBytes <= 8000);
        Assert.Contains(c.Graph!.Nodes, n => n.Form == IR.LayerForm.Unrolled);
        Assert.Contains(c.Graph.Nodes, n => n.Op.CanUnroll && n.Form == IR.LayerForm.Looped);
        Assert.All(tight.Graph!.Nodes.Where(n => n.Op.CanUnroll), n => Assert.Equal(IR.LayerForm.Unrolled, n.Form));
    }

    [Theory]
    [InlineData("tiny_tanh_cls")]
    [InlineData("tiny_sigmoid_cls")]
    public void EverySchemeThatCallsExpCountsItsStack(string model)
    {
        // Float tanh/sigmoid (fused into linear, dlinear or llinear) call exp; static int8 uses tables instead.
        int relu = GoldenModels.Compile("tiny_relu_reg", "none").Report!.StackBytes;
        int outputs = GoldenModels.Compile(model, "none").Manifest!.Output.Count * 4;
        foreach (var scheme in new[] { "none", "dynamic", "llm-int8" })
        {
            Assert.Equal(relu + 32 + outputs, GoldenModels.Compile(model, scheme).Report!.StackBytes);
        }

        Assert.Equal(relu + outputs, GoldenModels.Compile(model, "static").Report!.StackBytes);
    }

    [Fact]
    public void AnOverBudgetModelNamesItsBiggestBuffers()
    {
        var c = Compilation.Create(GoldenModels.Manifest("uji_mlp"), new CompileOptions { Scheme = "none", Unroll = UnrollMode.None, Budgets = new Budgets(1024, null) });
        var d = Assert.Single(c.Diagnostics.Errors);
        Assert.Equal("TL4001", d.Id);
        Assert.Contains("input (caller's) 2080 B", d.Message);
        Assert.Contains("arena: 0.relu 256 B", d.Message);
        Assert.Contains($"by {c.Report!.RamBytes - 1024}", d.Message);
    }

    [Fact]
    public void NearTheBudgetIsAWarning()
    {
        var probe = GoldenModels.Compile("kolakowski_mlp", "static");
        var c = Compilation.Create(GoldenModels.Manifest("kolakowski_mlp"), new CompileOptions { Scheme = "static", Unroll = UnrollMode.None, Budgets = new Budgets(probe.Report!.RamBytes + 5, null) });
        Assert.True(c.Success);
        Assert.Equal("TL4004", Assert.Single(c.Diagnostics.Items).Id);
    }

    [Theory]
    [InlineData("65536", 65536L)]
    [InlineData("64KiB", 65536L)]
    [InlineData("64KB", 64000L)]
    [InlineData("1.5 MiB", 1572864L)]
    [InlineData("256kB", 256000L)]
    [InlineData("12B", 12L)]
    [InlineData("lots", null)]
    [InlineData("-1", null)]
    public void SizesAcceptUnitSuffixes(string text, long? bytes) => Assert.Equal(bytes, Budgets.ParseSize(text));

    [Fact]
    public void EveryDiagnosticIdIsUniqueAndGrouped()
    {
        var all = typeof(DiagnosticDescriptors).GetFields().Select(f => (DiagnosticDescriptor)f.GetValue(null)!).ToList();
        Assert.Equal(all.Count, all.Select(d => d.Id).Distinct().Count());
        Assert.All(all, d => Assert.Matches("^TL[1-5][0-9]{3}$", d.Id));
    }
}
