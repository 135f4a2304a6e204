using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;

namespace TinyLoc.Compiler.Quantization;

/// <summary>
/// <c>auto</c> (quantization.md §4): per linear layer, the float form or the <c>dynamic</c> int8 form. Both
/// take and give float32, so any mix is valid. A layer goes int8 only where that takes less flash:
/// quantisation has a fixed cost per layer (row sums, float bias, the per-call quantiser's code), so a tiny
/// layer can be smaller in float (the paper's Fig. 2), and <c>auto</c> never picks the larger form. With
/// calibration inputs (<c>--calibration</c>), layers are switched biggest saving first and a switch is kept
/// only while the model still meets <see cref="ClassAgreement"/> (classifiers: the float model's class on
/// that share of the inputs) or <see cref="RegressionError"/> (regression: mean error relative to the float
/// outputs' largest magnitude) on them; without, every smaller layer is switched (dynamic is PyTorch's
/// quantize_dynamic, whose accuracy the examples measure).
/// </summary>
public sealed class AutoScheme : IQuantizationScheme
{
    /// <summary>The share of calibration inputs whose class must stay the float model's.</summary>
    public const double ClassAgreement = 0.99;

    /// <summary>The largest mean |int8 − float| error, relative to the float outputs' largest magnitude.</summary>
    public const double RegressionError = 0.01;

    private readonly IReadOnlyList<float[]>? _samples;
    private readonly bool _classify;
    private readonly bool _path;

    public AutoScheme()
    {
    }

    /// <summary>
    /// An <c>auto</c> that checks each switch on <paramref name="samples"/> (raw model inputs); a classifier's
    /// class is its output's argmax, or with <paramref name="decodesPath"/> (a CRF's tag path) its last element.
    /// </summary>
    public AutoScheme(IReadOnlyList<float[]> samples, bool classify, bool decodesPath = false)
    {
        _samples = samples;
        _classify = classify;
        _path = decodesPath;
    }

    public string Name => "auto";

    public string Summary => "per linear layer, float or dynamic int8, whichever is smaller in flash, within an accuracy target on calibration data when given";

    public Graph? Apply(Graph fused, IReadOnlyDictionary<string, (float Min, float Max)> ranges, DiagnosticBag diagnostics, SourceLocation location)
    {
        var nodes = fused.Nodes.ToArray();
        var candidates = nodes
            .Select((n, i) => (i, node: n, saving: n.Op is Linear ? Saving(n, fused) : 0))
            .Where(c => c.saving > 0)
            .OrderByDescending(c => c.saving)
            .ThenBy(c => c.i)
            .ToList();
        float[][]? reference = _samples?.Select(new Evaluator(fused).Run).ToArray();
        foreach (var (i, node, _) in candidates)
        {
            var before = nodes[i];
            nodes[i] = Dynamic(node);
            if (reference is not null && !MeetsTarget(fused.With(nodes), reference))
            {
                nodes[i] = before;
            }
        }

        return fused.With(nodes);
    }

    /// <summary>Flash saved by the dynamic form of a float linear node (looped forms; negative when int8 is larger).</summary>
    public static long Saving(Node n, Graph graph) =>
        n.Op.Cost(n with { Form = LayerForm.Looped }, graph).FlashBytes - DLinear.Instance.Cost(Dynamic(n), graph).FlashBytes;

    private static Node Dynamic(Node n) => n with { Op = DLinear.Instance, Params = DynamicScheme.Quantize(n.P<LinearParams>()), Form = LayerForm.Looped };

    private bool MeetsTarget(Graph candidate, float[][] reference)
    {
        var ev = new Evaluator(candidate);
        var outputs = _samples!.Select(ev.Run).ToArray();
        if (_classify)
        {
            int same = outputs.Zip(reference, (a, b) => ClassOf(a) == ClassOf(b) ? 1 : 0).Sum();
            return same >= ClassAgreement * reference.Length;
        }

        double scale = reference.SelectMany(r => r).Select(v => System.Math.Abs((double)v)).DefaultIfEmpty(0).Max();
        double err = outputs.Zip(reference, (a, b) => a.Zip(b, (x, y) => System.Math.Abs((double)x - y)).DefaultIfEmpty(0).Max()).DefaultIfEmpty(0).Average();
        return err <= RegressionError * System.Math.Max(scale, 1e-30);
    }

    private int ClassOf(float[] v) => _path ? (int)v[v.Length - 1] : ArgMax(v);

    private static int ArgMax(float[] v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++)
        {
            best = v[i] > v[best] ? i : best;
        }

        return best;
    }
}
