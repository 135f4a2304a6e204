using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <c>layernorm</c> op over the last dimension (nn.LayerNorm: biased variance, eps inside the root):
/// per row <c>mean = (Σ x) / F</c>, <c>var = (Σ (x − mean)²) / F</c>, sums in order from 0,
/// <c>r = Rsqrt(var + eps)</c>, <c>y = ((x − mean) · r) · w + b</c> (no bias: no add).
/// </summary>
public sealed record LayerNorm(NormParams Norm) : RowNorm(Norm)
{
    protected override bool TakesBias => true;

    protected override void Row(float[] x, float[] y, int at)
    {
        int f = Norm.Features;
        float s = 0.0f;
        for (int i = 0; i < f; i++)
        {
            s = s + x[at + i];
        }

        float mean = s / f;
        float q = 0.0f;
        for (int i = 0; i < f; i++)
        {
            float d = x[at + i] - mean;
            q = q + (d * d);
        }

        float var = q / f;
        float r = TlMath.Rsqrt(var + Norm.Eps);
        for (int i = 0; i < f; i++)
        {
            float d = x[at + i] - mean;
            float n = (d * r) * Norm.Weight[i];
            y[at + i] = Norm.Bias is null ? n : n + Norm.Bias[i];
        }
    }

    protected override void EmitRow(Node node, EmitContext ctx, System.Func<string, string> x, System.Func<string, string> y, string weight)
    {
        var w = ctx.W;
        int f = Norm.Features;
        string fl = ctx.D.Lit((float)f);
        string? b = Norm.Bias is null ? null : ctx.Table(ctx.TableName(node, "b"), DType.Float32, Norm.Bias, ctx.D.Lit, $"bias[{f}] float");
        w.Line("float s = 0.0f, q = 0.0f;");
        w.Open($"for (int i = 0; i < {f}; i++)");
        w.Line($"s += {x("i")};");
        w.Close();
        w.Line($"float mean = s / {fl};");
        w.Open($"for (int i = 0; i < {f}; i++)");
        w.Line($"float d = {x("i")} - mean;");
        w.Line("q += d * d;");
        w.Close();
        w.Line($"float r = {ctx.Use(Helper.Rsqrt)}(q / {fl} + {ctx.D.Lit(Norm.Eps)});");
        w.Open($"for (int i = 0; i < {f}; i++)");
        w.Line($"float d = {x("i")} - mean;");
        w.Line($"{y("i")} = (d * r) * {weight}[i]{(b is null ? string.Empty : $" + {b}[i]")};");
        w.Close();
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs) =>
        new(graph[node.Output].Elements * 3L, (Norm.Weight.Length + (Norm.Bias?.Length ?? 0)) * 4L, 0, costs.LayerNormCodeBytes);
}
