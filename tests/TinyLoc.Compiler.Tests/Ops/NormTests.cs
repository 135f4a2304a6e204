using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;
using static TinyLoc.Compiler.Tests.Harness.NodeRunner;

namespace TinyLoc.Compiler.Tests.Ops;

/// <summary><c>rmsnorm</c> (Mamba) and <c>layernorm</c> (MDCSA) over the last dimension.</summary>
public sealed class NormTests
{
    private static NormParams Params(int f, bool bias, int seed, float eps = 1e-5f) =>
        new(f, eps, GraphParity.Random(f, seed, 0.5f, 1.5f), bias ? GraphParity.Random(f, seed + 1, -0.5f, 0.5f) : null);

    private static Node Rms(NormParams p) => new("n0_norm", new RmsNorm(p), new[] { "x" }, "y", "norm");

    private static Node Ln(NormParams p) => new("n0_norm", new LayerNorm(p), new[] { "x" }, "y", "norm");

    [Theory]
    [InlineData(5, 8, 1.0f)]
    [InlineData(3, 32, 1000.0f)]
    [InlineData(4, 16, 1e-3f)]
    [InlineData(1, 7, 1.0f)]
    public void BothNormsMatchPyTorchsDefinitionInDouble(int rows, int f, float scale)
    {
        float[] x = GraphParity.Random(rows * f, rows + f, -scale, scale);
        var shape = rows == 1 ? new[] { f } : new[] { rows, f };
        var pr = Params(f, bias: false, 3);
        DoubleReference.AssertNormwise(Run(Rms(pr), T("x", shape, x)), DoubleReference.RmsNorm(x, pr), $"rmsnorm [{rows}, {f}] scale {scale}");
        var pl = Params(f, bias: true, 5);
        DoubleReference.AssertNormwise(Run(Ln(pl), T("x", shape, x)), DoubleReference.LayerNorm(x, pl), $"layernorm [{rows}, {f}] scale {scale}");
        var pn = pl with { Bias = null };
        DoubleReference.AssertNormwise(Run(Ln(pn), T("x", shape, x)), DoubleReference.LayerNorm(x, pn), $"layernorm without bias [{rows}, {f}]");
    }

    [Fact]
    public void ConstantAndZeroRowsGiveFiniteOutputs()
    {
        // A constant row has variance 0 (up to the mean's rounding): the output is the bias, not NaN.
        float[] x = Enumerable.Repeat(0.3f, 8).Concat(Enumerable.Repeat(-7.1f, 8)).Concat(new float[8]).ToArray();
        var pl = Params(8, bias: true, 9);
        float[] y = Run(Ln(pl), T("x", new[] { 3, 8 }, x));
        Assert.All(y, v => Assert.True(float.IsFinite(v)));
        for (int i = 0; i < y.Length; i++)
        {
            Assert.True(System.Math.Abs(y[i] - pl.Bias![i % 8]) < 1e-3, $"layernorm of a constant row, element {i}: {y[i]} vs bias {pl.Bias[i % 8]}");
        }

        float[] r = Run(Rms(Params(8, bias: false, 9)), T("x", new[] { 3, 8 }, x));
        Assert.All(r.Skip(16), v => Assert.Equal(0.0f, v));
        DoubleReference.AssertNormwise(r, DoubleReference.RmsNorm(x, Params(8, bias: false, 9)), "rmsnorm with a zero row");
    }

    [Fact]
    public void NormsRunTheSameEverywhere()
    {
        // Rows of very different magnitudes, so rsqrt sees arguments from eps to 1e8; a constant row too.
        var g = GraphParity.Build(
            "x",
            new[] { 6, 8 },
            new Node("n0_rms", new RmsNorm(Params(8, bias: false, 1)), new[] { "x" }, "r", "rms"),
            new Node("n1_ln", new LayerNorm(Params(8, bias: true, 2)), new[] { "x" }, "l", "ln"),
            new Node("n2_add", Add.Instance, new[] { "r", "l" }, "s", "add"),
            new Node("n3_ln", new LayerNorm(Params(8, bias: false, 3, eps: 1e-6f)), new[] { "s" }, "y", "ln2"));
        float[] Scaled(int seed) => GraphParity.Random(48, seed).Select((v, i) => v * new[] { 1e-4f, 1e-2f, 1.0f, 100.0f, 1e4f, 0.0f }[i / 8] + (i / 8 == 5 ? 2.5f : 0.0f)).ToArray();
        var inputs = Enumerable.Range(0, 3).Select(i => Scaled(60 + i)).ToArray();
        GraphParity.AssertEnginesAgree(g, "ops_norm", inputs);
    }

    [Fact]
    public void RejectsRowsAndParametersThatDoNotFit()
    {
        var x = T("x", new[] { 3, 8 }, new float[24]);
        Conv1dTests.AssertFails(Rms(Params(6, bias: false, 1)), "normalises rows of 6 features but 'x' is [3, 8]", x);
        Conv1dTests.AssertFails(Rms(Params(8, bias: true, 1)), "RMSNorm takes no bias", x);
        Conv1dTests.AssertFails(Ln(Params(8, bias: true, 1) with { Weight = new float[7] }), "weight has 7 values, needs 8", x);
        Conv1dTests.AssertFails(Ln(Params(8, bias: true, 1) with { Bias = new float[9] }), "bias has 9 values, needs 8", x);
        Conv1dTests.AssertFails(Ln(Params(8, bias: true, 1, eps: 0.0f)), "eps must be positive", x);
    }
}
