using System;
using System.Linq;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Passes;

/// <summary>
/// How layers are laid out: all looped (the default: the smallest flash), all unrolled, or chosen per layer
/// to fit the flash budget. Unrolling trades flash for speed, so it happens only when a user asks for it.
/// </summary>
public enum UnrollMode
{
    None,
    All,
    Auto,
}

/// <summary>
/// Chooses each layer's form (only where the op allows it for the node: per-step layers stay looped).
/// <c>auto</c> starts from all looped and unrolls layers, cheapest flash
/// increase first (ties by position), while the whole model's flash estimate stays within the budget.
/// </summary>
public static class UnrollSelection
{
    public static Graph Run(Graph graph, UnrollMode mode, long flashBudget, long fixedFlash, Ops.CostModel costs)
    {
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
        foreach (var (i, delta) in candidates)
        {
            if (total + delta <= flashBudget)
            {
                nodes[i] = nodes[i] with { Form = LayerForm.Unrolled };
                total += delta;
            }
        }

        return graph.With(nodes);
    }

    public static UnrollMode Parse(string text) => text switch
    {
        "all" => UnrollMode.All,
        "none" => UnrollMode.None,
        "auto" => UnrollMode.Auto,
        _ => throw new ArgumentException(text),
    };
}
