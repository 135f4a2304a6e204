using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;
using static TinyLoc.Compiler.Tests.Harness.NodeRunner;

namespace TinyLoc.Compiler.Tests.Ops;

/// <summary><c>add</c>, <c>mul</c> (two inputs), <c>slice</c> and <c>addconst</c>: one rounding each, so exactly the double result rounded.</summary>
public sealed class ElementwiseTests
{
    [Fact]
    public void AddAndMulAreTheCorrectlyRoundedDoubleResults()
    {
        float[] a = GraphParity.Random(24, 1, -5, 5), b = GraphParity.Random(24, 2, -5, 5);
        var add = new Node("n0_add", Add.Instance, new[] { "a", "b" }, "y", "add");
        var mul = new Node("n0_mul", Mul.Instance, new[] { "a", "b" }, "y", "mul");
        Assert.Equal(a.Zip(b, (u, v) => (float)((double)u + v)), Run(add, T("a", new[] { 4, 6 }, a), T("b", new[] { 4, 6 }, b)));
        Assert.Equal(a.Zip(b, (u, v) => (float)((double)u * v)), Run(mul, T("a", new[] { 4, 6 }, a), T("b", new[] { 4, 6 }, b)));
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(2, 4)]
    [InlineData(5, 1)]
    [InlineData(0, 6)]
    public void SliceTakesColumnsOfEveryRow(int start, int length)
    {
        float[] x = Enumerable.Range(0, 24).Select(i => (float)i).ToArray();
        var node = new Node("n0_slice", new Slice(start, length), new[] { "x" }, "y", "slice");
        var want = Enumerable.Range(0, 4).SelectMany(t => Enumerable.Range(start, length).Select(c => (float)((t * 6) + c)));
        Assert.Equal(want, Run(node, T("x", new[] { 4, 6 }, x)));
        Assert.Equal(x.Skip(start).Take(length), Run(node, T("x", new[] { 6 }, x.Take(6).ToArray())));
    }

    [Fact]
    public void AddConstAddsTheTableElementwise()
    {
        float[] x = GraphParity.Random(12, 3), c = GraphParity.Random(12, 4);
        var node = new Node("n0_pe", new AddConst(c), new[] { "x" }, "y", "pe");
        Assert.Equal(x.Zip(c, (u, v) => (float)((double)u + v)), Run(node, T("x", new[] { 3, 4 }, x)));
    }

    [Fact]
    public void ElementwiseOpsRunTheSameEverywhere()
    {
        // [4, 10] → a = x[:, :5], b = x[:, 5:] → a + b → (a + b) · a → + const; a residual of the graph input too.
        var g = GraphParity.Build(
            "x",
            new[] { 4, 10 },
            new Node("n0_a", new Slice(0, 5), new[] { "x" }, "a", "x"),
            new Node("n1_b", new Slice(5, 5), new[] { "x" }, "b", "x"),
            new Node("n2_add", Add.Instance, new[] { "a", "b" }, "s", "add"),
            new Node("n3_mul", Mul.Instance, new[] { "s", "a" }, "m", "mul"),
            new Node("n4_pe", new AddConst(GraphParity.Random(20, 9)), new[] { "m" }, "e", "pe"),
            new Node("n5_mid", new Slice(3, 5), new[] { "x" }, "c", "x"),
            new Node("n6_res", Add.Instance, new[] { "e", "c" }, "y", "res"));
        var inputs = Enumerable.Range(0, 3).Select(i => GraphParity.Random(40, 70 + i, -10, 10)).ToArray();
        var outputs = GraphParity.AssertEnginesAgree(g, "ops_elementwise", inputs);
        Assert.All(outputs, o => Assert.Equal(20, o.Length));
    }

    [Fact]
    public void RejectsWrongInputs()
    {
        var add = new Node("n0_add", Add.Instance, new[] { "a", "b" }, "y", "add");
        Conv1dTests.AssertFails(add, "'a' is [4, 6] but 'b' is [6, 4]; both must have the same shape", T("a", new[] { 4, 6 }, new float[24]), T("b", new[] { 6, 4 }, new float[24]));
        var one = new Node("n0_mul", Mul.Instance, new[] { "a" }, "y", "mul");
        Conv1dTests.AssertFails(one, "takes 2 inputs, has 1", T("a", new[] { 4, 6 }, new float[24]));
        var slice = new Node("n0_slice", new Slice(4, 3), new[] { "x" }, "y", "slice");
        Conv1dTests.AssertFails(slice, "columns [4, 7) are not within the 6 columns of 'x' [4, 6]", T("x", new[] { 4, 6 }, new float[24]));
        var pe = new Node("n0_pe", new AddConst(new float[10]), new[] { "x" }, "y", "pe");
        Conv1dTests.AssertFails(pe, "the constant has 10 values but 'x' [4, 6] has 24", T("x", new[] { 4, 6 }, new float[24]));
    }
}
