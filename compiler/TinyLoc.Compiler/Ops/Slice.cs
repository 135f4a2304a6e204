using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>Columns <c>[Start, Start + Length)</c> of every row.</summary>
public sealed record SliceParams(int Start, int Length);

/// <summary>
/// The <c>slice</c> op over the last dimension: <c>[T, W]</c> → <c>[T, Length]</c>, <c>y[t, i] = x[t, Start + i]</c>
/// (a flat <c>[W]</c> is one row). A copy: the output is a buffer of its own.
/// </summary>
public sealed class Slice : Op
{
    public static readonly Slice Instance = new();

    public override string Name => "slice";

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        var p = node.P<SliceParams>();
        OpChecks.Arity(node, 1);
        var x = OpChecks.Float(node, graph, 0);
        int width = OpChecks.RowsOf(x).Width;
        if (p.Start < 0 || p.Length < 1 || p.Start + p.Length > width)
        {
            throw OpChecks.Fail(node, $"columns [{p.Start}, {p.Start + p.Length}) are not within the {width} columns of '{x.Name}' {OpChecks.ShapeText(x)}");
        }

        return (DType.Float32, OpChecks.WithLast(x.Shape, p.Length));
    }

    public override void Evaluate(Node node, Evaluator ev)
    {
        var p = node.P<SliceParams>();
        var (rows, width) = OpChecks.RowsOf(ev.Graph[node.Inputs[0]]);
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        for (int t = 0; t < rows; t++)
        {
            for (int i = 0; i < p.Length; i++)
            {
                y[(t * p.Length) + i] = x[(t * width) + p.Start + i];
            }
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var p = node.P<SliceParams>();
        var (rows, width) = OpChecks.RowsOf(ctx.Graph[node.Inputs[0]]);
        var w = ctx.W;
        string start = p.Start == 0 ? string.Empty : $"{p.Start} + ";
        w.Open($"for (int t = 0; t < {rows}; t++)");
        w.Open($"for (int i = 0; i < {p.Length}; i++)");
        w.Line($"{ctx.At(node.Output, $"t * {p.Length} + i")} = {ctx.At(node.Inputs[0], $"t * {width} + {start}i")};");
        w.Close();
        w.Close();
    }

    public override string Describe(Node node)
    {
        var p = node.P<SliceParams>();
        return $"start={p.Start} length={p.Length}";
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs) => new(0, 0, 0, costs.RowLoopCodeBytes);
}
