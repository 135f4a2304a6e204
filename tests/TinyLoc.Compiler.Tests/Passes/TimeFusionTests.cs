using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Memory;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Tests.Golden;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Util;
using Xunit;

namespace TinyLoc.Compiler.Tests.Passes;

/// <summary>
/// The time-fused schedule (<see cref="TimeFusion"/>): the same bits as the layer schedule in the reference evaluator on
/// every sequence model and scheme (the engine tests then hold C, C#, Cortex-M4 and rv32 to the fused evaluator), what
/// fuses and what stays a barrier and why, and the RAM it saves.
/// </summary>
public sealed class TimeFusionTests
{
    public static IEnumerable<object[]> SequenceModelsAndSchemes() =>
        from m in GoldenModels.Sequence.Concat(GoldenModels.SequenceExamples)
        from s in GoldenModels.Schemes
        select new object[] { m, s };

    [Theory]
    [MemberData(nameof(SequenceModelsAndSchemes))]
    public void FusedAndLayerSchedulesGiveTheSameBits(string model, string scheme)
    {
        var fused = Compile(model, scheme, ScheduleMode.Fused);
        var layer = Compile(model, scheme, ScheduleMode.Layer);
        Assert.Empty(layer.Graph!.Loops);
        var inputs = GoldenModels.Vectors(model).Inputs;
        FloatCompare.AssertBitIdentical(inputs.Select(layer.Evaluate).ToArray(), inputs.Select(fused.Evaluate).ToArray(), $"{model}/{scheme}: fused vs layer schedule");
        Assert.True(fused.Plan!.IsValid(), fused.Plan.Print());
        Assert.True(fused.Report!.ArenaBytes <= layer.Report!.ArenaBytes, $"{model}/{scheme}: fused arena {fused.Report.ArenaBytes} B > layer {layer.Report.ArenaBytes} B");
        Assert.Equal(layer.Report.Macs, fused.Report.Macs);
    }

    [Theory]
    [InlineData("none", 2036, 2740)]
    [InlineData("static", 2036, 2740)]
    public void KolakowskiMambaRunsInOneLoopWithinThreeKilobytes(string scheme, int arena, int ram)
    {
        var c = Compile("kolakowski_mamba", scheme, ScheduleMode.Fused, runtime: false);
        var loop = Assert.Single(c.Graph!.Loops);
        Assert.Equal(20, loop.Steps);
        // Everything up to the emissions runs per step; the CRF decodes the window after the loop.
        var crf = c.Graph.Nodes.Last();
        Assert.Equal("crf", crf.Op.Name);
        Assert.Equal(c.Graph.Nodes.Count - 2, loop.Last);
        Assert.Equal("window: the CRF decodes the whole window", crf.Schedule);
        Assert.Contains(c.Graph.Nodes, n => n.Op is SelectiveScanStep);
        Assert.Contains(c.Graph.Nodes, n => n.Op is Conv1dStep);
        Assert.Equal(c.Plan!.LowerBound, c.Plan.ArenaBytes);
        Assert.Equal(arena, c.Report!.ArenaBytes);
        Assert.Equal(ram, c.Report.RamBytes);
        Assert.True(c.Report.RamBytes <= 3000, $"{c.Report.RamBytes} B");
    }

    /// <summary>The model alone (no runtime): arena, scratch, input and output, stack estimate; against the layer schedule's.</summary>
    [Theory]
    [InlineData("kolakowski_mdcsa_l1", "none", 6400, 12224)]
    [InlineData("kolakowski_mdcsa_l3", "none", 11072, 33344)]
    [InlineData("kolakowski_mdcsa_l3", "dynamic", 16064, 34624)]
    [InlineData("kolakowski_cnn1d", "none", 2360, 2360)]
    public void TheRamOfTheSequenceExamplesIsPinned(string model, string scheme, long fused, long layer)
    {
        var c = Compile(model, scheme, ScheduleMode.Fused, runtime: false);
        Assert.Equal(c.Plan!.LowerBound, c.Plan.ArenaBytes);
        Assert.Equal(fused, c.Report!.RamBytes);
        Assert.Equal(layer, Compile(model, scheme, ScheduleMode.Layer, runtime: false).Report!.RamBytes);
    }

    [Fact]
    public void DynamicLayersAreBarriersAndAttentionRunsRowByRow()
    {
        var dynamic = Compile("kolakowski_mamba", "dynamic", ScheduleMode.Fused);
        var dlinear = dynamic.Graph!.Nodes.First(n => n.Op is DLinear);
        Assert.Equal("window: dynamic int8: one input scale over the whole window, as PyTorch", dlinear.Schedule);
        // Attention runs row by row (each row of the scores reads the keys whole, made before the loop); the
        // strided convolution after it is a barrier.
        var mdcsa = Compile("kolakowski_mdcsa_l3", "none", ScheduleMode.Fused);
        Assert.Contains(mdcsa.Graph!.Nodes, n => n.Op is MatMul && n.Schedule.EndsWith("row by row, reading 'mdsca.merge' whole", System.StringComparison.Ordinal));
        Assert.Contains(mdcsa.Graph.Nodes, n => n.Op is Conv1d && n.Schedule == "window: not causal (stride 3, padding 0,0): a step reads later steps");
        Assert.NotEmpty(mdcsa.Graph.Loops);
        Assert.All(mdcsa.Graph.Nodes.Where((n, i) => mdcsa.Graph.LoopOf(i) is not null), n => Assert.StartsWith("loop ", n.Schedule));
    }

    [Fact]
    public void AValueThatCrossesALoopBoundaryIsLiveForTheWholeLoop()
    {
        var c = Compile("kolakowski_mamba", "none", ScheduleMode.Fused, runtime: false);
        var g = c.Graph!;
        var loop = g.Loops.Single();
        var byValue = c.Plan!.Buffers.ToDictionary(b => b.Value);
        // emissions is written one row per step and read by the CRF after the loop: it keeps its place from the first step.
        Assert.Equal((loop.First, g.Nodes.Count - 1), (byValue["emissions"].FirstUse, byValue["emissions"].LastUse));
        foreach (string carry in loop.Carries)
        {
            Assert.Equal((loop.First, loop.Last), (byValue[carry].FirstUse, byValue[carry].LastUse));
        }

        // A row made and read within one step keeps its own short range.
        var xProj = byValue["layers.0.mixer.x_proj"];
        Assert.True(xProj.LastUse - xProj.FirstUse < loop.Last - loop.First);
        Assert.Equal((2, 9), MemoryPlanner.Lifetime(g, 2, 9));
    }

    [Fact]
    public void ModelsWithoutATimeAxisAreLeftAsTheyAre()
    {
        var c = GoldenModels.Compile("uji_mlp", "static");
        Assert.Empty(c.Graph!.Loops);
        Assert.All(c.Graph.Nodes, n => Assert.Equal(string.Empty, n.Schedule));
        Assert.All(c.Report!.Layers, l => Assert.Equal("-", l.Schedule));
    }

    [Fact]
    public void TheReportSaysWhereEachNodeRunsAndWhy()
    {
        var c = Compile("kolakowski_mamba", "none", ScheduleMode.Fused);
        string md = TinyLoc.Compiler.Report.ReportWriter.Markdown(c.Report!);
        Assert.Contains("Schedule: 1 time-fused loop,", md);
        Assert.Contains("| loop 1 (20 steps): step form: the state h [channels, states] is the carry |", md);
        Assert.Contains("| window: the CRF decodes the whole window |", md);
        string json = TinyLoc.Compiler.Report.ReportWriter.Json(c.Report!);
        Assert.Contains("\"schedule\": \"loop 1 (20 steps): row by row\"", json);
    }

    [Fact]
    public void AnUnknownScheduleIsTL5008()
    {
        var bag = new DiagnosticBag();
        Assert.Equal(ScheduleMode.Layer, OptionValues.Schedule("layer", new SourceLocation("--schedule"), bag));
        OptionValues.Schedule("time", new SourceLocation("--schedule"), bag);
        var d = Assert.Single(bag.Items);
        Assert.Equal("TL5008", d.Id);
        Assert.Contains("'time'", d.Message);
    }

    private static Compilation Compile(string model, string scheme, ScheduleMode schedule, bool runtime = true)
    {
        var c = Compilation.Create(GoldenModels.Manifest(model), new CompileOptions
        {
            Scheme = scheme,
            Schedule = schedule,
            Runtime = runtime,
            CalibrationInputs = GoldenModels.CalibrationFor(model, scheme),
        });
        Assert.True(c.Success, string.Join("\n", c.Diagnostics.Items));
        return c;
    }
}
