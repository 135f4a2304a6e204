using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using TinyLoc.Compiler;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Bench;

/// <summary>
/// The cost of one dense layer, apart from the rest of the model: two synthetic one-layer models that
/// differ only in their number of outputs (In → 2N and In → N, the same input quantisation) are measured,
/// and the difference in instructions divided by the difference in MACs is the layer's marginal cost per
/// MAC, requantisation and output store included. The models are written in memory (a manifest and a
/// safetensors checkpoint with deterministic pseudo-random weights) and compiled like any other.
/// </summary>
public static class DenseLayerProbe
{
    /// <summary>What one probe found.</summary>
    /// <param name="Scheme"><c>static</c> or <c>none</c>.</param>
    /// <param name="Form"><c>all</c> or <c>none</c>.</param>
    /// <param name="In">Inputs of the layer.</param>
    /// <param name="Out">Outputs of the bigger of the two layers.</param>
    /// <param name="InstructionsPerMac">Marginal instructions per MAC.</param>
    public sealed record Result(string Scheme, string Form, int In, int Out, double InstructionsPerMac);

    /// <summary>Measures the layer In → Out against In → Out / 2.</summary>
    /// <param name="scheme"><c>static</c> or <c>none</c>.</param>
    /// <param name="form"><c>all</c> or <c>none</c>.</param>
    /// <param name="inputs">Inputs of the layer (uji_mlp's first layer has 520).</param>
    /// <param name="outputs">Outputs of the bigger layer (even).</param>
    public static Result Measure(string scheme, string form, int inputs, int outputs)
    {
        var big = MeasureLayer(scheme, form, inputs, outputs);
        var small = MeasureLayer(scheme, form, inputs, outputs / 2);
        double perMac = (big.MeanInstructions - small.MeanInstructions) / (big.Macs - small.Macs);
        return new Result(scheme, form, inputs, outputs, perMac);
    }

    /// <summary>The same probe for CMSIS-NN's kernel on our static int8 layers (<see cref="CmsisNnBench"/>); its form is <c>cmsis-nn</c>.</summary>
    /// <param name="cmsisNn">The CMSIS-NN checkout.</param>
    /// <param name="inputs">Inputs of the layer.</param>
    /// <param name="outputs">Outputs of the bigger layer (even).</param>
    public static Result MeasurePeer(string cmsisNn, int inputs, int outputs)
    {
        PeerMeasurement Layer(int o)
        {
            var (manifest, options, vectors) = Model(inputs, o);
            var c = Compilation.Create(manifest, options with { Scheme = "static" });
            return c.Success ? CmsisNnBench.Measure(cmsisNn, c, vectors) : throw new InvalidOperationException(string.Join("\n", c.Diagnostics.Items));
        }

        var big = Layer(outputs);
        var small = Layer(outputs / 2);
        return new Result("static", "cmsis-nn", inputs, outputs, (big.MeanInstructions - small.MeanInstructions) / (big.Macs - small.Macs));
    }

    private static Measurement MeasureLayer(string scheme, string form, int inputs, int outputs)
    {
        var (manifest, options, vectors) = Model(inputs, outputs);
        return ModelBench.Measure(manifest, scheme, form, vectors, options);
    }

    /// <summary>The one-layer model In → Out, in memory: its manifest path, the options that serve its files, and four input vectors.</summary>
    private static (string Manifest, CompileOptions Options, float[][] Vectors) Model(int inputs, int outputs)
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"probe_{inputs}x{outputs}");
        string dir = Path.Combine(Path.GetTempPath(), "tinyloc-bench-probe");
        string manifest = Path.Combine(dir, name + ".tinyloc.json");
        string checkpoint = Path.Combine(dir, name + ".safetensors");
        var files = new Dictionary<string, byte[]>
        {
            [manifest] = Encoding.UTF8.GetBytes(Manifest(name, inputs, outputs)),
            [checkpoint] = Checkpoint(inputs, outputs),
        };
        var rng = new Random(7);
        var vectors = Enumerable.Range(0, 4)
            .Select(_ => Enumerable.Range(0, inputs).Select(_ => (float)(-104 + rng.Next(0, 105))).ToArray())
            .ToArray();
        return (manifest, new CompileOptions { Files = FileSource.InMemory(files) }, vectors);
    }

    private static string Manifest(string name, int inputs, int outputs)
    {
        static string List(IEnumerable<string> items) => string.Join(", ", items.Select(s => $"\"{s}\""));
        return $$"""
            {
              "tinyloc": 1,
              "name": "{{name}}",
              "description": "synthetic one-layer model for the dense-layer probe of tests/bench",
              "checkpoint": "{{name}}.safetensors",
              "family": "mlp",
              "architecture": { "layers": ["0"], "activation": "relu" },
              "input": { "features": [{{List(Enumerable.Range(0, inputs).Select(i => "f" + i.ToString(CultureInfo.InvariantCulture)))}}],
                         "window": 1, "rssi_range": [-104, 0], "missing_value": 100, "normalisation": "minmax" },
              "output": { "kind": "regression", "names": [{{List(Enumerable.Range(0, outputs).Select(i => "y" + i.ToString(CultureInfo.InvariantCulture)))}}] },
              "quantization": { "scheme": "static", "activation_ranges": { "input.norm": [0, 1], "0": [-4, 4] } }
            }
            """;
    }

    /// <summary>A safetensors file with <c>0.weight</c> [Out, In] and <c>0.bias</c> [Out], float32, deterministic.</summary>
    private static byte[] Checkpoint(int inputs, int outputs)
    {
        var rng = new Random(inputs * 1000 + outputs);
        float[] w = Enumerable.Range(0, inputs * outputs).Select(_ => (float)((rng.NextDouble() * 0.2) - 0.1)).ToArray();
        float[] b = Enumerable.Range(0, outputs).Select(_ => (float)((rng.NextDouble() * 0.2) - 0.1)).ToArray();
        int wBytes = w.Length * 4;
        int bBytes = b.Length * 4;
        string header = string.Create(CultureInfo.InvariantCulture,
            $"{{\"0.weight\":{{\"dtype\":\"F32\",\"shape\":[{outputs},{inputs}],\"data_offsets\":[0,{wBytes}]}},\"0.bias\":{{\"dtype\":\"F32\",\"shape\":[{outputs}],\"data_offsets\":[{wBytes},{wBytes + bBytes}]}}}}");
        byte[] h = Encoding.UTF8.GetBytes(header);
        using var ms = new MemoryStream();
        ms.Write(BitConverter.GetBytes((ulong)h.Length));
        ms.Write(h);
        foreach (float v in w.Concat(b))
        {
            ms.Write(BitConverter.GetBytes(v));
        }

        return ms.ToArray();
    }
}
