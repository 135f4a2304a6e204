using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The float <c>linear</c> op: <c>y[o] = act(B[o] + Σ_k W[o,k]·x[k])</c>, summed in k order one rounding at a
/// time. The unrolled form skips zero weights, and the evaluator does the same for unrolled nodes.
/// </summary>
/// <remarks>Float weights <c>W[Out, In]</c> (row-major, as nn.Linear), bias <c>B[Out]</c> and a fused activation.</remarks>
public sealed record Linear(int Out, int In, float[] Weight, float[] Bias, Activation Act) : DenseOp(Out, In, Act), IFusesActivation, IAbsorbsAffine
{
    /// <summary>Row by row: each output row reads the same row of its inputs only.</summary>
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.PerRow;

    /// <summary>False when every bias is zero: the sums start from 0 and there is no bias table.</summary>
    public bool HasBias => AnyNonZero(Bias);

    public override int NonZeroWeights => Weight.Count(w => w != 0.0f);

    public Op WithActivation(Activation act) => this with { Act = act };

    public int Channels => Out;

    public Op Absorb(float[] scale, float[] shift) => this with
    {
        Weight = System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Select(Weight, (w, i) => w * scale[i / In])),
        Bias = System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Select(Bias, (b, o) => (b * scale[o]) + shift[o])),
    };

    public override void Evaluate(Node node, Evaluator ev)
    {
        bool skipZeros = node.Form == LayerForm.Unrolled;
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        int rows = x.Length / In;
        for (int r = 0; r < rows; r++)
        {
            int xo = r * In, yo = r * Out;
            for (int o = 0; o < Out; o++)
            {
                float acc = Bias[o];
                for (int k = 0; k < In; k++)
                {
                    float w = Weight[(o * In) + k];
                    if (skipZeros && w == 0.0f)
                    {
                        continue;
                    }

                    acc = acc + (w * x[xo + k]);
                }

                y[yo + o] = Act.Apply(acc);
            }
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        ctx.RowLoop(Rows(node, ctx.Graph), node.Inputs[0], In, node.Output, Out, () => EmitRow(node, ctx));
    }

    /// <summary>One row's code (<see cref="EmitContext.RowLoop"/> repeats it over a [T, In] input).</summary>
    private void EmitRow(Node node, EmitContext ctx)
    {
        if (node.Form == LayerForm.Looped)
        {
            LinearLooped.Emit(node, this, ctx);
            return;
        }

        // Unrolled: one sum per row, zero weights skipped, a compiler fence every eight terms and after each
        // row in C (Fence: measured 8 % fewer instructions, 7 % less code and a fraction of the stack).
        // (Computing four rows at a time, as the looped form does, was measured slower and bigger here.)
        string x = node.Inputs[0];
        void Rows(int start, int end)
        {
            var uw = ctx.W;
            uw.Line("float acc;");
            for (int o = start; o < end; o++)
            {
                uw.Line($"acc = {ctx.D.Lit(Bias[o])};");
                int terms = 0;
                for (int k = 0; k < In; k++)
                {
                    float wt = Weight[(o * In) + k];
                    if (wt != 0.0f)
                    {
                        uw.Line($"acc += {ctx.D.Lit(wt)} * {ctx.At(x, k)};");
                        if (ctx.D.IsC && ++terms % 8 == 0)
                        {
                            uw.Line($"{ctx.Use(Helper.Fence)}({ctx.ObjectOf(x)});");
                        }
                    }
                }

                uw.Line($"{ctx.At(node.Output, o)} = {ActivationOp.Expr(Act, "acc", ctx)};");
                if (ctx.D.IsC)
                {
                    uw.Line($"{ctx.Use(Helper.Fence)}({ctx.ObjectOf(x)});");
                }
            }
        }

        RowFunctions.Emit(node, ctx, Out, o => Enumerable.Range(0, In).Count(k => Weight[(o * In) + k] != 0.0f), Rows);
    }

    public override SoftFloatUse SoftFloat(Node node) => node.Form == LayerForm.Unrolled ? SoftFloatUse.Subtract : SoftFloatUse.None;

    public override string Describe(Node node)
    {
        return $"W=f32[{Out},{In}] nonzero={NonZeroWeights} act={Act.Name()}";
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs)
    {
        long macs = Macs(node, graph);
        return node.Form == LayerForm.Unrolled
            ? new NodeCost(macs, 0, 0, (NonZeroWeights * (long)costs.UnrolledFloatMacCodeBytes) + (Out * (long)costs.UnrolledRowCodeBytes))
            : new NodeCost(macs, (long)Out * In * 4, HasBias ? Out * 4L : 0, costs.LoopedFloatBlockCodeBytes * (long)QLinearLooped.BlockKinds(Out));
    }
}
