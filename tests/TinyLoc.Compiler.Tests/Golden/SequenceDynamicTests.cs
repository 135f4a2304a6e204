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
/// <c>dynamic</c> on the sequence families against PyTorch's quantize_dynamic (qnnpack), traced per Linear
/// call by make_dynamic_golden.py: a per-step layer quantises its whole [T, In] window with one scale and
/// zero point, as PyTorch does for one call. The first layer's input is bit-identical to PyTorch's, so its
/// scale, zero point and every int32 accumulator must be equal; later layers read float ops whose results
/// differ from PyTorch's by ulps, so their scales are compared within 1e-5.
/// </summary>
public sealed class SequenceDynamicTests
{
    [Theory]
    [MemberData(nameof(SequenceFamilyTests.Models), MemberType = typeof(SequenceFamilyTests))]
    public void WindowScalesZeroPointsAndAccumulatorsEqualPyTorch(string model)
    {
        string path = Path.Combine(Path.GetDirectoryName(GoldenModels.Manifest(model))!, model + ".dynamic.json");
        if (!GoldenModels.Sequence.Contains(model))
        {
            return; // traces are made for the synthetic models only
        }

        var c = GoldenModels.Compile(model, "dynamic");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var layers = c.Graph!.Nodes.Where(n => n.Op is DLinear).ToList();
        var torchLayers = root.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(torchLayers.Select(l => l.GetProperty("name").GetString()), layers.Select(n => n.Source));
        for (int i = 0; i < layers.Count; i++)
        {
            Assert.Equal(torchLayers[i].GetProperty("w_scale").GetSingle(), ((DLinear)layers[i].Op).WeightScale);
        }

        var inputs = root.GetProperty("inputs").EnumerateArray().Select(v => v.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray()).ToList();
        var traces = root.GetProperty("trace").EnumerateArray().ToList();
        for (int v = 0; v < inputs.Count; v++)
        {
            var values = new Dictionary<string, float[]>();
            new Evaluator(c.Graph) { OnFloatOutput = (n, o) => values[n.Output] = (float[])o.Clone() }.Run(inputs[v]);
            var torchTrace = traces[v].EnumerateArray().ToList();
            for (int i = 0; i < layers.Count; i++)
            {
                var p = ((DLinear)layers[i].Op);
                float[] x = values[layers[i].Inputs[0]];
                DynamicMath.ChooseParams(x, 0, x.Length, p.QMax, out float s, out int zp);
                float ts = torchTrace[i].GetProperty("x_scale").GetSingle();
                // Exact where the layer reads the normalised window itself (cnn1d's head reads float conv outputs).
                if (layers[i].Inputs[0] != "input.norm")
                {
                    Assert.True(System.Math.Abs(s - ts) <= 1e-5 * ts, $"{model} window {v} {layers[i].Source}: scale {s} vs PyTorch {ts}");
                    continue;
                }

                Assert.Equal(ts, s);
                Assert.Equal(torchTrace[i].GetProperty("x_zp").GetInt32(), zp);
                var want = torchTrace[i].GetProperty("acc").EnumerateArray().Select(a => a.GetInt32()).ToArray();
                var got = DynamicSchemeTests.Accumulators(p, x, s, zp);
                Assert.True(want.SequenceEqual(got), $"{model} window {v} {layers[i].Source}: {x.Length / p.In}×{p.Out} accumulators differ from PyTorch's");
            }
        }
    }
}
