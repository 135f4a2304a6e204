using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Passes;

namespace TinyLoc.Compiler.Quantization;

/// <summary>
/// <c>auto</c> (quantization.md §4): per linear layer, the float form or the <c>dynamic</c> int8 form. Both
/// take and give float32, so any mix is valid. A layer goes int8 only where that takes less flash:
/// quantisation has a fixed cost per layer (row sums, float bias, the per-call quantiser's code), so a tiny
/// layer can be smaller in float (the paper's Fig. 2), and <c>auto</c> never picks the larger form; nor does
/// it switch at all when the layers together save less than the quantiser helper they share. With
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
    private readonly System.Func<float[], int>? _classOf;

    /// <summary>The registry's <c>auto</c>: Cortex-M4 sizes, no calibration inputs.</summary>
    public AutoScheme()
        : this(CostModel.CortexM4, null, null)
    {
    }

    /// <summary>
    /// An <c>auto</c> that compares forms on <paramref name="costs"/> (the core's code sizes) and, given
    /// <paramref name="samples"/> (raw model inputs), checks each switch on them; classifiers give
    /// <paramref name="classOf"/> (the class an output stands for), regression models null.
    /// </summary>
    public AutoScheme(CostModel costs, IReadOnlyList<float[]>? samples, System.Func<float[], int>? classOf)
    {
        Costs = costs;
        _samples = samples;
        _classOf = classOf;
    }

    /// <summary>The core whose code sizes decide which form is smaller.</summary>
    public CostModel Costs { get; }

    public string Name => "auto";

    public string Summary => "per linear layer, float or dynamic int8, whichever is smaller in flash, within an accuracy target on calibration data when given";

    public Graph? Apply(Graph fused, IReadOnlyDictionary<string, (float Min, float Max)> ranges, DiagnosticBag diagnostics, SourceLocation location)
    {
        var nodes = fused.Nodes.ToArray();
        var allDynamic = new ReplaceLinear(DynamicScheme.Quantize).Rewrite(fused);
        var candidates = nodes
            .Select((n, i) => (i, dynamic: allDynamic[i] with { Form = LayerForm.Looped }))
            .Where(c => !ReferenceEquals(c.dynamic.Op, nodes[c.i].Op))
            .Select(c => (c.i, c.dynamic, saving: Flash(nodes[c.i], fused) - Flash(c.dynamic, fused)))
            .Where(c => c.saving > 0)
            .OrderByDescending(c => c.saving)
            .ThenBy(c => c.i)
            .ToList();
        float[][]? reference = _samples?.Select(new Evaluator(fused).Run).ToArray();
        foreach (var (i, dynamic, _) in candidates)
        {
            var before = nodes[i];
            nodes[i] = dynamic;
            if (reference is not null && !MeetsTarget(fused.With(nodes), reference))
            {
                nodes[i] = before;
            }
        }

        // The dynamic layers share one per-call quantiser (and the chooseparams helper it calls): switching is worth it only
        // if the layers together save more than that code.
        long saved = candidates.Where(c => ReferenceEquals(nodes[c.i], c.dynamic)).Sum(c => c.saving);
        return saved > Costs.DynamicSharedBytes ? fused.With(nodes) : fused;
    }

    public Op? LayerAlone(Linear layer) => null;

    /// <summary>Flash of a node in its looped form (how the float and dynamic forms are compared).</summary>
    private long Flash(Node n, Graph graph) => n.Op.Cost(n with { Form = LayerForm.Looped }, graph, Costs).FlashBytes;

    private bool MeetsTarget(Graph candidate, float[][] reference)
    {
        var ev = new Evaluator(candidate);
        var outputs = _samples!.Select(ev.Run).ToArray();
        if (_classOf is not null)
        {
            int same = outputs.Zip(reference, (a, b) => _classOf(a) == _classOf(b) ? 1 : 0).Sum();
            return same >= ClassAgreement * reference.Length;
        }

        double scale = reference.SelectMany(r => r).Select(v => System.Math.Abs((double)v)).DefaultIfEmpty(0).Max();
        double err = outputs.Zip(reference, (a, b) => a.Zip(b, (x, y) => System.Math.Abs((double)x - y)).DefaultIfEmpty(0).Max()).DefaultIfEmpty(0).Average();
        return err <= RegressionError * System.Math.Max(scale, 1e-30);
    }
}
