using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// What <see cref="Add"/> and <see cref="Mul"/> share: two float inputs of the same shape
/// (<c>node.Inputs[0]</c>, <c>[1]</c>), one output of that shape, <c>y[i] = a[i] ∘ b[i]</c>.
/// </summary>
public abstract record ElementwiseBinary : Op
{
    /// <summary>Row by row: each output row reads the same row of its inputs only.</summary>
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.PerRow;

    /// <summary>In place: each output element is computed from the same element of the input alone.</summary>
    public override Aliasing? Aliasing(Node node, Graph graph) => Ops.Aliasing.InPlace();

    /// <summary>The C/C# operator: <c>+</c>, <c>*</c>.</summary>
    protected abstract string Operator { get; }

    /// <summary>The float operation, as emitted.</summary>
    protected abstract float Apply(float a, float b);

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        OpChecks.Arity(node, 2);
        var a = OpChecks.Float(node, graph, 0);
        var b = OpChecks.Float(node, graph, 1);
        if (!System.Linq.Enumerable.SequenceEqual(a.Shape, b.Shape))
        {
            throw OpChecks.Fail(node, $"'{a.Name}' is {OpChecks.ShapeText(a)} but '{b.Name}' is {OpChecks.ShapeText(b)}; both must have the same shape");
        }

        return (DType.Float32, (int[])a.Shape.Clone());
    }

    public override void Evaluate(Node node, Evaluator ev)
    {
        float[] a = ev.F32(node.Inputs[0]), b = ev.F32(node.Inputs[1]), y = ev.F32(node.Output);
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = Apply(a[i], b[i]);
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        int n = ctx.Graph[node.Output].Elements;
        ctx.W.Open($"for (int i = 0; i < {n}; i++)");
        ctx.W.Line($"{ctx.At(node.Output, "i")} = {ctx.At(node.Inputs[0], "i")} {Operator} {ctx.At(node.Inputs[1], "i")};");
        ctx.W.Close();
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs) => new(graph[node.Output].Elements, 0, 0, costs.ElementwiseCodeBytes);
}
