using System;
using System.Linq;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Quantization;
using Xunit;

namespace TinyLoc.Compiler.Tests.Golden;

/// <summary>The <c>llm-int8</c> scheme: the formula of quantization.md §3 by hand, and the outlier path.</summary>
public sealed class LlmInt8SchemeTests
{
    [Fact]
    public void MatchesTheFormulaByHandWithAnOutlierColumn()
    {
        float[] w = { 0.5f, -0.25f, 1.0f, 0.125f, 0.75f, -0.5f };
        float[] b = { 0.1f, -0.2f };
        var p = LlmInt8Scheme.Quantize(new Linear(2, 3, w, b, Activation.None));
        Assert.Equal(new sbyte[] { 64, -32, 127, 21, 127, -85 }, p.Weight); // rint(W * 127 / SCB), SCB = 1 and 0.75
        float[] x = { 0.5f, 7.0f, -0.25f };   // column 1 is an outlier (|x| >= 6)
        var y = Run(p, x);
        for (int o = 0; o < 2; o++)
        {
            double scb = o == 0 ? 1.0 : 0.75, sca = 0.5;
            double acc = (p.Weight[o * 3] * Math.Round(0.5 * 127 / sca)) + (p.Weight[(o * 3) + 2] * Math.Round(-0.25 * 127 / sca));
            double want = (acc * sca * scb / 16129.0) + (7.0 * p.Weight[(o * 3) + 1] * scb / 127.0) + b[o];
            Assert.Equal(want, y[o], 5);
        }
    }

    [Fact]
    public void AnAllOutlierInputUsesOnlyTheFloatPath()
    {
        var p = LlmInt8Scheme.Quantize(new Linear(1, 2, new[] { 1.0f, -1.0f }, new[] { 0.0f }, Activation.None));
        Assert.Equal(7.0f - 9.0f, Run(p, new[] { 7.0f, 9.0f })[0]);
    }

    /// <summary>
    /// Worst output error relative to the output vector's largest element, measured on the golden
    /// vectors: 0.46 % for the wide UJI model (which also has outliers: hidden values up to 226), 7.65 %
    /// for the 6-input Kolakowski model (static int8: 11.5 % on the same vectors).
    /// </summary>
    [Theory]
    [InlineData("uji_mlp", 0.01)]
    [InlineData("kolakowski_mlp", 0.10)]
    public void StaysCloseToFloatOnTheGoldenVectors(string model, double bound)
    {
        var fl = GoldenModels.Compile(model, "none");
        var q = GoldenModels.Compile(model, "llm-int8", UnrollMode.None);
        foreach (var input in GoldenModels.Vectors(model).Inputs)
        {
            float[] a = fl.Evaluate(input), b = q.Evaluate(input);
            double scale = a.Max(v => Math.Abs((double)v)) + 1e-3;
            Assert.True(a.Zip(b, (u, v) => Math.Abs((double)u - v)).Max() <= bound * scale, $"{model}: llm-int8 strays over {bound:P0} from float");
        }
    }

    [Fact]
    public void HiddenLayersOfTheExampleSeeOutliers()
    {
        // The UJI MLP's hidden activations reach past 6 on the golden inputs, so the engine parity tests exercise the outlier path.
        var c = GoldenModels.Compile("uji_mlp", "none");
        bool seen = false;
        var ev = new Evaluator(c.FloatGraph!) { OnFloatOutput = (n, v) => seen |= n.Op is ActivationOp && v.Any(e => Math.Abs(e) >= LlmInt8Scheme.Threshold) };
        foreach (var input in GoldenModels.Vectors("uji_mlp").Inputs)
        {
            ev.Run(input);
        }

        Assert.True(seen);
    }

    private static float[] Run(LLinear p, float[] x)
    {
        var node = new Node("n0_t", p, new[] { "input" }, "out", "t");
        var g = ShapeInference.Run(new Value("input", DType.Float32, new[] { p.In }, ValueKind.Input), new[] { node });
        return new Evaluator(g).Run(x);
    }
}
