namespace TinyLoc.Compiler.Quantization;

/// <summary>
/// The integer semantics of the <c>dynamic</c> scheme: PyTorch's <c>quantize_dynamic</c> (qint8 weights,
/// per-call uint8 activations), reproduced exactly. Checked against torch 1.13 on the qnnpack engine:
/// scale, zero point and quantised values equal <c>torch._choose_qparams_per_tensor</c> and
/// <c>torch.quantize_per_tensor</c> on 30,000 random tensors (tests/testdata golden traces hold the
/// per-layer accumulators). Two details differ from a first reading of quantization.md §2, both
/// measured: the zero point is added after rounding (<c>rint(x·(1/s)) + zp</c>), and below the 6.1e-5
/// scale floor the range is stretched by the floor's ratio before the zero point is chosen.
/// The emitted code repeats these statements in the same order.
/// </summary>
public static class DynamicMath
{
    public const float SmallScale = 6.1e-5f;

    /// <summary>Adding then subtracting 1.5·2^23 rounds a float to the nearest integer, ties to even (|t| ≤ 2^22).</summary>
    public const float RoundFloat = 12582912.0f;

    /// <summary>The same for double with 1.5·2^52 (|t| ≤ 2^51).</summary>
    public const double RoundDouble = 6755399441055744.0;

    /// <summary>Weight scale, once: max(|min(W,0)|, max(W,0)) / 127.5 in float32 (1 for an all-zero matrix: PyTorch's eps floor never binds for real weights).</summary>
    public static float WeightScale(float[] w)
    {
        float lo = 0, hi = 0;
        foreach (float v in w)
        {
            if (v < lo)
            {
                lo = v;
            }

            if (v > hi)
            {
                hi = v;
            }
        }

        float amax = -lo > hi ? -lo : hi;
        return amax == 0 ? 1.0f : amax / 127.5f;
    }

    /// <summary>W_q = clamp(rint(w · (1/s)), −128, 127).</summary>
    public static sbyte QuantizeWeight(float w, float inv)
    {
        float t = RoundNearestEven(w * inv);
        return (sbyte)(t < -128 ? -128 : t > 127 ? 127 : t);
    }

    /// <summary>PyTorch's ChooseQuantizationParams for qmin 0, qmax <paramref name="qmax"/> over x[offset..offset+n).</summary>
    public static void ChooseParams(float[] x, int offset, int n, int qmax, out float scale, out int zeroPoint)
    {
        float mn = 0.0f, mx = 0.0f;
        for (int k = 0; k < n; k++)
        {
            float v = x[offset + k];
            if (v < mn)
            {
                mn = v;
            }

            if (v > mx)
            {
                mx = v;
            }
        }

        double s = ((double)mx - (double)mn) / qmax;
        float fs = (float)s;
        if (fs == 0.0f || !(1.0f / fs <= float.MaxValue))
        {
            s = 0.1;
        }

        if (s < SmallScale)
        {
            float org = (float)s;
            s = SmallScale;
            if (mn == 0.0f)
            {
                mx = SmallScale * (float)qmax;
            }
            else if (mx == 0.0f)
            {
                mn = -(SmallScale * (float)qmax);
            }
            else
            {
                float amp = SmallScale / org;
                mn = mn * amp;
                mx = mx * amp;
            }
        }

        double zmin = 0.0 - (mn / s);
        double zmax = qmax - (mx / s);
        double emin = 0.0 - Abs(mn / s);
        double emax = qmax - Abs(mx / s);
        double z = emin < emax ? zmin : zmax;
        zeroPoint = z < 0.0 ? 0 : z > qmax ? qmax : (int)((z + RoundDouble) - RoundDouble);
        scale = (float)s;
    }

    /// <summary>x_q − 128 as int8: q = clamp(rint(x·inv) + zp, 0, qmax), stored shifted into the int8 range.</summary>
    public static sbyte QuantizeShifted(float x, float inv, int zeroPoint, int qmax)
    {
        float t = x * inv;
        if (!(t > -1000000.0f))
        {
            t = -1000000.0f;
        }

        if (t > 1000000.0f)
        {
            t = 1000000.0f;
        }

        t = (t + RoundFloat) - RoundFloat;
        int q = (int)t + zeroPoint;
        if (q < 0)
        {
            q = 0;
        }

        if (q > qmax)
        {
            q = qmax;
        }

        return (sbyte)(q - 128);
    }

    public static float RoundNearestEven(float t) => (t + RoundFloat) - RoundFloat;

    private static double Abs(double v) => v < 0.0 ? -v : v;
}
