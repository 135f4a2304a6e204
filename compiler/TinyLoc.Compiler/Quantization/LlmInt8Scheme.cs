using System;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Quantization;

/// <summary>
/// <c>llm-int8</c>: LLM.int8()-style vector-wise quantisation with outliers (quantization.md §3;
/// Dettmers et al. 2022, bitsandbytes Linear8bitLt, threshold 6.0). Weights: per output row
/// <c>SCB = max|W_row|</c>, <c>CB = rint(W·127/SCB)</c>. Each call: input columns with |x| ≥ 6 are
/// outliers, taken out of the int8 product and multiplied in float32 with the dequantised weights (the
/// reference keeps that path in fp16; on an MCU float32); the rest is quantised with
/// <c>SCA = max|x'|</c>. Outputs, bias and activations stay float32. No calibration is needed.
/// </summary>
public sealed class LlmInt8Scheme : PerLayerScheme
{
    /// <summary>The outlier threshold (<see cref="LLinear.Threshold"/>).</summary>
    public const float Threshold = LLinear.Threshold;

    public override string Name => "llm-int8";

    public override string Summary => "int8 weights per row, int8 inputs per call with float32 outlier columns at |x| >= 6 (LLM.int8)";

    protected override Op QuantizeLayer(Linear layer) => Quantize(layer);

    public static LLinear Quantize(Linear p)
    {
        var w = new sbyte[p.Weight.Length];
        var scb = new float[p.Out];
        var rowScale = new float[p.Out];
        var dequant = new float[p.Out];
        for (int o = 0; o < p.Out; o++)
        {
            float m = 0;
            for (int k = 0; k < p.In; k++)
            {
                m = Math.Max(m, Math.Abs(p.Weight[(o * p.In) + k]));
            }

            scb[o] = m;
            float inv = m == 0 ? 0.0f : 127.0f / m;
            for (int k = 0; k < p.In; k++)
            {
                w[(o * p.In) + k] = (sbyte)DynamicMath.RoundNearestEven(p.Weight[(o * p.In) + k] * inv);
            }

            rowScale[o] = m / 16129.0f;
            dequant[o] = m / 127.0f;
        }

        return new LLinear(p.Out, p.In, w, rowScale, dequant, p.Bias, p.Act);
    }
}
