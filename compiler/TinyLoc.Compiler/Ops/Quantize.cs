using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Quantization;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Ops;

/// <summary>float → int8 at the graph input, with the normalisation fused in (null when the model takes normalised input).</summary>
public sealed record QuantizeParams(NormalizeParams? Normalize, float InvScale, int ZeroPoint);

/// <summary>The <c>quantize</c> op: optional normalisation, then <see cref="QuantMath.QuantizeInput"/>.</summary>
public sealed class Quantize : Op
{
    public static readonly Quantize Instance = new();

    public override string Name => "quantize";

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph) => (DType.Int8, OpChecks.Single(node, graph, DType.Float32).Shape);

    public override void Evaluate(Node node, Evaluator ev)
    {
        var p = node.P<QuantizeParams>();
        float[] x = ev.F32(node.Inputs[0]);
        sbyte[] y = ev.I8(node.Output);
        for (int i = 0; i < x.Length; i++)
        {
            float v = p.Normalize is null ? x[i] : p.Normalize.Apply(x[i]);
            y[i] = QuantMath.QuantizeInput(v, p.InvScale, p.ZeroPoint);
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var p = node.P<QuantizeParams>();
        var w = ctx.W;
        int n = ctx.Graph[node.Output].Elements;
        string q = ctx.Use(Helper.QuantizeInput);
        w.Open($"for (int i = 0; i < {n}; i++)");
        w.Line($"float v = {ctx.At(node.Inputs[0], "i")};");
        p.Normalize?.Emit(w, ctx.D, "v");
        w.Line($"{ctx.At(node.Output, "i")} = {q}(v, {ctx.D.Lit(p.InvScale)}, {ctx.D.Lit(p.ZeroPoint)});");
        w.Close();
    }

    public override string Describe(Node node)
    {
        var p = node.P<QuantizeParams>();
        return (p.Normalize is null ? string.Empty : p.Normalize + " ") + $"inv_scale={Fmt.Float(p.InvScale)}";
    }
}
