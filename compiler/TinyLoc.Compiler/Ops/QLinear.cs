using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Util;
using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Ops;

/// <summary>The <c>qlinear</c> op: <c>acc = Bias[o] + Σ_k W[o,k]·x[k]</c> (int32), then requantise.</summary>
/// <remarks>
/// Full-integer linear layer constants, all computed at compile time: int8 weights <c>W[Out, In]</c>,
/// the bias with the input zero point folded in (<c>b_q − zp_in·Σ_k W[o,k]</c>), per-channel Q31
/// multipliers and right shifts, the output zero point and the clamp of the fused activation.
/// </remarks>
public sealed record QLinear(int Out, int In, sbyte[] Weight, int[] Bias, int[] Multiplier, int[] Shift, int OutZeroPoint, int Lo, int Hi, Activation Act, float[] WeightScale) : DenseOp(Out, In, Act)
{
    /// <summary>Row by row: each output row reads the same row of its inputs only.</summary>
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.PerRow;

    public override int NonZeroWeights => Weight.Count(w => w != 0);

    protected override DType OutputType => DType.Int8;

    /// <summary>None: the activation (ReLU or none) is the integer clamp <c>[Lo, Hi]</c>, not a float function at run time.</summary>
    public override Activation AppliedActivation => Activation.None;

    public override void Evaluate(Node node, Evaluator ev)
    {
        sbyte[] x = ev.I8(node.Inputs[0]), y = ev.I8(node.Output);
        int rows = x.Length / In;
        for (int r = 0; r < rows; r++)
        {
            int xo = r * In, yo = r * Out;
            for (int o = 0; o < Out; o++)
            {
                int acc = Bias[o];
                for (int k = 0; k < In; k++)
                {
                    acc += Weight[(o * In) + k] * x[xo + k];
                }

                y[yo + o] = QuantMath.Requantize(acc, Multiplier[o], Shift[o], OutZeroPoint, Lo, Hi);
            }
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        ctx.RowLoop(Rows(node, ctx.Graph), node.Inputs[0], In, node.Output, Out, () =>
        {
            if (node.Form == LayerForm.Unrolled)
            {
                QLinearUnrolled.Emit(node, this, ctx);
            }
            else
            {
                QLinearLooped.Emit(node, this, ctx, wide: node.Form == LayerForm.Wide);
            }
        });
    }

    /// <summary>Any layer with a group of four inputs (per-step layers too: the form is looped).</summary>
    public override bool CanWidenNode(Node node, Graph graph) => In >= 4;

    public override SoftFloatUse SoftFloat(Node node) => SoftFloatUse.Conversions;

    public override string Describe(Node node)
    {
        return $"W=i8[{Out},{In}] nonzero={NonZeroWeights} act={Act.Name()} clamp=[{Lo},{Hi}]";
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs)
    {
        long macs = Macs(node, graph);
        if (node.Form == LayerForm.Wide && QLinearWide.Applies(this, costs))
        {
            return new NodeCost(macs, QLinearWide.WeightBytes(this), Out * 9L, QLinearWide.CodeBytes(this, costs));
        }

        return node.Form == LayerForm.Unrolled
            ? new NodeCost(macs, 0, 0, QLinearUnrolled.CodeBytes(this, costs))
            : new NodeCost(macs, (long)Out * In, Out * 9L, costs.LoopedInt8BlockCodeBytes * (long)QLinearLooped.BlockKinds(Out));
    }
}
