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

    /// <summary>
    /// A dense layer's check: one input of <paramref name="type"/> whose last dimension is
    /// <paramref name="inFeatures"/> (applied to every row: [T, In] → [T, Out]), or a flat input of exactly
    /// <paramref name="inFeatures"/> elements (→ [Out]).
    /// </summary>
    public static (DType Type, int[] Shape) Dense(Node node, Graph graph, DType type, int inFeatures, int outFeatures)
    {
        var x = Single(node, graph, type);
        if (x.Shape.Length > 1 && x.Shape[x.Shape.Length - 1] == inFeatures)
        {
            var shape = (int[])x.Shape.Clone();
            shape[shape.Length - 1] = outFeatures;
            return (type, shape);
        }

        if (x.Elements != inFeatures)
        {
            throw Fail(node, $"weight expects {inFeatures} inputs per row but '{x.Name}' is [{string.Join(", ", x.Shape)}]");
        }

        return (type, new[] { outFeatures });
    }

    /// <summary>How many rows a dense layer of <paramref name="inFeatures"/> inputs runs over (1 for a flat input).</summary>
    public static int Rows(Graph graph, Node node, int inFeatures) => graph[node.Inputs[0]].Elements / inFeatures;

    /// <summary>The node has exactly <paramref name="count"/> inputs.</summary>
    public static void Arity(Node node, int count)
    {
        if (node.Inputs.Count != count)
        {
            throw Fail(node, $"takes {count} input{(count == 1 ? string.Empty : "s")}, has {node.Inputs.Count}");
        }
    }

    /// <summary>Input <paramref name="index"/> is a float32 matrix <c>[rows, columns]</c> (a sequence is [T, C], time-major).</summary>
    public static Value Matrix(Node node, Graph graph, int index)
    {
        var v = graph[node.Inputs[index]];
        if (v.Type != DType.Float32)
        {
            throw Fail(node, $"input '{v.Name}' is {v.Type.Name()}, needs {DType.Float32.Name()}");
        }

        if (v.Shape.Length != 2)
        {
            throw Fail(node, $"input '{v.Name}' is [{string.Join(", ", v.Shape)}], needs a matrix [rows, columns]");
        }

        return v;
    }

    /// <summary>Input <paramref name="index"/> is float32, of any shape.</summary>
    public static Value Float(Node node, Graph graph, int index)
    {
        var v = graph[node.Inputs[index]];
        if (v.Type != DType.Float32)
        {
            throw Fail(node, $"input '{v.Name}' is {v.Type.Name()}, needs {DType.Float32.Name()}");
        }

        return v;
    }

    /// <summary>A tensor seen as rows of its last dimension: [T, W] is T rows of W, [W] one row.</summary>
    public static (int Rows, int Width) RowsOf(Value v)
    {
        int width = v.Shape.Length == 0 ? 1 : v.Shape[v.Shape.Length - 1];
        return (width == 0 ? 0 : v.Elements / width, width);
    }

    /// <summary><paramref name="shape"/> with its last dimension replaced by <paramref name="last"/>.</summary>
    public static int[] WithLast(int[] shape, int last)
    {
        var s = (int[])shape.Clone();
        s[s.Length - 1] = last;
        return s;
    }

    /// <summary><paramref name="shape"/> with its first dimension (the time steps of a window) replaced by <paramref name="first"/>.</summary>
    public static int[] WithFirst(int[] shape, int first)
    {
        var s = (int[])shape.Clone();
        s[0] = first;
        return s;
    }

    /// <summary>The [a, b, …] text of a shape for messages.</summary>
    public static string ShapeText(Value v) => "[" + string.Join(", ", v.Shape) + "]";

    public static DiagnosticException Fail(Node node, string what) =>
        new(DiagnosticDescriptors.ShapeMismatch, SourceLocation.None, node.Name, node.Op.Name, what);
}
