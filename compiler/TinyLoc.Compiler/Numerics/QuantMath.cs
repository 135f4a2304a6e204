using System;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Numerics;

/// <summary>
/// The integer semantics of the <c>static</c> scheme (docs: quantization.md §1), in one place. All
/// compile-time constants are computed here in double from float32 scales; run time uses only
/// <see cref="Requantize"/> and <see cref="QuantizeInput"/>, which the emitted code mirrors exactly.
/// Rounding: compile-time constants round half away from zero; requantisation rounds half up
/// (single rounding: add 2^(rs−1), arithmetic shift right by rs).
/// </summary>
public static class QuantMath
{
    public const int QMin = -128;
    public const int QMax = 127;
    public const int WeightMax = 127;

    /// <summary>Activation quantisation from a calibrated range, widened to include 0.</summary>
    public static QuantParams FromRange(float min, float max, out bool degenerate)
    {
        double lo = Math.Min(min, 0.0), hi = Math.Max(max, 0.0);
        degenerate = hi - lo < 1e-30;
        float scale = degenerate ? 1.0f : (float)((hi - lo) / 255.0);
        int zp = Clamp(RoundAway(QMin - (lo / scale)), QMin, QMax);
        return new QuantParams(scale, zp);
    }

    /// <summary>Symmetric per-output-channel weight scale: max|W_c| / 127 (1 for an all-zero row).</summary>
    public static float WeightScale(float[] w, int row, int cols)
    {
        double m = 0;
        for (int k = 0; k < cols; k++)
        {
            m = Math.Max(m, Math.Abs((double)w[(row * cols) + k]));
        }

        return m == 0 ? 1.0f : (float)(m / WeightMax);
    }

    public static sbyte QuantizeWeight(float w, float scale) => (sbyte)Clamp(RoundAway(w / (double)scale), -WeightMax, WeightMax);

    public static long QuantizeBias(float b, float inScale, float wScale) => RoundAway(b / ((double)inScale * wScale));

    /// <summary>
    /// Splits a positive real multiplier into a Q31 mantissa m0 ∈ [2^30, 2^31) and a total right shift
    /// rs ∈ [1, 62] with multiplier ≈ m0 · 2^−rs. Returns false if the multiplier is too large (≥ 2^30).
    /// </summary>
    public static bool QuantizeMultiplier(double multiplier, out int m0, out int rs)
    {
        m0 = 0;
        rs = 0;
        if (!(multiplier > 0) || double.IsInfinity(multiplier))
        {
            return false;
        }

        int e = 0;
        double q = multiplier;
        while (q >= 1.0)
        {
            q /= 2;
            e++;
        }

        while (q < 0.5)
        {
            q *= 2;
            e--;
        }

        long mant = RoundAway(q * 2147483648.0);
        if (mant == 2147483648L)
        {
            mant /= 2;
            e++;
        }

        int shift = 31 - e;
        if (shift < 1)
        {
            return false;
        }

        while (shift > 62)
        {
            mant = (mant + 1) >> 1;
            shift--;
        }

        m0 = (int)mant;
        rs = shift;
        return true;
    }

    /// <summary>Run-time requantisation of an int32 accumulator to int8 (mirrored by the emitted helper).</summary>
    public static sbyte Requantize(int acc, int m0, int rs, int zp, int lo, int hi)
    {
        long p = ((long)acc * m0) + (1L << (rs - 1));
        long r = (p >> rs) + zp;
        if (r < lo)
        {
            r = lo;
        }

        if (r > hi)
        {
            r = hi;
        }

        return (sbyte)r;
    }

    /// <summary>
    /// <see cref="Requantize"/> computed the way the emitted code computes it, equal for every input. For
    /// rs &gt; 32 only the high word h = ⌊acc·m0 / 2^32⌋ is needed: adding 2^(rs−1) to the product adds
    /// 2^(rs−33) to h and leaves the low word alone, and ⌊⌊p / 2^32⌋ / 2^(rs−32)⌋ = ⌊p / 2^rs⌋, so
    /// r = (h + 2^(rs−33)) &gt;&gt; (rs − 32), in 32 bits (|h| ≤ 2^30). On Cortex-M that is one SMULL and no
    /// 64-bit shift; smaller shifts take the 64-bit path of <see cref="Requantize"/>.
    /// </summary>
    public static sbyte RequantizeHighWord(int acc, int m0, int rs, int zp, int lo, int hi)
    {
        int r;
        if (rs > 32)
        {
            int h = (int)(((long)acc * m0) >> 32);
            r = ((h + (1 << (rs - 33))) >> (rs - 32)) + zp;
        }
        else
        {
            long p = ((((long)acc * m0) + (1L << (rs - 1))) >> rs) + zp;
            r = p < lo ? lo : p > hi ? hi : (int)p;
        }

        if (r < lo)
        {
            r = lo;
        }

        if (r > hi)
        {
            r = hi;
        }

        return (sbyte)r;
    }

    /// <summary>float → int8 at run time: round half away from zero of v·invScale, add zp, saturate.</summary>
    public static sbyte QuantizeInput(float v, float invScale, int zp)
    {
        float t = v * invScale;
        if (!(t > -1000.0f))
        {
            t = -1000.0f;
        }

        if (t > 1000.0f)
        {
            t = 1000.0f;
        }

        int r = t >= 0.0f ? (int)(t + 0.5f) : -(int)(0.5f - t);
        r = r + zp;
        if (r < QMin)
        {
            r = QMin;
        }

        if (r > QMax)
        {
            r = QMax;
        }

        return (sbyte)r;
    }

    public static long RoundAway(double v) => (long)Math.Round(v, MidpointRounding.AwayFromZero);

    public static int Clamp(long v, int lo, int hi) => (int)Math.Max(lo, Math.Min(hi, v));
}
