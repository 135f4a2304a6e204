using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Memory;
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
    public void NoRequestsNeedNoArena()
    {
        var plan = MemoryPlanner.Place(System.Array.Empty<PlannedBuffer>());
        Assert.Equal(0, plan.ArenaBytes);
        Assert.Equal(0, plan.LowerBound);
    }
}
