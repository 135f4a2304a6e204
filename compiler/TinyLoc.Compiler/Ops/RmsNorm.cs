using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Numerics;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <c>rmsnorm</c> op over the last dimension (as Mamba's RMSNorm: <c>x · rsqrt(mean(x²) + eps) · g</c>):
/// per row <c>ss = Σ x·x</c> in order from 0, <c>r = Rsqrt(ss / F + eps)</c>, <c>y = (x · r) · g</c>.
/// </summary>
public sealed record RmsNorm(NormParams Norm) : Op
{
    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph) => Norm.Check(node, graph, hasBias: false);

    public override void Evaluate(Node node, Evaluator ev)
    {
        var p = Norm;
        int rows = ev.Graph[node.Output].Elements / p.Features;
        int f = p.Features;
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        for (int t = 0; t < rows; t++)
        {
            float ss = 0.0f;
            for (int i = 0; i < f; i++)
            {
                float v = x[(t * f) + i];
                ss = ss + (v * v);
            }

            float ms = ss / f;
            float r = TlMath.Rsqrt(ms + p.Eps);
            for (int i = 0; i < f; i++)
            {
                float n = x[(t * f) + i] * r;
                y[(t * f) + i] = n * p.Weight[i];
            }
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var p = Norm;
        int rows = ctx.Graph[node.Output].Elements / p.Features;
        int f = p.Features;
        var w = ctx.W;
        string g = ctx.Table(Linear.TableName(node, "g"), DType.Float32, p.Weight, ctx.D.Lit);
        w.Open($"for (int t = 0; t < {rows}; t++)");
        w.Line("float ss = 0.0f;");
        w.Line("float r;");
        w.Open($"for (int i = 0; i < {f}; i++)");
        w.Line($"float v = {ctx.At(node.Inputs[0], $"t * {f} + i")};");
        w.Line("ss += v * v;");
        w.Close();
        w.Line($"r = {ctx.Use(Helper.Rsqrt)}(ss / {ctx.D.Lit((float)f)} + {ctx.D.Lit(p.Eps)});");
        w.Open($"for (int i = 0; i < {f}; i++)");
        w.Line($"{ctx.At(node.Output, $"t * {f} + i")} = ({ctx.At(node.Inputs[0], $"t * {f} + i")} * r) * {g}[i];");
        w.Close();
        w.Close();
    }

    public override SoftFloatUse SoftFloat(Node node) => SoftFloatUse.FloatKernel;

    public override string Describe(Node node)
    {
        var p = Norm;
        return $"features={p.Features} eps={Fmt.Float(p.Eps)}";
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs)
    {
        var p = Norm;
        return new NodeCost(graph[node.Output].Elements * 2L, p.Weight.Length * 4L, 0, costs.RmsNormCodeBytes);
    }
}
