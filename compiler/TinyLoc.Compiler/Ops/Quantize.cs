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
    /// <summary>Row by row: each output row reads the same row of its inputs only.</summary>
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.PerRow;

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

    /// <summary>Most entries of the integer input table (<see cref="IntegerTable"/>): beyond it the float path alone.</summary>
    public const int MaxIntegerTable = 1024;

    /// <summary>1.5 · 2^23: adding it to a float of magnitude below 2^22 leaves round(v) in the low bits of the sum.</summary>
    private const float Magic = 12582912.0f;

    /// <summary>
    /// The integer inputs the emitted code quantises by table lookup, <c>[First, First + Values.Length)</c> (raw RSSI is
    /// whole dBm): <c>Values[k − First]</c> is exactly what the float path gives for <c>k</c>, computed by it
    /// (<see cref="Evaluate"/>'s arithmetic). The range covers the normalisation's [min, max] and the missing code; other
    /// inputs (fractions, values beyond it, NaN, infinities) take the float path. Null without a normalisation (the input
    /// is not raw RSSI), or when the range would exceed <see cref="MaxIntegerTable"/> entries.
    /// </summary>
    public (int First, sbyte[] Values)? IntegerTable()
    {
        if (Normalize is not { } n || !IsWhole(n.Min) || !IsWhole(n.Max) || n.Missing is float m && !IsWhole(m))
        {
            return null;
        }

        double lo = System.Math.Min(n.Min, n.Missing ?? n.Min), hi = System.Math.Max(n.Max, n.Missing ?? n.Max);
        if (hi - lo + 1 > MaxIntegerTable)
        {
            return null;
        }

        int first = (int)lo;
        var values = new sbyte[(int)hi - first + 1];
        for (int k = 0; k < values.Length; k++)
        {
            values[k] = QuantMath.QuantizeInput(n.Apply(first + k), InvScale, ZeroPoint);
        }

        return (first, values);
    }

    /// <summary>A whole number of magnitude below 2^20 (so the emitted magic-number test is exact around it).</summary>
    private static bool IsWhole(float v) => v > -1048576.0f && v < 1048576.0f && v == (float)System.Math.Floor(v);

    public override void Emit(Node node, EmitContext ctx)
    {
        var w = ctx.W;
        var d = ctx.D;
        int n = ctx.Graph[node.Output].Elements;
        string q = ctx.Use(IsBounded() ? Helper.QuantizeUnit : Helper.QuantizeInput);
        var table = IntegerTable();
        w.Open($"for (int i = 0; i < {n}; i++)");
        w.Line($"float v = {ctx.At(node.Inputs[0], "i")};");
        if (table is var (first, values))
        {
            string t = ctx.Table(ctx.TableName(node, "q"), DType.Int8, values, v => Fmt.Int(v), $"[{values.Length}] int8 of the whole inputs {first} .. {first + values.Length - 1}, as the float path quantises them");
            if (d.IsC)
            {
                // v + 1.5·2^23 holds round(v) in its low bits; subtracting it back gives v only for a whole v, and the
                // bits then index the table exactly when v is in its range. NaN fails the comparison.
                w.Line("union { float f; uint32_t u; } m;");
                w.Line($"m.f = v + {d.Lit(Magic)};");
                w.Line($"uint32_t k = m.u - {Fmt.Int(BitConverter(Magic) + first)}u;");
                w.Open($"if (m.f - {d.Lit(Magic)} == v && k < {values.Length}u)");
                w.Line($"{ctx.At(node.Output, "i")} = {t}[k];");
                w.Line("continue;");
                w.Close();
            }
            else
            {
                // The same test without bit access (nanoFramework has none): the range first, then wholeness.
                w.Open($"if (v >= {d.Lit((float)first)} && v <= {d.Lit((float)(first + values.Length - 1))})");
                w.Line("int k = (int)v;");
                w.Open("if (k == v)");
                w.Line($"{ctx.At(node.Output, "i")} = {t}[k - {d.Lit(first)}];");
                w.Line("continue;");
                w.Close();
                w.Close();
            }
        }

        Normalize?.Emit(w, d, "v");
        w.Line($"{ctx.At(node.Output, "i")} = {q}(v, {d.Lit(InvScale)}, {d.Lit(ZeroPoint)});");
        w.Close();
    }

    /// <summary>The bits of a float, as the C reads them with memcpy.</summary>
    private static int BitConverter(float v) => System.BitConverter.ToInt32(System.BitConverter.GetBytes(v), 0);

    public override NodeCost Cost(Node node, Graph graph, CostModel costs) =>
        IntegerTable() is var (_, values) ? new NodeCost(0, 0, values.Length, costs.ElementwiseCodeBytes + costs.InputTableCodeBytes) : base.Cost(node, graph, costs);

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
