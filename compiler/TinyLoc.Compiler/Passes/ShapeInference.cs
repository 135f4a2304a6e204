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
        var names = new HashSet<string>(System.StringComparer.Ordinal) { input.Name };
        foreach (var node in nodes)
        {
            if (!names.Add(node.Output))
            {
                throw new Diagnostics.DiagnosticException(Diagnostics.DiagnosticDescriptors.DuplicateValue, Diagnostics.SourceLocation.None, Emit.Naming.CommentText(node.Name), Emit.Naming.CommentText(node.Output));
            }

            var partial = new Graph(values, done, input.Name, input.Name);
            var (type, shape) = node.Op.InferOutput(node, partial);
            if (System.Array.IndexOf(shape, 0) >= 0)
            {
                throw new Diagnostics.DiagnosticException(Diagnostics.DiagnosticDescriptors.EmptyLayer, Diagnostics.SourceLocation.None, Emit.Naming.CommentText(node.Source), node.Name, "[" + string.Join(", ", shape) + "]");
            }

            QuantParams? q = null;
            quant?.TryGetValue(node.Output, out q);
            values.Add(new Value(node.Output, type, shape, ValueKind.Intermediate, q));
            done.Add(node);
        }

        return graph.With(done, values);
    }
}
