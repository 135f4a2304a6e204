using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Numerics;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <c>layernorm</c> op over the last dimension (nn.LayerNorm: biased variance, eps inside the root):
/// per row <c>mean = (Σ x) / F</c>, <c>var = (Σ (x − mean)²) / F</c>, sums in order from 0,
/// <c>r = Rsqrt(var + eps)</c>, <c>y = ((x − mean) · r) · w + b</c> (no bias: no add).
/// </summary>
public sealed record LayerNorm(NormParams Norm) : Op
{
    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph) => Norm.Check(node, graph, hasBias: true);

    public override void Evaluate(Node node, Evaluator ev)
    {
        var p = Norm;
        int rows = ev.Graph[node.Output].Elements / p.Features;
        int f = p.Features;
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        for (int t = 0; t < rows; t++)
        {
            float s = 0.0f;
            for (int i = 0; i < f; i++)
            {
                s = s + x[(t * f) + i];
            }

            float mean = s / f;
            float q = 0.0f;
            for (int i = 0; i < f; i++)
            {
                float d = x[(t * f) + i] - mean;
                q = q + (d * d);
            }

            float var = q / f;
            float r = TlMath.Rsqrt(var + p.Eps);
            for (int i = 0; i < f; i++)
            {
                float d = x[(t * f) + i] - mean;
                float n = (d * r) * p.Weight[i];
                y[(t * f) + i] = p.Bias is null ? n : n + p.Bias[i];
            }
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var p = Norm;
        int rows = ctx.Graph[node.Output].Elements / p.Features;
        int f = p.Features;
        var w = ctx.W;
        string fl = ctx.D.Lit((float)f);
        string g = ctx.Table(Linear.TableName(node, "g"), DType.Float32, p.Weight, ctx.D.Lit);
        string? b = p.Bias is null ? null : ctx.Table(Linear.TableName(node, "b"), DType.Float32, p.Bias, ctx.D.Lit);
        string X(string i) => ctx.At(node.Inputs[0], $"t * {f} + {i}");
        w.Open($"for (int t = 0; t < {rows}; t++)");
        w.Line("float s = 0.0f;");
        w.Line("float q = 0.0f;");
        w.Line("float mean;");
        w.Line("float r;");
        w.Open($"for (int i = 0; i < {f}; i++)");
        w.Line($"s += {X("i")};");
        w.Close();
        w.Line($"mean = s / {fl};");
        w.Open($"for (int i = 0; i < {f}; i++)");
        w.Line($"float d = {X("i")} - mean;");
        w.Line("q += d * d;");
        w.Close();
        w.Line($"r = {ctx.Use(Helper.Rsqrt)}(q / {fl} + {ctx.D.Lit(p.Eps)});");
        w.Open($"for (int i = 0; i < {f}; i++)");
        w.Line($"float d = {X("i")} - mean;");
        w.Line($"{ctx.At(node.Output, $"t * {f} + i")} = (d * r) * {g}[i]{(b is null ? string.Empty : $" + {b}[i]")};");
        w.Close();
        w.Close();
    }

    public override SoftFloatUse SoftFloat(Node node) => SoftFloatUse.FloatKernel;

    public override string Describe(Node node)
    {
        var p = Norm;
        return $"features={p.Features} eps={Fmt.Float(p.Eps)} bias={(p.Bias is null ? "none" : "yes")}";
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs)
    {
        var p = Norm;
        return new NodeCost(graph[node.Output].Elements * 3L, (p.Weight.Length + (p.Bias?.Length ?? 0)) * 4L, 0, costs.LayerNormCodeBytes);
    }
}
