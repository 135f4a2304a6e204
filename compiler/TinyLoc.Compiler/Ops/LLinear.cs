using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Quantization;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// LLM.int8-style linear constants: int8 weights per row (<c>CB</c>), <c>SCB/127²</c> per row for the
/// int8 product, <c>SCB/127</c> per row to dequantise weights for the outlier columns, float bias, fused
/// float activation.
/// </summary>
public sealed record LLinearParams(int Out, int In, sbyte[] Weight, float[] RowScale, float[] RowDequant, float[] Bias, Activation Act)
{
    public int NonZeroWeights => Weight.Count(w => w != 0);
}

/// <summary>
/// The <c>llinear</c> op (float → float). Per call: <c>SCA = max |x[k]|</c> over columns with |x| &lt; 6;
/// <c>CA[k] = rint(x[k]·(127/SCA))</c> for those, 0 for outliers (in the scratch buffer); then per row
/// <c>acc = Σ CB·CA</c> (int32), <c>y = acc·(SCA·RowScale[o])</c>, plus, in column order, each outlier
/// column's <c>x[k]·(CB[o,k]·RowDequant[o])</c>, plus the bias; then the activation. All float32, in
/// this order, in every engine.
/// </summary>
public sealed class LLinear : Op
{
    public static readonly LLinear Instance = new();

    public override string Name => "llinear";

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph) =>
        OpChecks.Dense(node, graph, DType.Float32, node.P<LLinearParams>().In, node.P<LLinearParams>().Out);

    public override int ScratchBytes(Node node) => node.P<LLinearParams>().In;

    public override void Evaluate(Node node, Evaluator ev)
    {
        var p = node.P<LLinearParams>();
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        float sca = 0.0f;
        for (int k = 0; k < p.In; k++)
        {
            float a = x[k] < 0.0f ? -x[k] : x[k];
            if (a < LlmInt8Scheme.Threshold && a > sca)
            {
                sca = a;
            }
        }

        float inv = sca > 0.0f ? 127.0f / sca : 0.0f;
        var ca = new sbyte[p.In];
        for (int k = 0; k < p.In; k++)
        {
            float a = x[k] < 0.0f ? -x[k] : x[k];
            ca[k] = a < LlmInt8Scheme.Threshold ? (sbyte)DynamicMath.RoundNearestEven(x[k] * inv) : (sbyte)0;
        }

        for (int o = 0; o < p.Out; o++)
        {
            int acc = 0;
            for (int k = 0; k < p.In; k++)
            {
                acc += p.Weight[(o * p.In) + k] * ca[k];
            }

            float v = (float)acc * (sca * p.RowScale[o]);
            for (int k = 0; k < p.In; k++)
            {
                float a = x[k] < 0.0f ? -x[k] : x[k];
                if (!(a < LlmInt8Scheme.Threshold))
                {
                    v = v + (x[k] * ((float)p.Weight[(o * p.In) + k] * p.RowDequant[o]));
                }
            }

            y[o] = p.Act.Apply(v + p.Bias[o]);
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var p = node.P<LLinearParams>();
        var d = ctx.D;
        var w = ctx.W;
        string f = d.F32, i32 = d.I32;
        string x = node.Inputs[0];
        string ca = ctx.Scratch(p.In);
        string th = d.Lit(LlmInt8Scheme.Threshold);
        string tw = ctx.Table(Linear.TableName(node, "w"), DType.Int8, p.Weight.Select(v => Fmt.Int(v)).ToList());
        string ts = ctx.Table(Linear.TableName(node, "rowscale"), DType.Float32, p.RowScale.Select(d.Lit).ToList());
        string td = ctx.Table(Linear.TableName(node, "rowdequant"), DType.Float32, p.RowDequant.Select(d.Lit).ToList());
        string tb = ctx.Table(Linear.TableName(node, "b"), DType.Float32, p.Bias.Select(d.Lit).ToList());
        w.Line($"{f} sca = 0.0f;");
        w.Line($"{f} inv;");
        w.Open($"for (int k = 0; k < {p.In}; k++)");
        w.Line($"{f} a = {ctx.At(x, "k")} < 0.0f ? -{ctx.At(x, "k")} : {ctx.At(x, "k")};");
        w.Line($"if (a < {th} && a > sca) {{ sca = a; }}");
        w.Close();
        w.Line("inv = sca > 0.0f ? 127.0f / sca : 0.0f;");
        w.Open($"for (int k = 0; k < {p.In}; k++)");
        w.Line($"{f} a = {ctx.At(x, "k")} < 0.0f ? -{ctx.At(x, "k")} : {ctx.At(x, "k")};");
        w.Line($"{ca}[k] = a < {th} ? ({d.I8})((({ctx.At(x, "k")} * inv) + {d.Lit(DynamicMath.RoundFloat)}) - {d.Lit(DynamicMath.RoundFloat)}) : ({d.I8})0;");
        w.Close();
        w.Open($"for (int o = 0; o < {p.Out}; o++)");
        w.Line($"{i32} acc = 0;");
        w.Line($"{f} v;");
        w.Open($"for (int k = 0; k < {p.In}; k++)");
        w.Line($"acc += {tw}[o * {p.In} + k] * {ca}[k];");
        w.Close();
        w.Line($"v = ({f})acc * (sca * {ts}[o]);");
        w.Open($"for (int k = 0; k < {p.In}; k++)");
        w.Line($"{f} a = {ctx.At(x, "k")} < 0.0f ? -{ctx.At(x, "k")} : {ctx.At(x, "k")};");
        w.Line($"if (!(a < {th})) {{ v = v + ({ctx.At(x, "k")} * (({f}){tw}[o * {p.In} + k] * {td}[o])); }}");
        w.Close();
        w.Line($"v = v + {tb}[o];");
        w.Line($"{ctx.At(node.Output, "o")} = {ActivationOp.Expr(p.Act, "v", ctx)};");
        w.Close();
    }

    public override Activation AppliedActivation(Node node) => node.P<LLinearParams>().Act;

    public override string Describe(Node node)
    {
        var p = node.P<LLinearParams>();
        return $"W=i8[{p.Out},{p.In}] per-row nonzero={p.NonZeroWeights} threshold={Fmt.Float(LlmInt8Scheme.Threshold)} act={p.Act.Name()}";
    }

    public override NodeCost Cost(Node node, Graph graph)
    {
        var p = node.P<LLinearParams>();
        long macs = (long)p.Out * p.In;
        return new NodeCost(macs, macs, p.Out * 12L, (CostModel.ElementwiseCodeBytes * 3) + CostModel.LoopedLayerCodeBytes);
    }
}
