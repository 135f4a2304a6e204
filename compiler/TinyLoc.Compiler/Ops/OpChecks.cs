using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>Input checks shared by the ops' <c>InferOutput</c>.</summary>
internal static class OpChecks
{
    public static Value Single(Node node, Graph graph, DType type)
    {
        if (node.Inputs.Count != 1)
        {
            throw Fail(node, $"takes one input, has {node.Inputs.Count}");
        }

        var v = graph[node.Inputs[0]];
        if (v.Type != type)
        {
            throw Fail(node, $"input '{v.Name}' is {v.Type.Name()}, needs {type.Name()}");
        }

        return v;
    }

    /// <summary>A dense layer's check: one input of <paramref name="type"/> with <paramref name="inFeatures"/> elements; the output is [outFeatures].</summary>
    public static (DType Type, int[] Shape) Dense(Node node, Graph graph, DType type, int inFeatures, int outFeatures)
    {
        var x = Single(node, graph, type);
        if (x.Elements != inFeatures)
        {
            throw Fail(node, $"weight expects {inFeatures} inputs but '{x.Name}' has {x.Elements}");
        }

        return (type, new[] { outFeatures });
    }

    public static DiagnosticException Fail(Node node, string what) =>
        new(DiagnosticDescriptors.ShapeMismatch, SourceLocation.None, node.Name, node.Op.Name, what);
}
