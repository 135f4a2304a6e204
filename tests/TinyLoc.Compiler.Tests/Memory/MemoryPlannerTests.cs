using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Memory;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.Memory;

/// <summary>The arena planner on plain requests (a size, a type, first and last use), without a graph.</summary>
public sealed class MemoryPlannerTests
{
    private static PlannedBuffer F32(string name, int bytes, int first, int last) => new(name, DType.Float32, bytes, first, last, 0);

    private static PlannedBuffer I8(string name, int bytes, int first, int last) => new(name, DType.Int8, bytes, first, last, 0);

    [Fact]
    public void BuffersThatAreNeverLiveTogetherShareTheirPlace()
    {
        var plan = MemoryPlanner.Place(new[] { F32("a", 64, 0, 1), F32("b", 32, 2, 3), F32("c", 64, 4, 5) });
        Assert.Equal(0, plan.OffsetOf("a"));
        Assert.Equal(0, plan.OffsetOf("b"));
        Assert.Equal(0, plan.OffsetOf("c"));
        Assert.Equal(64, plan.ArenaBytes);
        Assert.Equal(64, plan.LowerBound);
    }

    [Fact]
    public void LiveBuffersDoNotOverlapAndTheLargestGoesFirst()
    {
        // x feeds y and z; y and z are both read at step 3.
        var plan = MemoryPlanner.Place(new[] { F32("x", 40, 0, 2), F32("y", 16, 1, 3), F32("z", 80, 2, 3) });
        Assert.Equal(0, plan.OffsetOf("z"));
        Assert.Equal(80, plan.OffsetOf("x"));
        Assert.Equal(120, plan.OffsetOf("y"));
        Assert.Equal(136, plan.ArenaBytes);
        Assert.Equal(136, plan.LowerBound);
    }

    [Fact]
    public void AFloatBufferIsAlignedToFourBytesAfterAnInt8One()
    {
        var plan = MemoryPlanner.Place(new[] { I8("q", 7, 0, 1), F32("f", 4, 1, 2), I8("r", 3, 0, 2) });
        // Largest first: q at 0; f cannot start at 7 (its alignment), so 8; r fits after f, at 12.
        Assert.Equal(0, plan.OffsetOf("q"));
        Assert.Equal(8, plan.OffsetOf("f"));
        Assert.Equal(12, plan.OffsetOf("r"));
        Assert.Equal(16, plan.ArenaBytes);
        Assert.Equal(14, plan.LowerBound);
    }

    [Fact]
    public void TiesArePlacedByFirstUseThenName()
    {
        var plan = MemoryPlanner.Place(new[] { F32("b", 8, 0, 1), F32("a", 8, 0, 1), F32("c", 8, 1, 1) });
        Assert.Equal(0, plan.OffsetOf("a"));
        Assert.Equal(8, plan.OffsetOf("b"));
        Assert.Equal(16, plan.OffsetOf("c"));
    }

    [Fact]
    public void ALongLivedBufferGoesToTheBottomWhenSizeOrderMissesTheLowerBound()
    {
        // kolakowski_mamba's buffers: the residual stream "encoder" lives from step 1 to 14. Placed by size it
        // would come last, above everything live at step 10 (9,600 B); placed first, the arena is the lower bound.
        var requests = new[]
        {
            F32("input.norm", 480, 0, 1), F32("encoder", 640, 1, 14), F32("norm", 640, 2, 3), F32("in_proj", 2560, 3, 5),
            F32("x", 1280, 4, 6), F32("z", 1280, 5, 11), F32("conv1d", 1280, 6, 10), F32("x_proj", 2640, 7, 10),
            F32("dt", 80, 8, 9), F32("dt_proj", 1280, 9, 10), F32("scan", 1280, 10, 12), F32("z_silu", 1280, 11, 12),
            F32("gated", 1280, 12, 13), F32("out_proj", 640, 13, 14), F32("layers.0", 640, 14, 15), F32("emissions", 400, 15, 16),
        };
        var plan = MemoryPlanner.Place(requests);
        Assert.Equal(8400, plan.LowerBound);
        Assert.Equal(8400, plan.ArenaBytes);
        foreach (var a in plan.Buffers)
        {
            Assert.All(plan.Buffers.Where(b => b != a && b.LiveWith(a)), b => Assert.False(b.Overlaps(a), $"{a.Value} overlaps {b.Value}"));
        }
    }

    [Fact]
    public void NoRequestsNeedNoArena()
    {
        var plan = MemoryPlanner.Place(System.Array.Empty<PlannedBuffer>());
        Assert.Equal(0, plan.ArenaBytes);
        Assert.Equal(0, plan.LowerBound);
    }

    /// <summary>x → a = sigmoid(x) [1, 8] → s = a[4..8) → t = tanh(s) → mul(t, t) (the output).</summary>
    private static Graph SliceThenActivation(bool readSliceAfter) => GraphParity.Build(
        "x",
        new[] { 1, 8 },
        new Node("n0", new ActivationOp(Activation.Sigmoid), new[] { "x" }, "a", "a"),
        new Node("n1", new Slice(4, 4), new[] { "a" }, "s", "s"),
        new Node("n2", new ActivationOp(Activation.Tanh), new[] { "s" }, "t", "t"),
        new Node("n3", Mul.Instance, new[] { "t", readSliceAfter ? "s" : "t" }, "y", "y"));

    [Fact]
    public void AContiguousSliceIsAViewAndAnElementwiseOpWritesOverAnInputThatDiesThere()
    {
        var g = SliceThenActivation(readSliceAfter: false);
        var plan = MemoryPlanner.Plan(g);
        Assert.Equal(("a", 16), plan.Aliases["s"]);
        Assert.Equal(("a", 16), plan.Aliases["t"]);
        Assert.Equal(32, plan.ArenaBytes);
        var c = GraphParity.Compile(g, "graph_views");
        Assert.DoesNotContain("GRAPH_VIEWS_S(i) = ", c.Emit("stm32")!.Single(f => f.Path == "graph_views.c").Content);
        GraphParity.AssertEnginesAgree(g, "graph_views", new[] { GraphParity.Random(8, 1), GraphParity.Random(8, 2) });
    }

    [Fact]
    public void AnInputReadAfterTheNodeIsNotWrittenOver()
    {
        // s is read again by the last node, so tanh may not write over it (nor over a, whose bytes s is).
        var g = SliceThenActivation(readSliceAfter: true);
        var plan = MemoryPlanner.Plan(g);
        Assert.Equal(("a", 16), plan.Aliases["s"]);
        Assert.False(plan.Aliases.ContainsKey("t"));
        Assert.True(plan.IsValid(), plan.Print());
        GraphParity.AssertEnginesAgree(g, "graph_no_inplace", new[] { GraphParity.Random(8, 3), GraphParity.Random(8, 4) });
    }
}
