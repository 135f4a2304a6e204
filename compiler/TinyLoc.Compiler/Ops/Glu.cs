using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <c>glu</c> op over the last dimension (F.glu(x, -1)): each row <c>[a, b]</c> of 2H values gives
/// <c>y = a · Sigmoid(b)</c>, H values; <c>[T, 2H]</c> → <c>[T, H]</c>.
/// </summary>
public sealed record Glu : Op
{
    /// <summary>Row by row: each output row reads the same row of its inputs only.</summary>
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.PerRow;

    public static readonly Glu Instance = new();

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        OpChecks.Arity(node, 1);
        var x = OpChecks.Float(node, graph, 0);
        int width = OpChecks.RowsOf(x).Width;
        if (width % 2 != 0)
        {
            throw OpChecks.Fail(node, $"'{x.Name}' is {OpChecks.ShapeText(x)}: the last dimension must be even (two halves)");
        }

        return (DType.Float32, OpChecks.WithLast(x.Shape, width / 2));
    }

    public override void Evaluate(Node node, Evaluator ev)
    {
        var (rows, h) = OpChecks.RowsOf(ev.Graph[node.Output]);
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        for (int t = 0; t < rows; t++)
        {
            for (int i = 0; i < h; i++)
            {
                y[(t * h) + i] = x[(t * 2 * h) + i] * TlMath.Sigmoid(x[(t * 2 * h) + h + i]);
            }
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var (rows, h) = OpChecks.RowsOf(ctx.Graph[node.Output]);
        var w = ctx.W;
        w.Open($"for (int t = 0; t < {rows}; t++)");
        w.Open($"for (int i = 0; i < {h}; i++)");
        w.Line($"int xi = t * {2 * h} + i;");
        w.Line($"{ctx.At(node.Output, $"t * {h} + i")} = {ctx.At(node.Inputs[0], "xi")} * {ctx.Use(Helper.Sigmoid)}({ctx.At(node.Inputs[0], $"xi + {h}")});");
        w.Close();
        w.Close();
    }

    /// <summary>sigmoid, once per output (so the stack estimate counts exp's frame).</summary>
    public override Activation AppliedActivation => Activation.Sigmoid;

    public override NodeCost Cost(Node node, Graph graph, CostModel costs) => new(graph[node.Output].Elements, 0, 0, costs.RowLoopCodeBytes);
}
