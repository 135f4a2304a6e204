using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Memory;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.Ops;

/// <summary>The shared int8 and float32 scratch buffers: declared only when used, sized as reported.</summary>
public sealed class ScratchTests
{
    private const int Steps = 6, Channels = 4, States = 3;

    /// <summary>x → selective scan (12 floats of state) → CRF path over 4 classes (8 floats of scores, 5·4 back-pointers).</summary>
    private static Graph ScanThenCrf() => GraphParity.Build(
        "x",
        new[] { Steps, Channels },
        new Node("n0_delta", new ActivationOp(Activation.Sigmoid), new[] { "x" }, "delta", "dt"),
        new Node("n1_dbc", new MatMul(true, 1.0f), new[] { "x", "x" }, "dbc", "x_proj"),
        new Node("n2_scan", new SelectiveScan(Channels, States, 0, 3, GraphParity.Random(Channels * States, 1, -2.0f, -0.1f), GraphParity.Random(Channels, 2)), new[] { "x", "delta", "dbc" }, "y", "mixer"),
        new Node("n3_crf", new Crf(Channels, GraphParity.Random(Channels, 3), GraphParity.Random(Channels, 4), GraphParity.Random(Channels * Channels, 5), true), new[] { "y" }, "tags", "crf"));

    [Fact]
    public void TheReportCountsTheLargestInt8NeedPlusTheLargestFloatNeed()
    {
        var g = ScanThenCrf();
        int i8 = (Steps - 1) * Channels, f32 = Channels * States * 4;
        Assert.Equal(i8, ScratchBuffers.I8Bytes(g));
        Assert.Equal(f32, ScratchBuffers.F32Bytes(g));

        // The layer schedule: the scan keeps its state in the float scratch (fused, it is the loop's carry in the arena).
        var c = GraphParity.Compile(g, "graph_scratch", schedule: TinyLoc.Compiler.Passes.ScheduleMode.Layer);
        Assert.Equal(i8 + f32, c.Report!.ScratchBytes);
        Assert.Equal(c.Report.ArenaBytes + c.Report.StateBytes + i8 + f32 + c.Report.InputBytes + c.Report.OutputBytes + c.Report.StackBytes + c.Report.RuntimeStateBytes, c.Report.RamBytes);

        var files = c.Emit("stm32")!;
        string source = files.Single(f => f.Path == "graph_scratch.c").Content;
        string header = files.Single(f => f.Path == "graph_scratch.h").Content;
        Assert.Contains($"static GRAPH_SCRATCH_ARENA_ATTRIBUTE int8_t graph_scratch_scratch[{i8}];", source);
        Assert.Contains("for CRF back-pointers. */", source);
        Assert.Contains($"static GRAPH_SCRATCH_ARENA_ATTRIBUTE float graph_scratch_scratch_f32[{f32 / 4}];", source);
        Assert.Contains("for the selective-scan state, the CRF's Viterbi scores. */", source);
        Assert.Contains($"#define GRAPH_SCRATCH_SCRATCH_BYTES {i8 + f32}\n", header);

        string cs = c.Emit("nanoframework")!.First().Content;
        Assert.Contains($"private static readonly sbyte[] Scratch = new sbyte[{i8}];", cs);
        Assert.Contains($"private static readonly float[] ScratchF32 = new float[{f32 / 4}];", cs);
        Assert.Contains($"public const int ScratchBytes = {i8 + f32};", cs);
    }

    [Fact]
    public void NodesShareTheScratchOneAfterAnother()
    {
        var inputs = Enumerable.Range(0, 3).Select(i => GraphParity.Random(Steps * Channels, 80 + i)).ToArray();
        var outputs = GraphParity.AssertEnginesAgree(ScanThenCrf(), "graph_scratch", inputs);
        Assert.All(outputs.SelectMany(o => o), t => Assert.InRange(t, 0.0f, Channels - 1));
    }

    [Fact]
    public void AGraphWithoutScratchDeclaresNone()
    {
        var g = GraphParity.Build("x", new[] { 3, 2 }, new Node("n0_mm", new MatMul(true, 1.0f), new[] { "x", "x" }, "s", "mm"));
        var c = GraphParity.Compile(g, "graph_plain");
        Assert.Equal(0, c.Report!.ScratchBytes);
        Assert.DoesNotContain("scratch", c.Emit("stm32")!.Single(f => f.Path == "graph_plain.c").Content);
        Assert.DoesNotContain("Scratch", c.Emit("nanoframework")!.First().Content.Replace("ScratchBytes", string.Empty));
    }
}
