using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <c>slice</c> op over the last dimension: <c>[T, W]</c> → <c>[T, Length]</c>, <c>y[t, i] = x[t, Start + i]</c>
/// (a flat <c>[W]</c> is one row). A copy: the output is a buffer of its own.
/// </summary>
/// <remarks>Columns <c>[Start, Start + Length)</c> of every row.</remarks>
public sealed record Slice(int Start, int Length) : Op
{
    /// <summary>Row by row: each output row reads the same row of its inputs only.</summary>
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.PerRow;

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        OpChecks.Arity(node, 1);
        var x = OpChecks.Float(node, graph, 0);
        int width = OpChecks.RowsOf(x).Width;
        if (Start < 0 || Length < 1 || Start + Length > width)
        {
            throw OpChecks.Fail(node, $"columns [{Start}, {Start + Length}) are not within the {width} columns of '{x.Name}' {OpChecks.ShapeText(x)}");
        }

        return (DType.Float32, OpChecks.WithLast(x.Shape, Length));
    }

    public override void Evaluate(Node node, Evaluator ev)
    {
        var (rows, width) = OpChecks.RowsOf(ev.Graph[node.Inputs[0]]);
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        for (int t = 0; t < rows; t++)
        {
            for (int i = 0; i < Length; i++)
            {
                y[(t * Length) + i] = x[(t * width) + Start + i];
            }
        }
    }

    /// <summary>A view when the columns are contiguous: a single row (a time-fused step's), or every column.</summary>
    public override Aliasing? Aliasing(Node node, Graph graph)
    {
        var (rows, width) = OpChecks.RowsOf(graph[node.Inputs[0]]);
        return rows == 1 || Length == width ? new Aliasing(0, Start * DType.Float32.Size(), View: true) : null;
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        if (ctx.IsView(node))
        {
            return;
        }

        var (rows, width) = OpChecks.RowsOf(ctx.Graph[node.Inputs[0]]);
        var w = ctx.W;
        string start = Start == 0 ? string.Empty : $"{Start} + ";
        w.Open($"for (int t = 0; t < {rows}; t++)");
        if (Length == 1)
        {
            w.Line($"{ctx.At(node.Output, "t")} = {ctx.At(node.Inputs[0], $"t * {width}{(Start == 0 ? string.Empty : $" + {Start}")}")};");
        }
        else
        {
            w.Open($"for (int i = 0; i < {Length}; i++)");
            w.Line($"{ctx.At(node.Output, $"t * {Length} + i")} = {ctx.At(node.Inputs[0], $"t * {width} + {start}i")};");
            w.Close();
        }

        w.Close();
    }

    public override string Describe(Node node)
    {
        return $"start={Start} length={Length}";
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs) => new(0, 0, 0, costs.RowLoopCodeBytes);
}
