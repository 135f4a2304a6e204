using System;
using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;

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
        // Every intermediate's lifetime, widened over the loops it crosses.
        var life = new Dictionary<string, (int First, int Last)>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var v = graph[graph.Nodes[i].Output];
            if (v.Kind == ValueKind.Intermediate)
            {
                life[v.Name] = Lifetime(graph, i, Math.Max(i, graph.LastUse(v.Name)));
            }
        }

        // A view read after its buffer would otherwise die keeps the whole buffer alive for a part of it: it stays a
        // view only if a copy would not make the arena smaller.
        var copied = new HashSet<string>(StringComparer.Ordinal);
        var (plan, extending) = PlanWith(graph, life, copied);
        foreach (string view in extending)
        {
            copied.Add(view);
            var (trial, _) = PlanWith(graph, life, copied);
            if (trial.ArenaBytes < plan.ArenaBytes)
            {
                plan = trial;
            }
            else
            {
                copied.Remove(view);
            }
        }

        return plan;
    }

    /// <summary>
    /// The plan where every output that can share an input's buffer (<see cref="Op.Aliasing"/>: views, in-place ops)
    /// joins its group, but the views in <paramref name="copied"/>: one request per group, the union of its members'
    /// lifetimes; a member's place is the group's plus its offset. Also the views that made their group live longer.
    /// </summary>
    private static (MemoryPlan Plan, List<string> Extending) PlanWith(Graph graph, Dictionary<string, (int First, int Last)> life, HashSet<string> copied)
    {
        var root = new Dictionary<string, (string Root, int Offset)>(StringComparer.Ordinal);
        var groups = new Dictionary<string, (int First, int Last)>(StringComparer.Ordinal);
        var extending = new List<string>();
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var n = graph.Nodes[i];
            if (!life.TryGetValue(n.Output, out var own))
            {
                continue;
            }

            if (n.Op.Aliasing(n, graph) is { } a && !copied.Contains(n.Output) && root.TryGetValue(n.Inputs[a.Input], out var src) && Shares(graph, n, a, groups[src.Root], i))
            {
                root[n.Output] = (src.Root, src.Offset + a.ByteOffset);
                var g = groups[src.Root];
                if (a.View && own.Last > g.Last)
                {
                    extending.Add(n.Output);
                }

                groups[src.Root] = (Math.Min(g.First, own.First), Math.Max(g.Last, own.Last));
                continue;
            }

            root[n.Output] = (n.Output, 0);
            groups[n.Output] = own;
        }

        var requests = groups.Select(g => graph[g.Key]).Select(v => new PlannedBuffer(v.Name, v.Type, v.Bytes, groups[v.Name].First, groups[v.Name].Last, 0)).ToList();
        foreach (var loop in graph.Loops)
        {
            foreach (string carry in loop.Carries)
            {
                var v = graph[carry];
                requests.Add(new PlannedBuffer(v.Name, v.Type, v.Bytes, loop.First, loop.Last, 0));
            }
        }

        var aliases = root.Where(r => r.Value.Root != r.Key).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        return (Place(requests).WithAliases(aliases), extending);
    }

    /// <summary>
    /// True if node <paramref name="at"/>'s output may take its place in the input's group <paramref name="group"/>: a
    /// view always (values are never written after they are made, and the group then lives as long as the view); in
    /// place only when no member of the group is read after this node and the element types match.
    /// </summary>
    private static bool Shares(Graph graph, Node node, Aliasing a, (int First, int Last) group, int at)
    {
        var input = graph[node.Inputs[a.Input]];
        var output = graph[node.Output];
        return a.View || (group.Last == at && output.Type == input.Type && output.Bytes <= input.Bytes);
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
