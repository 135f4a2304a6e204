using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Util;
using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <c>llinear</c> op (float → float). Per call, outlier columns are those where any row has |x| ≥ 6; per row, <c>SCA = max |x[k]|</c> over the other columns;
/// <c>CA[k] = rint(x[k]·(127/SCA))</c> for those, 0 for outliers (in the scratch buffer); then per row
/// <c>acc = Σ CB·CA</c> (int32), <c>y = acc·(SCA·RowScale[o])</c>, plus, in column order, each outlier
/// column's <c>x[k]·(CB[o,k]·RowDequant[o])</c>, plus the bias; then the activation. All float32, in
/// this order, in every engine.
/// </summary>
/// <remarks>
/// LLM.int8-style linear constants: int8 weights per row (<c>CB</c>), <c>SCB/127²</c> per row for the
/// int8 product, <c>SCB/127</c> per row to dequantise weights for the outlier columns, float bias, fused
/// float activation.
/// </remarks>
public sealed record LLinear(int Out, int In, sbyte[] Weight, float[] RowScale, float[] RowDequant, float[] Bias, Activation Act) : DenseOp(Out, In, Act)
{
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.Barrier("llm-int8: its outlier columns are found over the whole window");

    /// <summary>Input columns with |x| at or above this are outliers, multiplied in float (bitsandbytes' 6.0).</summary>
    public const float Threshold = 6.0f;

    /// <summary>False when every bias is zero: nothing is added (<see cref="DenseOp.AnyNonZero"/>).</summary>
    public bool HasBias => AnyNonZero(Bias);

    public override int NonZeroWeights => Weight.Count(w => w != 0);

    /// <summary>Looped only: the outlier columns are found per call.</summary>
    public override bool CanUnroll => false;

    public override int ScratchBytes(Node node, Graph graph) => 2 * In;

    public override void Evaluate(Node node, Evaluator ev)
    {
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        int rows = x.Length / In;
        bool hasBias = HasBias;
        var outlier = new bool[In];
        for (int i = 0; i < x.Length; i++)
        {
            float a = x[i] < 0.0f ? -x[i] : x[i];
            if (!(a < Threshold))
            {
                outlier[i % In] = true;
            }
        }

        var ca = new sbyte[In];
        for (int r = 0; r < rows; r++)
        {
            int xo = r * In, yo = r * Out;
            float sca = 0.0f;
            for (int k = 0; k < In; k++)
            {
                float a = x[xo + k] < 0.0f ? -x[xo + k] : x[xo + k];
                if (!outlier[k] && a > sca)
                {
                    sca = a;
                }
            }

            float inv = sca > 0.0f ? 127.0f / sca : 0.0f;
            for (int k = 0; k < In; k++)
            {
                ca[k] = outlier[k] ? (sbyte)0 : (sbyte)DynamicMath.RoundNearestEven(x[xo + k] * inv);
            }

            for (int o = 0; o < Out; o++)
            {
                int acc = 0;
                for (int k = 0; k < In; k++)
                {
                    acc += Weight[(o * In) + k] * ca[k];
                }

                float v = (float)acc * (sca * RowScale[o]);
                for (int k = 0; k < In; k++)
                {
                    if (outlier[k])
                    {
                        v = v + (x[xo + k] * ((float)Weight[(o * In) + k] * RowDequant[o]));
                    }
                }

                y[yo + o] = Act.Apply(hasBias ? v + Bias[o] : v);
            }
        }
    }

    /// <summary>
    /// The scratch holds the outlier flag of each column (bytes 0..In−1, set once per call over every row)
    /// and the current row's int8 activations (bytes In..2·In−1).
    /// </summary>
    public override void Emit(Node node, EmitContext ctx)
    {
        var d = ctx.D;
        var w = ctx.W;
        string f = d.F32, i32 = d.I32;
        string x = node.Inputs[0];
        int rows = Rows(node, ctx.Graph);
        string sc = ctx.Scratch(node);
        string th = d.Lit(Threshold);
        string tw = ctx.Table(ctx.TableName(node, "w"), DType.Int8, Weight, v => Fmt.Int(v), $"CB[{Out}][{In}] int8, each row scaled to its max |W| (SCB)");
        string ts = ctx.Table(ctx.TableName(node, "rowscale"), DType.Float32, RowScale, d.Lit, $"[{Out}] SCB / 127^2 per row: scales the int8 product");
        string td = ctx.Table(ctx.TableName(node, "rowdequant"), DType.Float32, RowDequant, d.Lit, $"[{Out}] SCB / 127 per row: dequantises weights for the outlier columns");
        string? tb = HasBias ? ctx.Table(ctx.TableName(node, "b"), DType.Float32, Bias, d.Lit, $"bias[{Out}] float") : null;
        string ca = $"{sc}[{In} + k]";
        w.Open($"for (int k = 0; k < {In}; k++)");
        w.Line($"{sc}[k] = 0;");
        w.Close();
        w.Open($"for (int r = 0; r < {rows}; r++)");
        w.Open($"for (int k = 0; k < {In}; k++)");
        string xe = ctx.At(x, rows == 1 ? "k" : $"r * {In} + k");
        w.Line($"{f} a = {xe} < 0.0f ? -{xe} : {xe};");
        w.Line($"if (!(a < {th})) {{ {sc}[k] = 1; }}");
        w.Close();
        w.Close();
        ctx.RowLoop(rows, x, In, node.Output, Out, () =>
        {
            string xk = ctx.At(x, "k");
            w.Line($"{f} sca = 0.0f;");
            w.Line($"{f} inv;");
            w.Open($"for (int k = 0; k < {In}; k++)");
            w.Line($"{f} a = {xk} < 0.0f ? -{xk} : {xk};");
            w.Line($"if ({sc}[k] == 0 && a > sca) {{ sca = a; }}");
            w.Close();
            w.Line("inv = sca > 0.0f ? 127.0f / sca : 0.0f;");
            w.Open($"for (int k = 0; k < {In}; k++)");
            w.Line($"{ca} = {sc}[k] == 0 ? ({d.I8})((({xk} * inv) + {d.Lit(DynamicMath.RoundFloat)}) - {d.Lit(DynamicMath.RoundFloat)}) : ({d.I8})0; {DynamicMath.RoundFloatComment}");
            w.Close();
            w.Open($"for (int o = 0; o < {Out}; o++)");
            w.Line($"{i32} acc = 0;");
            w.Line($"{f} v;");
            w.Open($"for (int k = 0; k < {In}; k++)");
            w.Line($"acc += {tw}[o * {In} + k] * {ca};");
            w.Close();
            w.Line($"v = ({f})acc * (sca * {ts}[o]);");
            w.Open($"for (int k = 0; k < {In}; k++)");
            w.Line($"if ({sc}[k] != 0) {{ v = v + ({xk} * (({f}){tw}[o * {In} + k] * {td}[o])); }}");
            w.Close();
            if (tb is not null)
            {
                w.Line($"v = v + {tb}[o];");
            }

            w.Line($"{ctx.At(node.Output, "o")} = {ActivationOp.Expr(Act, "v", ctx)};");
            w.Close();
        });
    }

    public override SoftFloatUse SoftFloat(Node node) => SoftFloatUse.Conversions | SoftFloatUse.Subtract | SoftFloatUse.Divide;

    public override string Describe(Node node)
    {
        return $"W=i8[{Out},{In}] per-row nonzero={NonZeroWeights} threshold={Fmt.Float(Threshold)} act={Act.Name()}";
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs)
    {
        long macs = Macs(node, graph);
        return new NodeCost(macs, (long)Out * In, Out * (HasBias ? 12L : 8L), costs.LoopedLlmInt8LayerCodeBytes);
    }
}
