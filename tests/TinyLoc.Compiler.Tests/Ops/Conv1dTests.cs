using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;
using static TinyLoc.Compiler.Tests.Harness.NodeRunner;

namespace TinyLoc.Compiler.Tests.Ops;

/// <summary><c>conv1d</c> (dense, causal, strided, grouped, depthwise) and <c>maxpool1d</c> over time-major [T, C] sequences.</summary>
public sealed class Conv1dTests
{
    public static Conv1d Conv(int inCh, int outCh, int k, int stride, int padLeft, int padRight, int groups, Activation act, int seed)
    {
        int fanIn = inCh / groups * k;
        float bound = 1.0f / (float)System.Math.Sqrt(fanIn);
        return new Conv1d(inCh, outCh, k, stride, padLeft, padRight, groups, GraphParity.Random(outCh * fanIn, seed, -bound, bound), GraphParity.Random(outCh, seed + 1, -bound, bound), act);
    }

    private static Node ConvNode(Conv1d p, string x = "x", string y = "y") => new("n0_conv", p, new[] { x }, y, "conv");

    [Theory]
    [InlineData("dense k3", 10, 6, 5, 3, 1, 0, 0, 1, Activation.None)]
    [InlineData("dense k3 same padding, relu", 10, 6, 5, 3, 1, 1, 1, 1, Activation.Relu)]
    [InlineData("causal k4 (MDCSA q/k), tanh", 20, 8, 8, 4, 1, 3, 0, 1, Activation.Tanh)]
    [InlineData("depthwise causal k4 (Mamba), silu", 20, 16, 16, 4, 1, 3, 0, 16, Activation.Silu)]
    [InlineData("stride 2, odd length", 11, 4, 6, 3, 2, 0, 0, 1, Activation.None)]
    [InlineData("stride 3 k3 (MDCSA merge), 2 steps dropped", 62, 8, 8, 3, 3, 0, 0, 1, Activation.None)]
    [InlineData("kernel 1 (pointwise)", 7, 9, 3, 1, 1, 0, 0, 1, Activation.Elu)]
    [InlineData("two groups, padding both sides, stride 2", 9, 6, 4, 5, 2, 2, 3, 2, Activation.Sigmoid)]
    [InlineData("kernel longer than the sequence, padded", 2, 3, 2, 4, 1, 3, 1, 1, Activation.None)]
    public void MatchesPyTorchsDefinitionInDouble(string what, int steps, int inCh, int outCh, int k, int stride, int padLeft, int padRight, int groups, Activation act)
    {
        var p = Conv(inCh, outCh, k, stride, padLeft, padRight, groups, act, steps + k);
        float[] x = GraphParity.Random(steps * inCh, 7 + k, -3, 3);
        float[] y = Run(ConvNode(p), T("x", new[] { steps, inCh }, x));
        Assert.Equal(p.OutSteps(steps) * outCh, y.Length);
        DoubleReference.AssertNormwise(y, DoubleReference.Conv1d(x, steps, p), what);
    }

    [Fact]
    public void CausalPaddingNeverLooksAhead()
    {
        // Changing step t of the input changes no output before t.
        var p = Conv(3, 2, 4, 1, 3, 0, 1, Activation.None, 5);
        float[] x = GraphParity.Random(8 * 3, 9);
        float[] y0 = Run(ConvNode(p), T("x", new[] { 8, 3 }, x));
        x[(5 * 3) + 1] += 1.0f;
        float[] y1 = Run(ConvNode(p), T("x", new[] { 8, 3 }, x));
        Assert.Equal(y0.Take(5 * 2), y1.Take(5 * 2));
        Assert.NotEqual(y0[(5 * 2) + 0], y1[(5 * 2) + 0]);
    }

    [Theory]
    [InlineData(9, 3, 2, 2)]
    [InlineData(8, 2, 3, 1)]
    [InlineData(10, 4, 3, 2)]
    [InlineData(5, 1, 5, 5)]
    public void MaxPoolTakesEachWindowsMaximum(int steps, int ch, int k, int stride)
    {
        float[] x = GraphParity.Random(steps * ch, steps + k);
        var node = new Node("n0_pool", new MaxPool1d(k, stride), new[] { "x" }, "y", "pool");
        float[] y = Run(node, T("x", new[] { steps, ch }, x));
        Assert.Equal(DoubleReference.MaxPool(x, steps, ch, k, stride), y.Select(v => (double)v).ToArray());
    }

    [Fact]
    public void ConvolutionsAndPoolingRunTheSameEverywhere()
    {
        // [12, 6] → same-padded k3 relu [12, 8] → depthwise causal k4 silu [12, 8] → maxpool 2 [6, 8]
        // → grouped strided k3 with padding [3, 4] → pointwise k1 elu [3, 5].
        var g = GraphParity.Build(
            "x",
            new[] { 12, 6 },
            new Node("n0_dense", Conv(6, 8, 3, 1, 1, 1, 1, Activation.Relu, 1), new[] { "x" }, "c0", "c0"),
            new Node("n1_dw", Conv(8, 8, 4, 1, 3, 0, 8, Activation.Silu, 3), new[] { "c0" }, "c1", "c1"),
            new Node("n2_pool", new MaxPool1d(2, 2), new[] { "c1" }, "p", "p"),
            new Node("n3_strided", Conv(8, 4, 3, 2, 1, 1, 2, Activation.Tanh, 5), new[] { "p" }, "c2", "c2"),
            new Node("n4_pointwise", Conv(4, 5, 1, 1, 0, 0, 1, Activation.Elu, 7), new[] { "c2" }, "c3", "c3"));
        Assert.Equal(new[] { 3, 5 }, g[g.Output].Shape);
        var inputs = Enumerable.Range(0, 3).Select(i => GraphParity.Random(12 * 6, 40 + i, -3, 3)).ToArray();
        GraphParity.AssertEnginesAgree(g, "ops_conv", inputs);
    }

    [Fact]
    public void RejectsShapesAndParametersThatDoNotFit()
    {
        var x = T("x", new[] { 6, 4 }, new float[24]);
        AssertFails(ConvNode(Conv(5, 2, 3, 1, 0, 0, 1, Activation.None, 1)), "weight expects 5 input channels but 'x' is [6, 4]", x);
        AssertFails(ConvNode(Conv(4, 3, 3, 1, 0, 0, 2, Activation.None, 1)), "2 groups must divide the 4 input and 3 output channels", x);
        AssertFails(ConvNode(Conv(4, 2, 9, 1, 1, 1, 1, Activation.None, 1)), "6 steps with padding (1, 1) are shorter than the kernel 9", x);
        AssertFails(ConvNode(Conv(4, 2, 3, 0, 0, 0, 1, Activation.None, 1)), "must be at least 1", x);
        var p = Conv(4, 2, 3, 1, 0, 0, 1, Activation.None, 1);
        AssertFails(ConvNode(p with { Weight = new float[5] }), "weight has 5 values and bias 2, need [2, 4, 3] and [2]", x);
        AssertFails(ConvNode(p), "'x' is [24], needs a matrix [rows, columns]", T("x", new[] { 24 }, new float[24]));
        var pool = new Node("n0_pool", new MaxPool1d(7, 1), new[] { "x" }, "y", "pool");
        AssertFails(pool, "6 steps are fewer than the kernel 7", x);
    }

    internal static void AssertFails(Node node, string message, params Tensor[] inputs)
    {
        var e = Assert.Throws<DiagnosticException>(() => Graph(node, inputs));
        Assert.Equal("TL2001", e.Diagnostic.Id);
        Assert.Contains(message, e.Diagnostic.Message);
    }
}
