using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.Ops;
using Xunit;
using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Tests.Golden;

/// <summary>
/// The <c>dynamic</c> scheme against PyTorch's own quantize_dynamic (qnnpack, torch 1.13), traced by
/// examples/training/make_dynamic_golden.py: weight scales and int8 weights, and for every input and
/// layer the activation scale, zero point and int32 accumulators, equal PyTorch's exactly wherever the
/// layer's float input is bit-identical to PyTorch's: the first layer always, every layer of ReLU
/// models. After tanh, sigmoid or silu the compiler's own transcendental functions (no libm) differ
/// from PyTorch's by a few ulps, so there the scale is held to 1e-5 relative. Outputs within 1e-5
/// (normwise) everywhere.
/// </summary>
public sealed class DynamicSchemeTests
{
    [Theory]
    [MemberData(nameof(EngineParityTests.AllModels), MemberType = typeof(EngineParityTests))]
    public void ScalesZeroPointsAndAccumulatorsEqualPyTorch(string model)
    {
        var c = GoldenModels.Compile(model, "dynamic");
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(GoldenModels.Manifest(model))!, model + ".dynamic.json")));
        var root = doc.RootElement;
        var layers = c.Graph!.Nodes.Where(n => n.Op is DLinear).ToList();
        var torchLayers = root.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(torchLayers.Count, layers.Count);
        for (int i = 0; i < layers.Count; i++)
        {
            var p = ((DLinear)layers[i].Op);
            Assert.Equal(torchLayers[i].GetProperty("w_scale").GetSingle(), p.WeightScale);
            long sum = 0;
            for (int k = 0; k < p.Weight.Length; k++)
            {
                sum += p.Weight[k] * (long)((k % 97) + 1);
            }

            Assert.Equal(torchLayers[i].GetProperty("w_q_checksum").GetInt64(), sum);
        }

        var inputs = root.GetProperty("inputs").EnumerateArray().Select(v => v.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray()).ToList();
        var outputs = root.GetProperty("outputs").EnumerateArray().Select(v => v.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray()).ToList();
        var traces = root.GetProperty("trace").EnumerateArray().ToList();
        for (int v = 0; v < inputs.Count; v++)
        {
            var layerInputs = new Dictionary<string, float[]>();
            var ev = new Evaluator(c.Graph) { OnFloatOutput = (n, o) => layerInputs[n.Output] = (float[])o.Clone() };
            layerInputs[c.Graph.Input] = inputs[v];
            var y = ev.Run(inputs[v]);
            var torchTrace = traces[v].EnumerateArray().ToList();
            for (int i = 0; i < layers.Count; i++)
            {
                var p = ((DLinear)layers[i].Op);
                float[] x = layerInputs[layers[i].Inputs[0]];
                DynamicMath.ChooseParams(x, 0, x.Length, p.QMax, out float s, out int zp);
                bool exactInput = i == 0 || ((TinyLoc.Compiler.Manifest.MlpArchitecture)c.Manifest!.Architecture).Activation == "relu";
                if (!exactInput)
                {
                    float ts = torchTrace[i].GetProperty("x_scale").GetSingle();
                    Assert.True(System.Math.Abs(s - ts) <= 1e-5 * ts, $"{model} vector {v} layer {i}: scale {s} vs PyTorch {ts}");
                    continue;
                }

                Assert.Equal(torchTrace[i].GetProperty("x_scale").GetSingle(), s);
                Assert.Equal(torchTrace[i].GetProperty("x_zp").GetInt32(), zp);
                var want = torchTrace[i].GetProperty("acc").EnumerateArray().Select(a => a.GetInt32()).ToArray();
                var got = Accumulators(p, x, s, zp);
                Assert.True(want.SequenceEqual(got), $"{model} vector {v} layer {i}: accumulators differ from PyTorch's");
            }

            double scale = outputs[v].Max(e => System.Math.Abs((double)e));
            double err = outputs[v].Zip(y, (e, a) => System.Math.Abs((double)a - e)).Max();
            Assert.True(err <= 1e-5 * scale, $"{model} vector {v}: |dynamic reference - PyTorch| = {err:G4} > 1e-5 x {scale:G6}");
        }
    }

    /// <summary>
    /// A dynamic layer's int32 accumulators for input <paramref name="x"/> ([rows, In], row-major) quantised with
    /// scale <paramref name="s"/> and zero point <paramref name="zp"/>: <c>[rows · Out]</c>, equal to PyTorch's
    /// <c>Σ (x_q − zp)·W_q</c> per row.
    /// </summary>
    public static int[] Accumulators(DLinear p, float[] x, float s, int zp)
    {
        float inv = 1.0f / s;
        var q = x.Select(e => DynamicMath.QuantizeShifted(e, inv, zp, p.QMax)).ToArray();
        int rows = x.Length / p.In;
        var acc = new int[rows * p.Out];
        for (int t = 0; t < rows; t++)
        {
            for (int o = 0; o < p.Out; o++)
            {
                acc[(t * p.Out) + o] = ((128 - zp) * p.RowSum[o]) + Enumerable.Range(0, p.In).Sum(k => p.Weight[(o * p.In) + k] * q[(t * p.In) + k]);
            }
        }

        return acc;
    }

    [Fact]
    public void ReduceRangeHalvesTheActivationRange()
    {
        // fbgemm's reduce_range (7-bit activations): qmax 127, so the scale doubles and zp halves.
        float[] x = { -1.0f, 0.5f, 3.0f };
        DynamicMath.ChooseParams(x, 0, 3, 255, out float s8, out int z8);
        DynamicMath.ChooseParams(x, 0, 3, 127, out float s7, out int z7);
        Assert.Equal((float)(4.0 / 255), s8);
        Assert.Equal((float)(4.0 / 127), s7);
        Assert.Equal(64, z8);   // 0 - (-1)/(4/255) = 63.75 -> 64
        Assert.Equal(32, z7);   // 31.75 -> 32
        Assert.Equal(127 - 128, DynamicMath.QuantizeShifted(3.0f, 1.0f / s7, z7, 127));
    }

    [Fact]
    public void TinyRangesUseTheScaleFloorLikePyTorch()
    {
        float[] x = { -1.584e-6f, 1.2731e-6f, 0f };
        DynamicMath.ChooseParams(x, 0, 3, 255, out float s, out int zp);
        Assert.Equal(6.1e-5f, s);
        Assert.Equal(141, zp); // measured with torch._choose_qparams_per_tensor
    }
}
