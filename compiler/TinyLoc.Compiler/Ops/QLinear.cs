using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Quantization;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// Full-integer linear layer constants, all computed at compile time: int8 weights <c>W[Out, In]</c>,
/// the bias with the input zero point folded in (<c>b_q − zp_in·Σ_k W[o,k]</c>), per-channel Q31
/// multipliers and right shifts, the output zero point and the clamp of the fused activation.
/// </summary>
public sealed record QLinearParams(int Out, int In, sbyte[] Weight, int[] Bias, int[] Multiplier, int[] Shift, int OutZeroPoint, int Lo, int Hi, string Act, float[] WeightScale)
{
    public int NonZeroWeights => Weight.Count(w => w != 0);
}

/// <summary>The <c>qlinear</c> op: <c>acc = Bias[o] + Σ_k W[o,k]·x[k]</c> (int32), then requantise.</summary>
public sealed class QLinear : Op
{
    public static readonly QLinear Instance = new();

    public override string Name => "qlinear";

    public override bool CanUnroll => true;

    /// <inheritdoc cref="Linear.CanUnrollNode"/>
    public override bool CanUnrollNode(Node node, Graph graph) => OpChecks.Rows(graph, node, node.P<QLinearParams>().In) == 1;

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph) =>
        OpChecks.Dense(node, graph, DType.Int8, node.P<QLinearParams>().In, node.P<QLinearParams>().Out);

    public override void Evaluate(Node node, Evaluator ev)
    {
        var p = node.P<QLinearParams>();
        sbyte[] x = ev.I8(node.Inputs[0]), y = ev.I8(node.Output);
        int rows = x.Length / p.In;
        for (int r = 0; r < rows; r++)
        {
            int xo = r * p.In, yo = r * p.Out;
            for (int o = 0; o < p.Out; o++)
            {
                int acc = p.Bias[o];
                for (int k = 0; k < p.In; k++)
                {
                    acc += p.Weight[(o * p.In) + k] * x[xo + k];
                }

                y[yo + o] = QuantMath.Requantize(acc, p.Multiplier[o], p.Shift[o], p.OutZeroPoint, p.Lo, p.Hi);
            }
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var p = node.P<QLinearParams>();
        ctx.RowLoop(OpChecks.Rows(ctx.Graph, node, p.In), node.Inputs[0], p.In, node.Output, p.Out, () =>
        {
            if (node.Form == LayerForm.Unrolled)
            {
                QLinearUnrolled.Emit(node, p, ctx);
            }
            else
            {
                QLinearLooped.Emit(node, p, ctx);
            }
        });
    }

    public override string Describe(Node node)
    {
        var p = node.P<QLinearParams>();
        return $"W=i8[{p.Out},{p.In}] nonzero={p.NonZeroWeights} act={p.Act} clamp=[{p.Lo},{p.Hi}]";
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs)
    {
        var p = node.P<QLinearParams>();
        long macs = (long)p.Out * p.In * OpChecks.Rows(graph, node, p.In);
        return node.Form == LayerForm.Unrolled
            ? new NodeCost(macs, 0, 0, QLinearUnrolled.CodeBytes(p, costs))
            : new NodeCost(macs, (long)p.Out * p.In, p.Out * 9L, costs.LoopedInt8BlockCodeBytes * (long)QLinearLooped.BlockKinds(p.Out));
    }

    /// <summary>
    /// Writes rows inline, or split into functions of bounded size when the layer is large. Rows come in
    /// units of <paramref name="rowsPerUnit"/> (the last unit may be smaller: <paramref name="rows"/> in all),
    /// which are never split; <paramref name="emit"/> gets unit ranges, functions are named by their first
    /// and last row.
    /// </summary>
    internal static void EmitRows(Node node, EmitContext ctx, int units, System.Func<int, int> macsOfUnit, System.Action<int, int> emit, int rowsPerUnit = 1, int rows = int.MaxValue)
    {
        var groups = EmitContext.RowGroups(units, macsOfUnit).ToList();
        if (groups.Count == 1)
        {
            emit(0, units);
            return;
        }

        foreach (var (start, end) in groups)
        {
            int last = System.Math.Min(end * rowsPerUnit, rows) - 1;
            ctx.InFunction($"{node.Name}_rows_{start * rowsPerUnit}_{last}", () => emit(start, end));
        }
    }
}
