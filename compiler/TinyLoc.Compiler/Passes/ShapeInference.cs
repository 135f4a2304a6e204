using System.Collections.Generic;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Passes;

/// <summary>Builds a graph from nodes in execution order, typing every value with its op's <c>InferOutput</c>.</summary>
public static class ShapeInference
{
    /// <summary>Throws <see cref="Diagnostics.DiagnosticException"/> (TL2001) when an op rejects its inputs.</summary>
    public static Graph Run(Value input, IReadOnlyList<Node> nodes, IReadOnlyDictionary<string, QuantParams>? quant = null)
    {
        var graph = new Graph(new[] { input }, System.Array.Empty<Node>(), input.Name, input.Name);
        var values = new List<Value> { input };
        var done = new List<Node>();
        foreach (var node in nodes)
        {
            var partial = new Graph(values, done, input.Name, input.Name);
            var (type, shape) = node.Op.InferOutput(node, partial);
            QuantParams? q = null;
            quant?.TryGetValue(node.Output, out q);
            values.Add(new Value(node.Output, type, shape, ValueKind.Intermediate, q));
            done.Add(node);
        }

        return graph.With(done, values);
    }
}
