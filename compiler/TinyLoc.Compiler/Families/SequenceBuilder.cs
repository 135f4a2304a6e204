using System;
using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Passes;

namespace TinyLoc.Compiler.Families;

/// <summary>
/// Appends nodes for the sequence families: each call adds one op whose output value is named by the
/// state-dict prefix it came from (calibration ranges and the IR dump use these names), and returns that
/// name. Node names are <c>n{index}_{identifier}</c>, as in the MLP family.
/// </summary>
public sealed class SequenceBuilder
{
    private readonly List<Node> _nodes = new();
    private readonly Weights _w;

    public SequenceBuilder(Weights weights) => _w = weights;

    public Weights Weights => _w;

    /// <summary>Adds one node and returns its output value's name.</summary>
    public string Add(Op op, string output, string source, params string[] inputs)
    {
        _nodes.Add(new Node($"n{_nodes.Count}_{MlpFamily.Identifier(output)}", op, inputs, output, source));
        return output;
    }

    /// <summary>The raw input window [T, F] (time-major), min-max normalised when the manifest says so.</summary>
    public string Input(ModelManifest m)
    {
        if (m.Input.Normalisation != "minmax")
        {
            return "input";
        }

        var np = NormalizeParams.Create(m.Input.RssiMin, m.Input.RssiMax, m.Input.MissingValue);
        return Add(new Normalize(np), "input.norm", "input", "input");
    }

    /// <summary>
    /// <c>prefix.weight [out, in]</c> and, if <paramref name="bias"/>, <c>prefix.bias [out]</c>, as a Linear
    /// over every row of <paramref name="x"/>.
    /// </summary>
    public string Linear(string x, string prefix, int outFeatures, int inFeatures, bool bias, string? output = null)
    {
        float[] w = _w.Need(prefix + ".weight", outFeatures, inFeatures);
        float[] b = bias ? _w.Need(prefix + ".bias", outFeatures) : new float[outFeatures];
        return Add(new Linear(outFeatures, inFeatures, w, b, Activation.None), output ?? prefix, prefix, x);
    }

    /// <summary>A stand-alone activation (fusion folds it into the layer before it where it can).</summary>
    public string Act(string x, Activation act, string source) => Add(new ActivationOp(act), $"{x}.{act.Name()}", source, x);

    /// <summary>The CRF head on emissions [T', C]: the final Viterbi scores [C], or the tag path [T'].</summary>
    public string Crf(string emissions, int classes, bool path)
    {
        var p = new Crf(
            classes,
            _w.Need("crf.start_transitions", classes),
            _w.Need("crf.end_transitions", classes),
            _w.Need("crf.transitions", classes, classes),
            path);
        return Add(p, path ? "crf.path" : "crf.scores", "crf", emissions);
    }

    /// <summary>Types every value; the last node's output is the graph's output.</summary>
    public Graph Finish(ModelManifest m) =>
        ShapeInference.Run(new Value("input", DType.Float32, new[] { m.Input.Window, m.Input.Features.Count }, ValueKind.Input), _nodes);

    /// <summary>The number of rows after a convolution or pooling of <paramref name="kernel"/> with this stride and padding.</summary>
    public static int Rows(int t, int kernel, int stride, int pad) => Math.Max(0, ((t + pad - kernel) / stride) + 1);
}
