using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Quantization;

namespace TinyLoc.Compiler.Report;

/// <summary>One linear layer's flash (looped form) under each scheme that works layer by layer, in registry order.</summary>
public sealed record LayerSchemes(string Layer, int Out, int In, IReadOnlyList<(string Scheme, long Bytes)> Flash)
{
    /// <summary>The layer's flash bytes under <paramref name="scheme"/> (a name from <see cref="SchemeRegistry"/>).</summary>
    public long this[string scheme] => Flash.First(f => f.Scheme == scheme).Bytes;
}

/// <summary>
/// Flash of every linear layer of the fused float graph under each scheme (<see cref="IQuantizationScheme.LayerAlone"/>),
/// from the ops' own cost models, so the report shows what quantisation saves or costs per layer (quantization.md §4,
/// the paper's Fig. 2). Static is costed from its int8 weights alone: its size does not depend on the ranges.
/// </summary>
public sealed class SchemeComparison : GraphRewriter
{
    private readonly CostModel _costs;
    private readonly List<LayerSchemes> _layers = new();

    private SchemeComparison(CostModel costs) => _costs = costs;

    public static IReadOnlyList<LayerSchemes> Of(Graph fused, CostModel costs)
    {
        var c = new SchemeComparison(costs);
        c.Rewrite(fused);
        return c._layers;
    }

    protected override void VisitLinear(Node node, Linear op)
    {
        var flash = SchemeRegistry.All
            .Select(s => (s.Name, op: s.LayerAlone(op)))
            .Where(s => s.op is not null)
            .Select(s => (s.Name, s.op!.Cost(node with { Op = s.op, Form = LayerForm.Looped }, Source, _costs).FlashBytes))
            .ToList();
        _layers.Add(new LayerSchemes(node.Source, op.Out, op.In, flash));
    }
}
