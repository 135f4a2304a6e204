namespace TinyLoc.Compiler.Numerics;

/// <summary>
/// The compiler's own float32 transcendental functions. The generated C and C# contain these same
/// operations in the same order (see <c>Emit/Helpers.cs</c>), and IEEE float32 arithmetic with
/// contraction off makes every engine agree to the bit. No libm, no System.Math.
/// exp: Cody–Waite range reduction by ln 2, a degree-6 Taylor polynomial on |r| ≤ ln2/2 (relative
/// error below 2e-7), and an exact power-of-two scaling by two table entries (<see cref="ExpScale"/>).
/// log1p, softplus, elu and rsqrt are documented where they are defined, with the accuracy measured
/// against double-precision references (TlMathTests pins those bounds).
/// </summary>
public static class TlMath
{
    public const float ExpHi = 88.0f;
    public const float ExpLo = -87.0f;
    public const float Log2E = 1.44269504f;
    public const float Ln2Hi = 0.693359375f;
    public const float Ln2Lo = -2.12194440e-4f;
    public const float P2 = 0.5f;
    public const float P3 = 0.16666667f;
    public const float P4 = 0.041666668f;
    public const float P5 = 0.008333334f;
    public const float P6 = 0.0013888889f;
    public const float TanhSmall = 0.25f;
    public const float TanhBig = 9.0f;
    public const float T3 = -0.33333334f;
    public const float T5 = 0.13333334f;
    public const float T7 = -0.053968254f;
    public const float T9 = 0.021869488f;

    /// <summary>log1p's polynomial in z = s² (2/3, 2/5, 2/7, 2/9: the series of log((1+s)/(1−s)) = 2s + s·R).</summary>
    public const float L1 = 0.6666667f;
    public const float L2 = 0.4f;
    public const float L3 = 0.2857143f;
    public const float L4 = 0.22222222f;
    public const float Sqrt2 = 1.4142135f;
    public const float Sqrt2Half = 0.70710677f;

    /// <summary>What log1p returns for x ≤ −1 and NaN (log of the smallest float is −103.3): finite, never NaN.</summary>
    public const float Log1pMin = -104.0f;

    /// <summary>Above this softplus returns its argument (PyTorch's threshold 20).</summary>
    public const float SoftplusThreshold = 20.0f;

    /// <summary>expm1's Taylor coefficients 1/2!, …, 1/11!, used by elu on (−1, 0].</summary>
    public static readonly float[] Expm1Coeffs =
    {
        0.5f, 0.16666667f, 0.041666668f, 0.008333334f, 0.0013888889f, 0.0001984127f,
        2.4801588e-05f, 2.7557319e-06f, 2.755732e-07f, 2.5052108e-08f,
    };

    /// <summary>rsqrt's starting cubic on [0.5, 2) (relative error 0.7 %, fitted minimax), before two Newton steps.</summary>
    public const float R3 = -0.21546346f;
    public const float R2 = 1.1010106f;
    public const float R1 = -2.0894165f;
    public const float R0 = 2.2006185f;

    /// <summary>rsqrt clamps its argument to [smallest normal float, largest float]: finite results for 0, negatives, NaN, ∞.</summary>
    public const float RsqrtMin = 1.1754944e-38f;
    public const float FloatMax = 3.4028235e38f;

    /// <summary>Powers 2^64, 2^32, …, 2^1 used for the exact scaling step (and their reciprocals).</summary>
    public static readonly float[] Pow2Up = { 1.8446744e19f, 4294967296.0f, 65536.0f, 256.0f, 16.0f, 4.0f, 2.0f };
    public static readonly float[] Pow2Down = { 5.421011e-20f, 2.3283064e-10f, 1.5258789e-05f, 0.00390625f, 0.0625f, 0.25f, 0.5f };
    public static readonly int[] Pow2Steps = { 64, 32, 16, 8, 4, 2, 1 };

    public static float Exp(float x)
    {
        if (x > ExpHi)
        {
            x = ExpHi;
        }

        if (!(x >= ExpLo))
        {
            return 0.0f;
        }

        float kf = x * Log2E;
        int k = kf >= 0.0f ? (int)(kf + 0.5f) : -(int)(0.5f - kf);
        return ExpReduced(x, k);
    }

    /// <summary>exp after k = round(x·log2 e): Cody–Waite reduction, the polynomial, the scaling by 2^k.</summary>
    private static float ExpReduced(float x, int k)
    {
        float fk = k;
        float r = (x - fk * Ln2Hi) - fk * Ln2Lo;
        float p = 1.0f + r * (1.0f + r * (P2 + r * (P3 + r * (P4 + r * (P5 + r * P6)))));
        int kk = k + ExpScaleBias;
        p = p * ExpScale[kk & 15];
        return p * ExpScale[16 + (kk >> 4)];
    }

    /// <summary>
    /// exp(min(x, 0)): the selective scan's decay exp(Δ·A), whose argument is never positive (Δ is a softplus, A =
    /// −exp(A_log) is negative), written into the scan's loop. For every x ≤ 0 (and NaN) it gives the bits of
    /// <see cref="Exp"/> (the same statements without the branches that only positive arguments take; checked over all
    /// 2^31 non-positive floats); a positive argument is taken as 0 (result 1), so the decay never exceeds 1.
    /// </summary>
    public static float ExpNonPositive(float x)
    {
        if (x > 0.0f)
        {
            x = 0.0f;
        }

        if (!(x >= ExpLo))
        {
            return 0.0f;
        }

        float kf = x * Log2E;
        int k = -(int)(0.5f - kf);
        return ExpReduced(x, k);
    }

    /// <summary>
    /// exp's scaling by 2^k, k in [−126, 127] (x in [−87, 88]): with kk = k + 126 in [0, 253], 2^k = 2^(kk mod 16) ·
    /// 2^(16·(kk div 16) − 126), two table entries (<see cref="ExpScale"/>), all normal floats. p·2^(kk mod 16) is exact
    /// (at most 1.42·2^15) and e^x is a normal float over the whole range, so p·2^k is computed exactly: the result is
    /// the bits of the earlier scaling by up to fourteen compare-and-multiply steps, in two multiplies and no branch.
    /// </summary>
    public const int ExpScaleBias = 126;

    /// <summary>[0, 16): 2^j for j = 0..15; [16, 32): 2^(16·m − 126) for m = 0..15 (see <see cref="ExpScaleBias"/>).</summary>
    public static readonly float[] ExpScale = MakeExpScale();

    private static float[] MakeExpScale()
    {
        var t = new float[32];
        float v = 1.0f;
        for (int j = 0; j < 16; j++)
        {
            t[j] = v;
            v = v * 2.0f;
        }

        // 2^-126 is the smallest normal float; each next entry is 2^16 times the last (exact).
        v = 1.1754944e-38f;
        for (int m = 0; m < 16; m++)
        {
            t[16 + m] = v;
            v = v * 65536.0f;
        }

        return t;
    }

    public static float Tanh(float x)
    {
        float ax = x < 0.0f ? -x : x;
        if (ax < TanhSmall)
        {
            float x2 = x * x;
            float p = T9;
            p = T7 + x2 * p;
            p = T5 + x2 * p;
            p = T3 + x2 * p;
            return x + x * (x2 * p);
        }

        float t = 1.0f;
        if (ax < TanhBig)
        {
            float e = Exp(-2.0f * ax);
            t = (1.0f - e) / (1.0f + e);
        }

        return x < 0.0f ? -t : t;
    }

    public static float Sigmoid(float x) => 1.0f / (1.0f + Exp(-x));

    public static float Silu(float x) => x * Sigmoid(x);

    public static float Relu(float x) => x > 0.0f ? x : 0.0f;

    /// <summary>
    /// log(1 + x), accurate also where 1 + x rounds. u = 1 + x is rounded and its rounding error kept as
    /// c = (x − (u − 1)) / u (exact: Fast2Sum for |x| ≤ 1, Sterbenz above); u = 2^k·m with m in [√½, √2) by
    /// exact power-of-two steps; log m = f − (f²/2 − s·(f²/2 + R(s²))), s = f / (2 + f),
    /// f = m − 1 (fdlibm's arrangement, Taylor coefficients); then k·ln2 in two parts, c added to the small one.
    /// Measured against a double log1p: at most 8.1e-8 relative (1.4·2⁻²⁴) over 5·10⁶ points of
    /// (−1, 3·10³⁸] (TlMathTests pins 1.2e-7). x ≤ −1 and NaN give <see cref="Log1pMin"/>; +∞ gives log1p(FLT_MAX).
    /// </summary>
    public static float Log1p(float x)
    {
        if (!(x > -1.0f))
        {
            return Log1pMin;
        }

        if (x > FloatMax)
        {
            x = FloatMax;
        }

        float u = 1.0f + x;
        if (u == 1.0f)
        {
            return x;
        }

        float c = (x - (u - 1.0f)) / u;
        float m = u;
        int k = 0;
        for (int i = 0; i < Pow2Steps.Length; i++)
        {
            if (m >= Pow2Up[i])
            {
                m = m * Pow2Down[i];
                k = k + Pow2Steps[i];
            }

            if (m < Pow2Down[i])
            {
                m = m * Pow2Up[i];
                k = k - Pow2Steps[i];
            }
        }

        if (m > Sqrt2)
        {
            m = m * 0.5f;
            k = k + 1;
        }

        if (m < Sqrt2Half)
        {
            m = m * 2.0f;
            k = k - 1;
        }

        float f = m - 1.0f;
        float s = f / (2.0f + f);
        float z = s * s;
        float r = L4;
        r = L3 + z * r;
        r = L2 + z * r;
        r = L1 + z * r;
        r = z * r;
        float hfsq = (0.5f * f) * f;
        float fk = k;
        float lo = fk * Ln2Lo;
        lo = lo + c;
        float t = hfsq + r;
        t = s * t;
        t = t + lo;
        t = hfsq - t;
        t = t - f;
        return fk * Ln2Hi - t;
    }

    /// <summary>
    /// PyTorch's softplus (beta 1, threshold 20): x above 20 as it is, else log1p(exp(x)).
    /// Measured against double: at most 2.9e-7 relative over [−87, 40] (exp's error, 2.5e-7, carried through
    /// log1p, whose condition number there is below 1; TlMathTests pins 4e-7); below −87 exp is 0 and so is the result.
    /// </summary>
    public static float Softplus(float x) => x > SoftplusThreshold ? x : Log1p(Exp(x));

    /// <summary>
    /// ELU with alpha 1: x for x &gt; 0; else expm1(x): on (−1, 0] the Taylor series to x¹¹ in Horner form
    /// (truncation below 4e-9 relative), below −1 exp(x) − 1 (no cancellation there: |result| ≥ 0.63).
    /// Measured against double: at most 1.5e-7 relative (2.4·2⁻²⁴, worst just above −1) over [−90, 0]
    /// (TlMathTests pins 2e-7).
    /// </summary>
    public static float Elu(float x)
    {
        if (x > 0.0f)
        {
            return x;
        }

        if (x > -1.0f)
        {
            float p = Expm1Coeffs[Expm1Coeffs.Length - 1];
            for (int i = Expm1Coeffs.Length - 2; i >= 0; i--)
            {
                p = Expm1Coeffs[i] + x * p;
            }

            p = 1.0f + x * p;
            return x * p;
        }

        return Exp(x) - 1.0f;
    }

    /// <summary>
    /// 1/√x without bit tricks: x = 4^k·m with m in [0.5, 2) by exact power-of-four steps, a cubic start
    /// (0.7 % off), two Newton steps written y + y·(½ − ½·m·y·y) so the correction is computed with little
    /// rounding, then the exact scale 2^−k. Measured against double: at most 9.9e-8 relative (1.7·2⁻²⁴)
    /// over [1e-8, 1e8] and over the whole normal range (TlMathTests pins 1.2e-7). Arguments below the
    /// smallest normal float (0, negatives, NaN, denormals) are taken as it, +∞ as the largest float.
    /// </summary>
    public static float Rsqrt(float x)
    {
        if (!(x >= RsqrtMin))
        {
            x = RsqrtMin;
        }

        if (x > FloatMax)
        {
            x = FloatMax;
        }

        float m = x;
        float sc = 1.0f;
        for (int i = 0; i < RsqrtSteps; i++)
        {
            if (m >= Pow2Up[i])
            {
                m = m * Pow2Down[i];
                sc = sc * Pow2Down[i + 1];
            }

            if (m < Pow2Down[i])
            {
                m = m * Pow2Up[i];
                sc = sc * Pow2Up[i + 1];
            }
        }

        if (m >= 2.0f)
        {
            m = m * 0.25f;
            sc = sc * 0.5f;
        }

        if (m < 0.5f)
        {
            m = m * 4.0f;
            sc = sc * 2.0f;
        }

        float y = R3;
        y = R2 + m * y;
        y = R1 + m * y;
        y = R0 + m * y;
        for (int i = 0; i < 2; i++)
        {
            float h = m * y;
            h = h * y;
            float r = 0.5f - 0.5f * h;
            y = y + y * r;
        }

        return y * sc;
    }

    /// <summary>Rsqrt's power-of-four steps: 4^32, …, 4^1 are <see cref="Pow2Up"/>[0..5]; the scale steps 2^32, …, 2^1 are [1..6].</summary>
    public const int RsqrtSteps = 6;
}
