using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Util;
using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Ops;

/// <summary>The <c>quantize</c> op: optional normalisation, then <see cref="QuantMath.QuantizeInput"/>.</summary>
/// <remarks>float → int8 at the graph input, with the normalisation fused in (null when the model takes normalised input).</remarks>
public sealed record Quantize(NormalizeParams? Normalize, float InvScale, int ZeroPoint) : Op
{
    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph) => (DType.Int8, OpChecks.Single(node, graph, DType.Float32).Shape);

    public override void Evaluate(Node node, Evaluator ev)
    {
        float[] x = ev.F32(node.Inputs[0]);
        sbyte[] y = ev.I8(node.Output);
        for (int i = 0; i < x.Length; i++)
        {
            float v = Normalize is null ? x[i] : Normalize.Apply(x[i]);
            y[i] = QuantMath.QuantizeInput(v, InvScale, ZeroPoint);
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var w = ctx.W;
        int n = ctx.Graph[node.Output].Elements;
        string q = ctx.Use(IsBounded() ? Helper.QuantizeUnit : Helper.QuantizeInput);
        w.Open($"for (int i = 0; i < {n}; i++)");
        w.Line($"float v = {ctx.At(node.Inputs[0], "i")};");
        Normalize?.Emit(w, ctx.D, "v");
        w.Line($"{ctx.At(node.Output, "i")} = {q}(v, {ctx.D.Lit(InvScale)}, {ctx.D.Lit(ZeroPoint)});");
        w.Close();
    }

    /// <summary>
    /// True when every input reaches <see cref="QuantMath.QuantizeInput"/> with <c>v · invScale</c> in
    /// [0, 1000], where its clamps and its negative branch do nothing, so the emitted code may skip them
    /// (<see cref="Helper.QuantizeUnit"/>, the same value). Normalisation clamps any input, NaN and
    /// infinities included, to [min, max]; float subtraction and multiplication by positive constants
    /// are monotonic, so <c>v · invScale</c> lies between its values at min (0) and at max, computed here
    /// with the same float operations.
    /// </summary>
    public bool IsBounded()
    {
        if (Normalize is not { } n || !(n.InvRange > 0.0f) || !(InvScale > 0.0f) || !(n.Max >= n.Min))
        {
            return false;
        }

        float top = n.Apply(n.Max) * InvScale;
        return n.Apply(n.Min) == 0.0f && top >= 0.0f && top <= 1000.0f;
    }

    public override SoftFloatUse SoftFloat(Node node) => SoftFloatUse.Conversions;

    public override string Describe(Node node)
    {
        return (Normalize is null ? string.Empty : Normalize + " ") + $"inv_scale={Fmt.Float(InvScale)}";
    }
}
