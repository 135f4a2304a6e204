using System;
using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Memory;

/// <summary>
/// Greedy arena planning over value lifetimes (as TFLite Micro's greedy planner): buffers in an order (largest
/// first, and two other orders when that misses the lower bound), each put at the lowest aligned offset where
/// it overlaps no already placed buffer that is live at the same time.
/// </summary>
public static class MemoryPlanner
{
    public static MemoryPlan Plan(Graph graph)
    {
        var requests = new List<PlannedBuffer>();
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var v = graph[graph.Nodes[i].Output];
            if (v.Kind != ValueKind.Intermediate)
            {
                continue;
            }

            var (first, last) = Lifetime(graph, i, Math.Max(i, graph.LastUse(v.Name)));
            requests.Add(new PlannedBuffer(v.Name, v.Type, v.Bytes, first, last, 0));
        }

        foreach (var loop in graph.Loops)
        {
            foreach (string carry in loop.Carries)
            {
                var v = graph[carry];
                requests.Add(new PlannedBuffer(v.Name, v.Type, v.Bytes, loop.First, loop.Last, 0));
            }
        }

        return Place(requests);
    }

    /// <summary>
    /// The steps a value made at node <paramref name="first"/> and last read at node <paramref name="last"/> must keep its
    /// place: those, widened to a whole time-fused loop when the value crosses its boundary (made before and read in it,
    /// or made in it and read after), since a loop runs its nodes once per step. A value made and read within one step
    /// keeps its own range: each step makes it anew before reading it.
    /// </summary>
    public static (int First, int Last) Lifetime(Graph graph, int first, int last)
    {
        foreach (var loop in graph.Loops)
        {
            if (loop.Contains(first) != loop.Contains(last))
            {
                first = Math.Min(first, loop.First);
                last = Math.Max(last, loop.Last);
            }
        }

        return (first, last);
    }

    /// <summary>
    /// Places buffers (each a size, an element type for its alignment, and the steps from its first to its last
    /// use; <see cref="PlannedBuffer.Offset"/> is ignored) in one arena: the plan and the lower bound, the most
    /// bytes live at any one step. Greedy placement in each of <see cref="Orders"/>; the smallest arena wins, the
    /// earlier order on ties (so a plan that reaches the lower bound by size order stays as it was).
    /// </summary>
    public static MemoryPlan Place(IReadOnlyList<PlannedBuffer> requests)
    {
        int lowerBound = 0;
        int steps = requests.Count == 0 ? 0 : requests.Max(b => b.LastUse) + 1;
        for (int step = 0; step < steps; step++)
        {
            lowerBound = Math.Max(lowerBound, requests.Where(b => b.FirstUse <= step && step <= b.LastUse).Sum(b => b.Size));
        }

        MemoryPlan? best = null;
        foreach (var order in Orders)
        {
            var plan = new MemoryPlan(Greedy(order(requests)), lowerBound);
            if (best is null || plan.ArenaBytes < best.ArenaBytes)
            {
                best = plan;
            }

            if (best.ArenaBytes == lowerBound)
            {
                break;
            }
        }

        return best!;
    }

    /// <summary>
    /// The orders greedy placement is tried in: by size (TFLite Micro's greedy planner), then longest-lived first
    /// (a buffer that spans the model, such as a residual stream, goes to the bottom instead of being fitted
    /// around the short ones last), then by the area size × lifetime. Ties by first use, then name.
    /// </summary>
    private static readonly Func<IReadOnlyList<PlannedBuffer>, IEnumerable<PlannedBuffer>>[] Orders =
    {
        r => r.OrderByDescending(b => b.Size).ThenBy(b => b.FirstUse).ThenBy(b => b.Value, StringComparer.Ordinal),
        r => r.OrderByDescending(b => b.LastUse - b.FirstUse).ThenByDescending(b => b.Size).ThenBy(b => b.FirstUse).ThenBy(b => b.Value, StringComparer.Ordinal),
        r => r.OrderByDescending(b => (long)b.Size * (b.LastUse - b.FirstUse + 1)).ThenBy(b => b.FirstUse).ThenBy(b => b.Value, StringComparer.Ordinal),
    };

    /// <summary>Puts each buffer, in the given order, at the lowest aligned offset where it overlaps no placed buffer live at the same time.</summary>
    private static List<PlannedBuffer> Greedy(IEnumerable<PlannedBuffer> order)
    {
        var placed = new List<PlannedBuffer>();
        foreach (var r in order)
        {
            int align = r.Type.Size();
            var rivals = placed.Where(p => p.LiveWith(r)).OrderBy(p => p.Offset).ToList();
            int offset = 0;
            foreach (var candidate in new[] { 0 }.Concat(rivals.Select(p => p.End)).Select(o => AlignUp(o, align)).OrderBy(o => o))
            {
                var trial = r with { Offset = candidate };
                if (!rivals.Any(p => p.Overlaps(trial)))
                {
                    offset = candidate;
                    break;
                }
            }

            placed.Add(r with { Offset = offset });
        }

        return placed.OrderBy(b => b.Offset).ThenBy(b => b.Value, StringComparer.Ordinal).ToList();
    }

    private static int AlignUp(int v, int a) => (v + a - 1) / a * a;
}
