using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Util;
using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <c>dlinear</c> op (float → float): per call, choose the input's scale and zero point
/// (<see cref="DynamicMath.ChooseParams"/>), quantise it into the scratch buffer (as q − 128), then
/// <c>acc = (128 − zp)·RowSum[o] + Σ_k W[o,k]·scratch[k]</c> (int32, equal to PyTorch's Σ (x_q − zp)·W_q)
/// and <c>y = act((s_x·s_w)·acc + b)</c> in float32.
/// </summary>
/// <remarks>
/// Dynamic-int8 linear constants: per-tensor symmetric int8 weights and their scale (PyTorch
/// quantize_dynamic), each row's weight sum (to fold the zero point), the float bias, the fused float
/// activation, and the activation range qmax (255, or 127 for reduce_range).
/// </remarks>
public sealed record DLinear(int Out, int In, sbyte[] Weight, float WeightScale, int[] RowSum, float[] Bias, Activation Act, int QMax) : DenseOp(Out, In, Act)
{
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.Barrier("dynamic int8: one input scale over the whole window, as PyTorch");

    /// <summary>False when every bias is zero: nothing is added (<see cref="DenseOp.AnyNonZero"/>).</summary>
    public bool HasBias => AnyNonZero(Bias);

    public override int NonZeroWeights => Weight.Count(w => w != 0);

    public override int ScratchBytes(Node node, Graph graph) => graph[node.Inputs[0]].Elements;

    public override void Evaluate(Node node, Evaluator ev)
    {
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        DynamicMath.ChooseParams(x, 0, x.Length, QMax, out float s, out int zp);
        float inv = 1.0f / s;
        var scratch = new sbyte[x.Length];
        for (int k = 0; k < x.Length; k++)
        {
            scratch[k] = DynamicMath.QuantizeShifted(x[k], inv, zp, QMax);
        }

        float sc = s * WeightScale;
        bool hasBias = HasBias;
        for (int r = 0; r < x.Length / In; r++)
        {
            int xo = r * In, yo = r * Out;
            for (int o = 0; o < Out; o++)
            {
                int acc = (128 - zp) * RowSum[o];
                for (int k = 0; k < In; k++)
                {
                    acc += Weight[(o * In) + k] * scratch[xo + k];
                }

                y[yo + o] = Act.Apply(hasBias ? (sc * (float)acc) + Bias[o] : sc * (float)acc);
            }
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var d = ctx.D;
        var w = ctx.W;
        string x = node.Inputs[0];
        int n = ctx.Graph[x].Elements, rows = n / In;
        string q = ctx.Scratch(node);
        string f = d.F32, i32 = d.I32;
        string quantize = ctx.Use(Helper.QuantizeDynamic);
        w.Line($"{i32} zp;");
        w.Line($"{f} sc = {quantize}({ctx.Buffer(x)}, {n}, {QMax}, {q}, {(d.IsC ? "&zp" : "out zp")}) * {d.Lit(WeightScale)};");
        if (node.Form == LayerForm.Unrolled)
        {
            // Rows may be split into functions of their own (large layers), so the per-call zero
            // point and scale product travel in the two static scalars beside the scratch buffer.
            w.Line($"{ctx.ScratchZeroPoint} = zp;");
            w.Line($"{ctx.ScratchScale} = sc;");
            RowFunctions.Emit(node, ctx, Out, o => Enumerable.Range(0, In).Count(k => Weight[(o * In) + k] != 0), Rows);
            return;

            void Rows(int start, int end)
            {
                var uw = ctx.W;
                bool hasBias = HasBias;
                uw.Line($"{d.DotAcc} acc;");
                uw.Line($"{f} v;");
                for (int o = start; o < end; o++)
                {
                    uw.Line($"acc = {d.DotInit($"(128 - {ctx.ScratchZeroPoint}) * {d.Lit(RowSum[o])}")};");
                    var ks = Enumerable.Range(0, In).Where(k => Weight[(o * In) + k] != 0).ToList();
                    for (int i = 0; i < ks.Count; i += 8)
                    {
                        uw.Line("acc += " + string.Concat(ks.Skip(i).Take(8).Select((k, j) => d.DotTerm(Weight[(o * In) + k], $"{q}[{k}]", j == 0))) + ";");
                    }

                    uw.Line($"v = {ctx.ScratchScale} * ({f}){d.DotValue("acc")}{(hasBias ? " + " + d.Lit(Bias[o]) : string.Empty)};");
                    uw.Line($"{ctx.At(node.Output, o)} = {ActivationOp.Expr(Act, "v", ctx)};");
                }
            }
        }

        string tw = ctx.Table(ctx.TableName(node, "w"), DType.Int8, Weight, v => Fmt.Int(v), $"W[{Out}][{In}] int8, one scale {Fmt.Float(WeightScale)} (symmetric)");
        string tr = ctx.Table(ctx.TableName(node, "rowsum"), DType.Int32, RowSum, d.Lit, $"[{Out}] sum of each row of W (folds the input zero point)");
        string? tb = HasBias ? ctx.Table(ctx.TableName(node, "b"), DType.Float32, Bias, d.Lit, $"bias[{Out}] float") : null;
        ctx.RowLoop(rows, x, In, node.Output, Out, () =>
        {
            w.Open($"for (int o = 0; o < {Out}; o++)");
            w.Line($"{i32} acc = (128 - zp) * {tr}[o];");
            w.Open($"for (int k = 0; k < {In}; k++)");
            w.Line($"acc += {tw}[o * {In} + k] * {q}[{QIndex(ctx, "k", In)}];");
            w.Close();
            string y = tb is null ? $"sc * ({f})acc" : $"sc * ({f})acc + {tb}[o]";
            if (Act == Activation.None)
            {
                w.Line($"{ctx.At(node.Output, "o")} = {y};");
            }
            else
            {
                w.Line($"{f} v = {y};");
                w.Line($"{ctx.At(node.Output, "o")} = {ActivationOp.Expr(Act, "v", ctx)};");
            }

            w.Close();
        });
    }

    /// <summary>The scratch index of column <paramref name="k"/> in the current row.</summary>
    private static string QIndex(EmitContext ctx, object k, int inFeatures) =>
        ctx.RowVar is null ? k.ToString()! : $"{k} + {ctx.RowVar} * {inFeatures}";

    public override SoftFloatUse SoftFloat(Node node) => SoftFloatUse.Conversions;

    public override string Describe(Node node)
    {
        return $"W=i8[{Out},{In}] s_w={Fmt.Float(WeightScale)} nonzero={NonZeroWeights} qmax={QMax} act={Act.Name()}";
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs)
    {
        long macs = Macs(node, graph);
        long fixedCode = costs.ElementwiseCodeBytes;
        return node.Form == LayerForm.Unrolled
            ? new NodeCost(macs, 0, 0, fixedCode + (NonZeroWeights * (long)costs.UnrolledDynamicMacCodeBytes) + (Out * (long)costs.UnrolledDynamicRowCodeBytes))
            : new NodeCost(macs, (long)Out * In, Out * (HasBias ? 8L : 4L), fixedCode + costs.LoopedLayerCodeBytes);
    }
}
