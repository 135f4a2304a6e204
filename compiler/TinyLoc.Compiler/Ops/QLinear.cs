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

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        var p = node.P<QLinearParams>();
        var x = OpChecks.Single(node, graph, DType.Int8);
        if (x.Elements != p.In)
        {
            throw OpChecks.Fail(node, $"weight expects {p.In} inputs but '{x.Name}' has {x.Elements}");
        }

        return (DType.Int8, new[] { p.Out });
    }

    public override void Evaluate(Node node, Evaluator ev)
    {
        var p = node.P<QLinearParams>();
        sbyte[] x = ev.I8(node.Inputs[0]), y = ev.I8(node.Output);
        for (int o = 0; o < p.Out; o++)
        {
            int acc = p.Bias[o];
            for (int k = 0; k < p.In; k++)
            {
                acc += p.Weight[(o * p.In) + k] * x[k];
            }

            y[o] = QuantMath.Requantize(acc, p.Multiplier[o], p.Shift[o], p.OutZeroPoint, p.Lo, p.Hi);
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var p = node.P<QLinearParams>();
        var w = ctx.W;
        var d = ctx.D;
        string x = node.Inputs[0];
        string rq = ctx.Use(Helper.Requantize);
        string tail = $"{d.Lit(p.OutZeroPoint)}, {d.Lit(p.Lo)}, {d.Lit(p.Hi)}";
        if (node.Form == LayerForm.Unrolled)
        {
            void Rows(int start, int end)
            {
                var uw = ctx.W;
                uw.Line($"{d.I32} acc;");
                for (int o = start; o < end; o++)
                {
                    uw.Line($"acc = {d.Lit(p.Bias[o])};");
                    var ks = Enumerable.Range(0, p.In).Where(k => p.Weight[(o * p.In) + k] != 0).ToList();
                    for (int i = 0; i < ks.Count; i += 8)
                    {
                        var chunk = ks.Skip(i).Take(8).Select((k, j) => Term(p.Weight[(o * p.In) + k], ctx.At(x, k), j == 0));
                        uw.Line($"acc += {string.Concat(chunk)};");
                    }

                    uw.Line($"{ctx.At(node.Output, o)} = {rq}(acc, {d.Lit(p.Multiplier[o])}, {d.Lit(p.Shift[o])}, {tail});");
                }
            }

            EmitRows(node, ctx, p.Out, o => Enumerable.Range(0, p.In).Count(k => p.Weight[(o * p.In) + k] != 0), Rows);
            return;
        }

        string tw = ctx.Table(Linear.TableName(node, "w"), DType.Int8, p.Weight.Select(v => Fmt.Int(v)).ToList());
        string tb = ctx.Table(Linear.TableName(node, "b"), DType.Int32, p.Bias.Select(d.Lit).ToList());
        string tm = ctx.Table(Linear.TableName(node, "m"), DType.Int32, p.Multiplier.Select(d.Lit).ToList());
        string ts = ctx.Table(Linear.TableName(node, "s"), DType.Int8, p.Shift.Select(v => Fmt.Int(v)).ToList());
        w.Open($"for (int o = 0; o < {p.Out}; o++)");
        w.Line($"{d.I32} acc = {tb}[o];");
        w.Open($"for (int k = 0; k < {p.In}; k++)");
        w.Line($"acc += {tw}[o * {p.In} + k] * {ctx.At(x, "k")};");
        w.Close();
        w.Line($"{ctx.At(node.Output, "o")} = {rq}(acc, {tm}[o], {ts}[o], {tail});");
        w.Close();
    }

    public override string Describe(Node node)
    {
        var p = node.P<QLinearParams>();
        return $"W=i8[{p.Out},{p.In}] nonzero={p.NonZeroWeights} act={p.Act} clamp=[{p.Lo},{p.Hi}]";
    }

    public override NodeCost Cost(Node node, Graph graph)
    {
        var p = node.P<QLinearParams>();
        long macs = (long)p.Out * p.In;
        return node.Form == LayerForm.Unrolled
            ? new NodeCost(macs, 0, 0, (p.NonZeroWeights * (long)CostModel.UnrolledInt8MacCodeBytes) + (p.Out * (long)CostModel.UnrolledRowCodeBytes))
            : new NodeCost(macs, macs, p.Out * 9L, CostModel.LoopedLayerCodeBytes);
    }

    /// <summary>Writes rows inline, or split into functions of bounded size when the layer is large.</summary>
    internal static void EmitRows(Node node, EmitContext ctx, int rows, System.Func<int, int> macsOfRow, System.Action<int, int> emit)
    {
        var groups = EmitContext.RowGroups(rows, macsOfRow).ToList();
        if (groups.Count == 1)
        {
            emit(0, rows);
            return;
        }

        foreach (var (start, end) in groups)
        {
            ctx.InFunction($"{node.Name}_rows_{start}_{end - 1}", () => emit(start, end));
        }
    }

    /// <summary><c>-3 * x</c> for the first term of a line, then <c> - 3 * x</c> / <c> + 3 * x</c>.</summary>
    private static string Term(sbyte w, string x, bool first) =>
        first ? $"{Fmt.Int(w)} * {x}" : w < 0 ? $" - {Fmt.Int(-w)} * {x}" : $" + {Fmt.Int(w)} * {x}";
}
