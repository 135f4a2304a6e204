using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Ops;

/// <summary>Min-max normalisation of raw RSSI: missing → min, clamp to [min, max], then (v − min) · invRange.</summary>
public sealed record NormalizeParams(float Min, float Max, float? Missing, float InvRange)
{
    public static NormalizeParams Create(float min, float max, float? missing) => new(min, max, missing, 1.0f / (max - min));

    /// <summary>The scalar function, exactly as emitted.</summary>
    public float Apply(float x)
    {
        float v = x;
        if (Missing is float m && v == m)
        {
            v = Min;
        }

        if (!(v >= Min))
        {
            v = Min;
        }

        if (v > Max)
        {
            v = Max;
        }

        return (v - Min) * InvRange;
    }

    /// <summary>Statements that normalise the float variable <paramref name="v"/> in place.</summary>
    public void Emit(CodeWriter w, Dialect d, string v)
    {
        if (Missing is float m)
        {
            w.Line($"if ({v} == {d.Lit(m)}) {{ {v} = {d.Lit(Min)}; }}");
        }

        w.Line($"if (!({v} >= {d.Lit(Min)})) {{ {v} = {d.Lit(Min)}; }}");
        w.Line($"if ({v} > {d.Lit(Max)}) {{ {v} = {d.Lit(Max)}; }}");
        w.Line($"{v} = ({d.Minus(v, Min)}) * {d.Lit(InvRange)};");
    }

    public override string ToString() =>
        $"min={Fmt.Float(Min)} max={Fmt.Float(Max)} missing={(Missing is float m ? Fmt.Float(m) : "none")} inv={Fmt.Float(InvRange)}";
}

/// <summary>The <c>normalize</c> op (float → float).</summary>
public sealed record Normalize(NormalizeParams Map) : Op
{
    /// <summary>Row by row: each output row reads the same row of its inputs only.</summary>
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.PerRow;

    /// <summary>In place: each output element is computed from the same element of the input alone.</summary>
    public override Aliasing? Aliasing(Node node, Graph graph) => Ops.Aliasing.InPlace();

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph) => (DType.Float32, OpChecks.Single(node, graph, DType.Float32).Shape);

    public override void Evaluate(Node node, Evaluator ev)
    {
        var p = Map;
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = p.Apply(x[i]);
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var w = ctx.W;
        int n = ctx.Graph[node.Output].Elements;
        w.Open($"for (int i = 0; i < {n}; i++)");
        w.Line($"float v = {ctx.At(node.Inputs[0], "i")};");
        Map.Emit(w, ctx.D, "v");
        w.Line($"{ctx.At(node.Output, "i")} = v;");
        w.Close();
    }

    public override string Describe(Node node) => Map.ToString();
}
