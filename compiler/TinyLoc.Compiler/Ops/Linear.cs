using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>Float weights <c>W[Out, In]</c> (row-major, as nn.Linear), bias <c>B[Out]</c> and a fused activation.</summary>
public sealed record LinearParams(int Out, int In, float[] Weight, float[] Bias, Activation Act)
{
    public int NonZeroWeights => Weight.Count(w => w != 0.0f);
}

/// <summary>
/// The float <c>linear</c> op: <c>y[o] = act(B[o] + Σ_k W[o,k]·x[k])</c>, summed in k order one rounding at a
/// time. The unrolled form skips zero weights, and the evaluator does the same for unrolled nodes.
/// </summary>
public sealed class Linear : Op
{
    public static readonly Linear Instance = new();

    public override string Name => "linear";

    public override bool CanUnroll => true;

    /// <summary>
    /// Single-row layers only. A per-step layer (over [T, In]) stays looped: its weights are read T times per
    /// call either way, and unrolled per-row code made gcc with ASan and UBSan take minutes (3.5 CPU-minutes
    /// for MDCSA H16 L3, where the unrolled MLPs take seconds): every input is then read through a row base,
    /// which ASan must instrument, instead of at a constant arena index, which it need not.
    /// </summary>
    public override bool CanUnrollNode(Node node, Graph graph) => OpChecks.Rows(graph, node, node.P<LinearParams>().In) == 1;

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph) =>
        OpChecks.Dense(node, graph, DType.Float32, node.P<LinearParams>().In, node.P<LinearParams>().Out);

    public override void Evaluate(Node node, Evaluator ev)
    {
        var p = node.P<LinearParams>();
        bool skipZeros = node.Form == LayerForm.Unrolled;
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        int rows = x.Length / p.In;
        for (int r = 0; r < rows; r++)
        {
            int xo = r * p.In, yo = r * p.Out;
            for (int o = 0; o < p.Out; o++)
            {
                float acc = p.Bias[o];
                for (int k = 0; k < p.In; k++)
                {
                    float w = p.Weight[(o * p.In) + k];
                    if (skipZeros && w == 0.0f)
                    {
                        continue;
                    }

                    acc = acc + (w * x[xo + k]);
                }

                y[yo + o] = p.Act.Apply(acc);
            }
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var p = node.P<LinearParams>();
        ctx.RowLoop(OpChecks.Rows(ctx.Graph, node, p.In), node.Inputs[0], p.In, node.Output, p.Out, () => EmitRow(node, p, ctx));
    }

    /// <summary>One row's code (<see cref="EmitContext.RowLoop"/> repeats it over a [T, In] input).</summary>
    private static void EmitRow(Node node, LinearParams p, EmitContext ctx)
    {
        if (node.Form == LayerForm.Looped)
        {
            LinearLooped.Emit(node, p, ctx);
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
                uw.Line($"acc = {ctx.D.Lit(p.Bias[o])};");
                int terms = 0;
                for (int k = 0; k < p.In; k++)
                {
                    float wt = p.Weight[(o * p.In) + k];
                    if (wt != 0.0f)
                    {
                        uw.Line($"acc += {ctx.D.Lit(wt)} * {ctx.At(x, k)};");
                        if (ctx.D.IsC && ++terms % 8 == 0)
                        {
                            uw.Line($"{ctx.Use(Helper.Fence)}({ctx.ObjectOf(x)});");
                        }
                    }
                }

                uw.Line($"{ctx.At(node.Output, o)} = {ActivationOp.Expr(p.Act, "acc", ctx)};");
                if (ctx.D.IsC)
                {
                    uw.Line($"{ctx.Use(Helper.Fence)}({ctx.ObjectOf(x)});");
                }
            }
        }

        QLinear.EmitRows(node, ctx, p.Out, o => Enumerable.Range(0, p.In).Count(k => p.Weight[(o * p.In) + k] != 0.0f), Rows);
    }

    public override Activation AppliedActivation(Node node) => node.P<LinearParams>().Act;

    public override string Describe(Node node)
    {
        var p = node.P<LinearParams>();
        return $"W=f32[{p.Out},{p.In}] nonzero={p.NonZeroWeights} act={p.Act.Name()}";
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs)
    {
        var p = node.P<LinearParams>();
        long macs = (long)p.Out * p.In * OpChecks.Rows(graph, node, p.In);
        return node.Form == LayerForm.Unrolled
            ? new NodeCost(macs, 0, 0, (p.NonZeroWeights * (long)costs.UnrolledFloatMacCodeBytes) + (p.Out * (long)costs.UnrolledRowCodeBytes))
            : new NodeCost(macs, (long)p.Out * p.In * 4, p.Out * 4L, costs.LoopedFloatBlockCodeBytes * (long)QLinearLooped.BlockKinds(p.Out));
    }

    /// <summary>A table name unique to the node: <c>n2_fc1_w</c>.</summary>
    public static string TableName(Node node, string what) => node.Name + "_" + what;
}
