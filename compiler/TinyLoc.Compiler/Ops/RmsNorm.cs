using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <c>rmsnorm</c> op over the last dimension (as Mamba's RMSNorm: <c>x · rsqrt(mean(x²) + eps) · g</c>):
/// per row <c>ss = Σ x·x</c> in order from 0, <c>r = Rsqrt(ss / F + eps)</c>, <c>y = (x · r) · g</c>.
/// </summary>
public sealed record RmsNorm(NormParams Norm) : RowNorm(Norm)
{
    protected override bool TakesBias => false;

    protected override void Row(float[] x, float[] y, int at)
    {
        int f = Norm.Features;
        float ss = 0.0f;
        for (int i = 0; i < f; i++)
        {
            float v = x[at + i];
            ss = ss + (v * v);
        }

        float ms = ss / f;
        float r = TlMath.Rsqrt(ms + Norm.Eps);
        for (int i = 0; i < f; i++)
        {
            float n = x[at + i] * r;
            y[at + i] = n * Norm.Weight[i];
        }
    }

    protected override void EmitRow(Node node, EmitContext ctx, System.Func<string, string> x, System.Func<string, string> y, string weight)
    {
        var w = ctx.W;
        int f = Norm.Features;
        w.Line("float ss = 0.0f;");
        w.Open($"for (int i = 0; i < {f}; i++)");
        w.Line($"float v = {x("i")};");
        w.Line("ss += v * v;");
        w.Close();
        w.Line($"float r = {ctx.Use(Helper.Rsqrt)}(ss / {ctx.D.Lit((float)f)} + {ctx.D.Lit(Norm.Eps)});");
        w.Open($"for (int i = 0; i < {f}; i++)");
        w.Line($"{y("i")} = ({x("i")} * r) * {weight}[i];");
        w.Close();
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs) =>
        new(graph[node.Output].Elements * 2L, Norm.Weight.Length * 4L, 0, costs.RmsNormCodeBytes);
}
