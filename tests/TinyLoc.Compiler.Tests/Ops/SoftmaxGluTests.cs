using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;
using static TinyLoc.Compiler.Tests.Harness.NodeRunner;

namespace TinyLoc.Compiler.Tests.Ops;

/// <summary><c>softmax</c> and <c>glu</c> over the last dimension.</summary>
public sealed class SoftmaxGluTests
{
    private static Node SoftmaxNode() => new("n0_softmax", Softmax.Instance, new[] { "x" }, "y", "attn");

    private static Node GluNode() => new("n0_glu", Glu.Instance, new[] { "x" }, "y", "glu");

    [Theory]
    [InlineData(6, 6, 3.0f, 0.0f)]
    [InlineData(4, 20, 30.0f, 0.0f)]
    [InlineData(3, 9, 5.0f, 1000.0f)]
    [InlineData(2, 5, 200.0f, -500.0f)]
    [InlineData(1, 1, 1.0f, 0.0f)]
    public void SoftmaxMatchesTheDefinitionInDoubleAlsoForLargeValues(int rows, int n, float spread, float offset)
    {
        // Values near ±1000 overflow a naive exp; subtracting the row maximum keeps every exp in [0, 1].
        float[] x = GraphParity.Random(rows * n, rows + n, -spread, spread).Select(v => v + offset).ToArray();
        float[] y = Run(SoftmaxNode(), T("x", new[] { rows, n }, x));
        DoubleReference.AssertNormwise(y, DoubleReference.Softmax(x, n), $"softmax [{rows}, {n}] ±{spread} + {offset}");
        for (int t = 0; t < rows; t++)
        {
            Assert.InRange(y.Skip(t * n).Take(n).Sum(v => (double)v), 1 - 1e-5, 1 + 1e-5);
        }
    }

    [Fact]
    public void SoftmaxOfEqualValuesIsUniformAndAFlatInputIsOneRow()
    {
        float[] y = Run(SoftmaxNode(), T("x", new[] { 8 }, Enumerable.Repeat(123.0f, 8).ToArray()));
        Assert.All(y, v => Assert.Equal(0.125f, v));
    }

    [Theory]
    [InlineData(5, 8)]
    [InlineData(1, 32)]
    public void GluMatchesTheDefinitionInDouble(int rows, int h)
    {
        float[] x = GraphParity.Random(rows * 2 * h, h, -6, 6);
        float[] y = Run(GluNode(), T("x", new[] { rows, 2 * h }, x));
        DoubleReference.AssertNormwise(y, DoubleReference.Glu(x, 2 * h), $"glu [{rows}, {2 * h}]");
    }

    [Fact]
    public void SoftmaxAndGluRunTheSameEverywhere()
    {
        // [5, 12] → glu [5, 6] → softmax [5, 6]; a second softmax straight on the input, with large values.
        var g = GraphParity.Build(
            "x",
            new[] { 5, 12 },
            new Node("n0_glu", Glu.Instance, new[] { "x" }, "g", "glu"),
            new Node("n1_softmax", Softmax.Instance, new[] { "g" }, "p", "attn"),
            new Node("n2_softmax", Softmax.Instance, new[] { "x" }, "q", "attn2"),
            new Node("n3_slice", new Slice(3, 6), new[] { "q" }, "q6", "attn2"),
            new Node("n4_mul", Mul.Instance, new[] { "p", "q6" }, "y", "gate"));
        var inputs = new[] { GraphParity.Random(60, 1, -4, 4), GraphParity.Random(60, 2, -90, 90), GraphParity.Random(60, 3, 500, 1500) };
        GraphParity.AssertEnginesAgree(g, "ops_softmax", inputs);
    }

    [Fact]
    public void RejectsWrongInputs()
    {
        Conv1dTests.AssertFails(GluNode(), "the last dimension must be even", T("x", new[] { 3, 7 }, new float[21]));
        var two = new Node("n0_softmax", Softmax.Instance, new[] { "x", "x" }, "y", "attn");
        Conv1dTests.AssertFails(two, "takes 1 input, has 2", T("x", new[] { 3, 7 }, new float[21]));
    }
}
