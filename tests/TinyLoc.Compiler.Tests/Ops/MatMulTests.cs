using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;
using static TinyLoc.Compiler.Tests.Harness.NodeRunner;

namespace TinyLoc.Compiler.Tests.Ops;

/// <summary>The float <c>matmul</c> of two activations (attention scores q·kᵀ/√H and P·V).</summary>
public sealed class MatMulTests
{
    private static Node MatMulNode(bool transposeB, float scale, string a = "a", string b = "b") =>
        new("n0_mm", new MatMul(transposeB, scale), new[] { a, b }, "y", "mm");

    /// <summary>The straightforward definition in double precision: y[m,n] = scale · Σ_k A[m,k]·B(k,n).</summary>
    private static double[] Reference(float[] a, float[] b, int m, int k, int n, bool transposeB, float scale)
    {
        var y = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int kk = 0; kk < k; kk++)
                {
                    s += (double)a[(i * k) + kk] * (transposeB ? b[(j * k) + kk] : b[(kk * n) + j]);
                }

                y[(i * n) + j] = s * scale;
            }
        }

        return y;
    }

    [Theory]
    [InlineData(false, 1.0f)]
    [InlineData(true, 1.0f)]
    [InlineData(true, 0.35355338f)]
    [InlineData(false, 0.125f)]
    public void MatchesADoublePrecisionReference(bool transposeB, float scale)
    {
        const int m = 7, k = 16, n = 5;
        float[] a = GraphParity.Random(m * k, 1), b = GraphParity.Random(k * n, 2);
        float[] y = Run(MatMulNode(transposeB, scale), T("a", new[] { m, k }, a), T("b", transposeB ? new[] { n, k } : new[] { k, n }, b));
        Assert.True(NormwiseError(y, Reference(a, b, m, k, n, transposeB, scale)) < 1e-6);
    }

    [Fact]
    public void SmallIntegersAndAPowerOfTwoScaleAreExact()
    {
        const int m = 4, k = 6, n = 3;
        float[] a = Enumerable.Range(0, m * k).Select(i => (float)((i * 7 % 17) - 8)).ToArray();
        float[] b = Enumerable.Range(0, k * n).Select(i => (float)((i * 5 % 13) - 6)).ToArray();
        float[] y = Run(MatMulNode(false, 0.25f), T("a", new[] { m, k }, a), T("b", new[] { k, n }, b));
        Assert.Equal(Reference(a, b, m, k, n, false, 0.25f), y.Select(v => (double)v).ToArray());
    }

    [Fact]
    public void TransposedAndPlainLayoutsSumInTheSameOrder()
    {
        const int m = 5, k = 9, n = 4;
        float[] a = GraphParity.Random(m * k, 3), bt = GraphParity.Random(n * k, 4);
        var b = new float[k * n];
        for (int j = 0; j < n; j++)
        {
            for (int kk = 0; kk < k; kk++)
            {
                b[(kk * n) + j] = bt[(j * k) + kk];
            }
        }

        float[] y1 = Run(MatMulNode(true, 0.3f), T("a", new[] { m, k }, a), T("b", new[] { n, k }, bt));
        float[] y2 = Run(MatMulNode(false, 0.3f), T("a", new[] { m, k }, a), T("b", new[] { k, n }, b));
        FloatCompare.AssertBitIdentical(y1, y2, "matmul with B transposed vs B laid out plainly");
    }

    [Theory]
    [InlineData(1.0f)]
    [InlineData(0.5f)]
    public void SelfAttentionShapedGraphRunsTheSameEverywhere(float scale)
    {
        // S = x·xᵀ·scale [5,5], P = tanh(S), a = P·x [5,4]: both layouts, inputs from the caller and from the arena.
        const int t = 5, h = 4;
        var g = GraphParity.Build(
            "x",
            new[] { t, h },
            new Node("n0_scores", new MatMul(true, scale), new[] { "x", "x" }, "s", "attn"),
            new Node("n1_act", new ActivationOp(Activation.Tanh), new[] { "s" }, "p", "attn"),
            new Node("n2_pv", new MatMul(false, 1.0f), new[] { "p", "x" }, "a", "attn"));
        string name = "graph_matmul_" + (scale == 1.0f ? "unscaled" : "scaled");
        var inputs = Enumerable.Range(0, 3).Select(i => GraphParity.Random(t * h, 20 + i)).ToArray();
        var outputs = GraphParity.AssertEnginesAgree(g, name, inputs);
        Assert.All(outputs, o => Assert.Equal(t * h, o.Length));

        var c = GraphParity.Compile(g, name);
        Assert.Equal(((long)t * h * t) + ((long)t * t * h), c.Report!.Layers.Where(l => l.Op == "matmul").Sum(l => l.Macs));
        string code = c.Emit("stm32")!.Single(f => f.Path == name + ".c").Content;
        Assert.Equal(scale == 1.0f ? 0 : 1, code.Split('\n').Count(l => l.Contains("acc = acc *", System.StringComparison.Ordinal)));
        MinimalCorlib.AssertCompilesAgainstMinimalCorlib(c.Emit("nanoframework")!.First().Content);
    }

    [Fact]
    public void RejectsOperandsThatDoNotChain()
    {
        var e = Assert.Throws<DiagnosticException>(() => Graph(MatMulNode(false, 1.0f), T("a", new[] { 3, 4 }, new float[12]), T("b", new[] { 3, 2 }, new float[6])));
        Assert.Equal("TL2001", e.Diagnostic.Id);
        Assert.Contains("must be [K, N] with K = 4, but it is [3, 2]", e.Diagnostic.Message);
        e = Assert.Throws<DiagnosticException>(() => Graph(MatMulNode(true, 1.0f), T("a", new[] { 3, 4 }, new float[12]), T("b", new[] { 4, 3 }, new float[12])));
        Assert.Contains("[N, K] (transpose_b) with K = 4", e.Diagnostic.Message);
    }

    [Fact]
    public void RejectsAnythingButTwoMatrices()
    {
        var e = Assert.Throws<DiagnosticException>(() => Graph(MatMulNode(false, 1.0f), T("a", new[] { 12 }, new float[12]), T("b", new[] { 12, 1 }, new float[12])));
        Assert.Contains("'a' is [12], needs a matrix [rows, columns]", e.Diagnostic.Message);
        var one = new Node("n0_mm", new MatMul(false, 1.0f), new[] { "a" }, "y", "mm");
        e = Assert.Throws<DiagnosticException>(() => Graph(one, T("a", new[] { 2, 2 }, new float[4])));
        Assert.Contains("takes 2 inputs, has 1", e.Diagnostic.Message);
    }
}
