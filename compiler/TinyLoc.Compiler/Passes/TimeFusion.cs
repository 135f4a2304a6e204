using System;
using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Memory;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Passes;

/// <summary>How the nodes of a sequence model are scheduled over the window's time steps.</summary>
public enum ScheduleMode
{
    /// <summary>Chains of per-step nodes run in time-fused loops (<see cref="TimeFusion"/>): the default.</summary>
    Fused,

    /// <summary>Every node over the whole window, one after the other (each <c>[T, width]</c> tensor in the arena).</summary>
    Layer,
}

/// <summary>
/// Time-fused execution, the last pass before memory planning: each maximal chain of nodes that can run one time step
/// at a time (<see cref="Op.Stepping"/>: row by row, or in a step form with a carry) becomes a <see cref="StepLoop"/>
/// that takes one step through the whole chain before the next. Inside a loop every value is a single row
/// <c>[1, width]</c>, so the arena holds rows and small carries (a causal convolution's last rows, the scan state)
/// instead of <c>[T, width]</c> tensors; a window tensor made before the loop is read by a <see cref="StepRow"/>, one
/// read after it written by a <see cref="StepStore"/>. Nodes that need the whole window (attention, the CRF, dynamic
/// int8's window-wide scale) are barriers the loops stop at. Only where values live changes: every engine computes the
/// same bits as the layer schedule, which the engine tests check against the evaluator of either.
/// </summary>
public static class TimeFusion
{
    /// <summary>
    /// The fused graph, every node's <see cref="Node.Schedule"/> set; <paramref name="graph"/> as it is for a model without
    /// a time axis (an input of one row).
    /// </summary>
    public static Graph Run(Graph graph, ScheduleMode mode = ScheduleMode.Fused)
    {
        var input = graph[graph.Input];
        int steps = input.Shape.Length == 2 ? input.Shape[0] : 1;
        if (steps < 2)
        {
            return graph;
        }

        if (mode == ScheduleMode.Layer)
        {
            return Mark(graph, "layer schedule (--schedule layer)");
        }

        var plans = graph.Nodes.Select(n => Classify(n, graph)).ToList();
        var why = new Dictionary<int, string>();
        var chains = new List<(int First, int Last)>();
        for (int i = 0; i < graph.Nodes.Count;)
        {
            if (plans[i].Kind == StepKind.Barrier)
            {
                why[i] = plans[i].Why;
                i++;
                continue;
            }

            // A chain: nodes over the same rows, none reading whole what the chain itself makes.
            int first = i, rows = Rows(graph, graph.Nodes[i]);
            var made = new HashSet<string>(StringComparer.Ordinal);
            while (i < graph.Nodes.Count && plans[i].Kind != StepKind.Barrier && Rows(graph, graph.Nodes[i]) == rows
                && !graph.Nodes[i].Inputs.Where((v, k) => plans[i].ReadsWhole(k)).Any(made.Contains))
            {
                made.Add(graph.Nodes[i].Output);
                i++;
            }

            if (i - first >= 2)
            {
                chains.Add((first, i - 1));
            }
            else
            {
                why[first] = "alone: a loop would only add copies";
            }
        }

        // A chain becomes a loop when that makes the arena smaller: between dynamic layers, whose whole-window inputs
        // and outputs stay, a loop can only add rows and carries; where several blocks peak alike (MDCSA's three
        // branches), only all of them together lower the peak. So two greedy searches, adding chains to none and
        // dropping them from all, each keeping a change only when the arena does not grow; the smaller arena wins,
        // then the fewer loops (fewer row copies).
        // The searches and the reasons below ask for the same sets of loops again: each arena is planned once.
        var arenas = new Dictionary<string, int>(StringComparer.Ordinal);
        int Arena(List<(int First, int Last)> set)
        {
            string key = string.Join(",", set.Select(l => l.First));
            if (!arenas.TryGetValue(key, out int bytes))
            {
                bytes = MemoryPlanner.Plan(Build(graph, plans, set, why)).ArenaBytes;
                arenas[key] = bytes;
            }

            return bytes;
        }

        var (added, addedArena) = Search(new List<(int First, int Last)>(), chains, Arena, add: true);
        var (kept, keptArena) = Search(chains.ToList(), chains, Arena, add: false);
        var (loops, bestArena) = keptArena < addedArena || (keptArena == addedArena && kept.Count < added.Count) ? (kept, keptArena) : (added, addedArena);
        foreach (var chain in chains.Where(c => !loops.Contains(c)))
        {
            int with = Arena(loops.Append(chain).OrderBy(l => l.First).ToList());
            for (int i = chain.First; i <= chain.Last; i++)
            {
                why[i] = $"a loop over this chain would not shrink the arena ({Fmt.Bytes(with)} B against {Fmt.Bytes(bestArena)} B)";
            }
        }

        var fused = Build(graph, plans, loops, why);
        foreach (var n in fused.Nodes)
        {
            // The step forms and row shapes must be what each op infers from its inputs.
            var (type, shape) = n.Op.InferOutput(n, fused);
            var v = fused[n.Output];
            if (type != v.Type || !shape.SequenceEqual(v.Shape))
            {
                throw new InvalidOperationException($"time fusion typed '{v.Name}' {v.TypeText} but {n.Op.Name} infers {type.Name()}[{string.Join(",", shape)}]");
            }
        }

        return fused;
    }

    /// <summary>The graph with <paramref name="loops"/> (node ranges of <paramref name="graph"/>) fused; every other node over the window, for <paramref name="why"/>.</summary>
    private static Graph Build(Graph graph, List<Stepping> plans, IReadOnlyList<(int First, int Last)> loops, IReadOnlyDictionary<int, string> why)
    {
        var nodes = new List<Node>();
        var values = graph.Values.ToDictionary(v => v.Name, StringComparer.Ordinal);
        var made = new List<StepLoop>();
        for (int i = 0; i < graph.Nodes.Count;)
        {
            if (loops.Any(l => l.First == i))
            {
                int last = loops.First(l => l.First == i).Last;
                made.Add(Fuse(graph, i, last, Rows(graph, graph.Nodes[i]), plans, nodes, values, made.Count + 1));
                i = last + 1;
                continue;
            }

            nodes.Add(graph.Nodes[i] with { Schedule = "window: " + (why.TryGetValue(i, out string? reason) ? reason : string.Empty) });
            i++;
        }

        return new Graph(values.Values, nodes, graph.Input, graph.Output, made);
    }

    /// <summary>
    /// One greedy search over the chains, from <paramref name="start"/>: each chain in turn is added (or dropped), and the
    /// change kept when the arena is smaller (when dropping: not larger), until a whole round keeps none.
    /// </summary>
    private static (List<(int First, int Last)> Loops, int Arena) Search(List<(int First, int Last)> start, List<(int First, int Last)> chains, Func<List<(int First, int Last)>, int> arena, bool add)
    {
        var loops = start;
        int best = arena(loops);
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (var chain in chains.Where(c => loops.Contains(c) != add))
            {
                var trial = add ? loops.Append(chain).OrderBy(l => l.First).ToList() : loops.Where(l => l != chain).ToList();
                int a = arena(trial);
                if (add ? a < best : a <= best)
                {
                    (loops, best, changed) = (trial, a, true);
                }
            }
        }

        return (loops, best);
    }

    /// <summary>
    /// How node <paramref name="n"/> can run one row at a time: its op's answer, when its output and every input it reads
    /// by rows have the same rows (and the inputs it reads whole are matrices).
    /// </summary>
    private static Stepping Classify(Node n, Graph graph)
    {
        var stepping = n.Op.Stepping(n, graph);
        if (stepping.Kind == StepKind.Barrier)
        {
            return stepping;
        }

        int rows = Rows(graph, n);
        bool byRows = rows > 1 && n.Inputs.Select((v, k) => (Value: graph[v], Whole: stepping.ReadsWhole(k)))
            .All(x => x.Value.Shape.Length >= 2 && (x.Whole || x.Value.Shape[0] == rows));
        return byRows ? stepping : Stepping.Barrier("its inputs and output are not rows of one window");
    }

    /// <summary>The rows of a node's output: its first dimension (1 for a flat vector).</summary>
    private static int Rows(Graph graph, Node n) => graph[n.Output].Shape.Length >= 2 ? graph[n.Output].Shape[0] : 1;

    /// <summary>Writes nodes <paramref name="first"/> … <paramref name="last"/> as loop <paramref name="number"/>: row reads, the chain on rows, row stores.</summary>
    private static StepLoop Fuse(Graph graph, int first, int last, int steps, List<Stepping> plans, List<Node> nodes, Dictionary<string, Value> values, int number)
    {
        var inside = new HashSet<string>(graph.Nodes.Skip(first).Take(last - first + 1).Select(n => n.Output), StringComparer.Ordinal);
        bool ReadAfter(string v) => v == graph.Output || graph.Nodes.Skip(last + 1).Any(n => n.Inputs.Contains(v));
        string RowName(string v) => FreeName(values, v + ".step");
        var rowOf = new Dictionary<string, string>(StringComparer.Ordinal);
        int start = nodes.Count;
        string loopName = $"loop {number} ({steps} steps)";

        // Row reads of the window tensors the chain takes from before the loop, in order of first use.
        for (int i = first; i <= last; i++)
        {
            var (n, plan) = (graph.Nodes[i], plans[i]);
            foreach (string v in n.Inputs.Where((v, k) => !plan.ReadsWhole(k) && !inside.Contains(v) && !rowOf.ContainsKey(v)))
            {
                rowOf[v] = AddRow(values, v, RowName(v));
                nodes.Add(new Node("step." + v, StepRow.Instance, new[] { v }, rowOf[v], Source(graph, v)) { Schedule = loopName + ": reads row step" });
            }
        }

        // The chain, on rows: a value read after the loop gets a row of its own and is stored below.
        var carries = new List<string>();
        var stores = new List<Node>();
        for (int i = first; i <= last; i++)
        {
            var n = graph.Nodes[i];
            string row = ReadAfter(n.Output) ? RowName(n.Output) : n.Output;
            rowOf[n.Output] = AddRow(values, n.Output, row);
            var plan = plans[i];
            var stepped = n with
            {
                Op = plan.StepOp ?? n.Op,
                Inputs = n.Inputs.Select((v, k) => plan.ReadsWhole(k) ? v : rowOf[v]).ToArray(),
                Output = row,
                Schedule = $"{loopName}: {plan.Why}",
            };
            nodes.Add(stepped);
            int carry = stepped.Op.CarryFloats(stepped, graph);
            if (carry > 0)
            {
                string name = StepLoop.CarryOf(stepped);
                values[name] = new Value(name, DType.Float32, new[] { carry }, ValueKind.Intermediate);
                carries.Add(name);
            }

            if (row != n.Output)
            {
                stores.Add(new Node("store." + n.Output, new StepStore(steps), new[] { row }, n.Output, n.Source) { Schedule = loopName + ": writes row step" });
            }
        }

        nodes.AddRange(stores);
        return new StepLoop(start, nodes.Count - 1, steps, carries);
    }

    /// <summary>Adds the one-row value <paramref name="row"/> of window <paramref name="v"/> (which may be <paramref name="v"/> itself, then a row) and returns its name.</summary>
    private static string AddRow(Dictionary<string, Value> values, string v, string row)
    {
        var w = values[v];
        values[row] = w with { Name = row, Shape = OpChecks.WithFirst(w.Shape, 1), Kind = ValueKind.Intermediate };
        return row;
    }

    /// <summary><paramref name="name"/>, or with a number after it where a value of that name exists.</summary>
    private static string FreeName(Dictionary<string, Value> values, string name)
    {
        string candidate = name;
        for (int k = 2; values.ContainsKey(candidate); k++)
        {
            candidate = name + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    /// <summary>The source of the node that makes <paramref name="v"/> (the graph input's is <c>input</c>).</summary>
    private static string Source(Graph graph, string v) => graph.Nodes.FirstOrDefault(n => n.Output == v)?.Source ?? "input";

    /// <summary>The graph with every node's schedule set to the whole window and <paramref name="why"/>.</summary>
    private static Graph Mark(Graph graph, string why) =>
        new(graph.Values, graph.Nodes.Select(n => n with { Schedule = "window: " + why }), graph.Input, graph.Output);
}
