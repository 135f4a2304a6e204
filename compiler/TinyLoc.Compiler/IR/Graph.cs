using System;
using System.Collections.Generic;
using System.Linq;

namespace TinyLoc.Compiler.IR;

/// <summary>
/// A dataflow graph: nodes in execution order, values by name. One graph input (raw features) and one graph
/// output. Straight-line, except for the time-fused loops the last pass may add (<see cref="Loops"/>). Passes return
/// new graphs; a graph is never edited after it is built.
/// </summary>
public sealed class Graph
{
    private readonly Dictionary<string, Value> _values;

    public Graph(IEnumerable<Value> values, IEnumerable<Node> nodes, string input, string output, IEnumerable<StepLoop>? loops = null)
    {
        _values = values.ToDictionary(v => v.Name, StringComparer.Ordinal);
        Nodes = nodes.ToList();
        Input = input;
        Output = output;
        Loops = loops?.ToList() ?? new List<StepLoop>();
    }

    /// <summary>The time-fused loops, in node order (none unless <see cref="Passes.TimeFusion"/> made them).</summary>
    public IReadOnlyList<StepLoop> Loops { get; }

    /// <summary>The loop node <paramref name="index"/> runs in, or null.</summary>
    public StepLoop? LoopOf(int index) => Loops.FirstOrDefault(l => l.Contains(index));

    public IReadOnlyList<Node> Nodes { get; }

    public string Input { get; }

    public string Output { get; }

    /// <summary>Values in a stable order: graph input, then each node's output in execution order, then the loops' carries.</summary>
    public IEnumerable<Value> Values => new[] { Input }.Concat(Nodes.Select(n => n.Output)).Concat(Loops.SelectMany(l => l.Carries)).Distinct().Select(n => _values[n]);

    public Value this[string name] => _values[name];

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>A graph of other nodes over the same values (without loops: the passes that call this run before <see cref="Passes.TimeFusion"/>).</summary>
    public Graph With(IEnumerable<Node> nodes, IEnumerable<Value>? changedValues = null)
    {
        var values = new Dictionary<string, Value>(_values, StringComparer.Ordinal);
        foreach (var v in changedValues ?? Enumerable.Empty<Value>())
        {
            values[v.Name] = v;
        }

        var nodeList = nodes.ToList();
        string output = nodeList.Count == 0 ? Input : nodeList[nodeList.Count - 1].Output;
        var live = new HashSet<string>(nodeList.SelectMany(n => n.Inputs.Append(n.Output)).Append(Input), StringComparer.Ordinal);
        var kept = values.Values.Where(v => live.Contains(v.Name)).Select(v =>
            v.Name == output ? v with { Kind = ValueKind.Output } :
            v.Name == Input ? v : v with { Kind = ValueKind.Intermediate });
        return new Graph(kept, nodeList, Input, output);
    }

    /// <summary>Index of the last node that reads <paramref name="value"/>, or -1.</summary>
    public int LastUse(string value)
    {
        for (int i = Nodes.Count - 1; i >= 0; i--)
        {
            if (Nodes[i].Inputs.Contains(value))
            {
                return i;
            }
        }

        return -1;
    }
}
