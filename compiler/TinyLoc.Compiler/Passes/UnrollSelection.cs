using System;
using System.Linq;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Passes;

/// <summary>
/// How layers are laid out: all looped (the default: the smallest flash), all unrolled, all int8 layers wide
/// (<see cref="LayerForm.Wide"/>: looped over weights stored as int16 pairs), or chosen per layer to fit the flash
/// budget. Unrolling and widening trade flash for speed, so they happen only when a user asks for them.
/// </summary>
public enum UnrollMode
{
    None,
    All,
    Auto,
    Wide,
}

/// <summary>
/// Chooses each layer's form (only where the op allows it for the node: per-step layers stay looped).
/// <c>auto</c> starts from all looped and unrolls layers, cheapest flash
/// increase first (ties by position), while the whole model's flash estimate stays within the budget; then, on a
/// core with the DSP int8 kernels, widens the int8 layers still looped the same way (the wide form costs twice
/// the weights' flash, far less than unrolling).
/// </summary>
public static class UnrollSelection
{
    public static Graph Run(Graph graph, UnrollMode mode, long flashBudget, long fixedFlash, Ops.CostModel costs)
    {
        if (mode == UnrollMode.Wide)
        {
            return graph.With(graph.Nodes.Select(n => n.Op.CanWidenNode(n, graph) ? n with { Form = LayerForm.Wide } : n.Op.CanUnroll ? n with { Form = LayerForm.Looped } : n));
        }

        if (mode != UnrollMode.Auto)
        {
            var form = mode == UnrollMode.All ? LayerForm.Unrolled : LayerForm.Looped;
            return graph.With(graph.Nodes.Select(n => n.Op.CanUnrollNode(n, graph) ? n with { Form = form } : n.Op.CanUnroll ? n with { Form = LayerForm.Looped } : n));
        }

        var nodes = graph.Nodes.Select(n => n with { Form = LayerForm.Looped }).ToArray();
        long total = fixedFlash + nodes.Sum(n => n.Op.Cost(n, graph, costs).FlashBytes);
        var candidates = nodes
            .Select((n, i) => (i, delta: n.Op.CanUnrollNode(n, graph) ? n.Op.Cost(n with { Form = LayerForm.Unrolled }, graph, costs).FlashBytes - n.Op.Cost(n, graph, costs).FlashBytes : long.MaxValue))
            .Where(c => c.delta != long.MaxValue)
            .OrderBy(c => c.delta)
            .ThenBy(c => c.i);
        total = Upgrade(nodes, candidates, LayerForm.Unrolled, total, flashBudget);
        if (costs.Dsp)
        {
            var wide = nodes
                .Select((n, i) => (i, delta: n.Form == LayerForm.Looped && n.Op.CanWidenNode(n, graph) ? n.Op.Cost(n with { Form = LayerForm.Wide }, graph, costs).FlashBytes - n.Op.Cost(n, graph, costs).FlashBytes : long.MaxValue))
                .Where(c => c.delta != long.MaxValue)
                .OrderBy(c => c.delta)
                .ThenBy(c => c.i)
                .ToList();
            Upgrade(nodes, wide, LayerForm.Wide, total, flashBudget);
        }

        return graph.With(nodes);
    }

    /// <summary>Gives <paramref name="form"/> to each candidate, in order, whose flash increase still fits; returns the new total.</summary>
    private static long Upgrade(Node[] nodes, System.Collections.Generic.IEnumerable<(int I, long Delta)> candidates, LayerForm form, long total, long flashBudget)
    {
        foreach (var (i, delta) in candidates)
        {
            if (total + delta <= flashBudget)
            {
                nodes[i] = nodes[i] with { Form = form };
                total += delta;
            }
        }

        return total;
    }

    public static UnrollMode Parse(string text) => text switch
    {
        "all" => UnrollMode.All,
        "none" => UnrollMode.None,
        "auto" => UnrollMode.Auto,
        "wide" => UnrollMode.Wide,
        _ => throw new ArgumentException(text),
    };
}
