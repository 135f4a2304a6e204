namespace TinyLoc.Compiler.Numerics;

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

    /// <summary>What <see cref="RoundFloat"/> does, for the comment beside it in generated code.</summary>
    public const string RoundFloatComment = "/* + and - 1.5 * 2^23: rounds to the nearest integer, ties to even */";

    /// <summary>Why the quantiser clamps <c>x · inv</c> to ±1e6 first (emitted beside the clamp).</summary>
    public const string ClampComment = "/* NaN and values far out of range go to the clamp below; the int conversion stays defined */";

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

        zeroPoint = ChooseParams(mn, mx, qmax, out scale);
    }

    /// <summary>2^53 and 2^62, the bounds of the normalised 64-bit mantissas below.</summary>
    private const long Two53 = 1L << 53;

    private const long Two62 = 1L << 62;

    /// <summary>
    /// PyTorch's double computation (the tests' <c>PyTorchQParams</c>) in float32 and integer arithmetic only (no double, no 64-bit division):
    /// the result is that of the double computation for every finite range mn ≤ 0 ≤ mx and 1 ≤ qmax ≤ 255.
    /// <para>
    /// The double steps are emulated exactly: D = rd53(−mn + mx) from the two float mantissas aligned in an
    /// int64 (bits shifted out kept as a sticky flag), s = rd53(D/qmax) by long division in 16-bit digits
    /// (32-bit divides), float(s) rounded from s's 53-bit mantissa (subnormals too), and s &lt; 6.1e-5 compared
    /// exactly. The zero point is rint(rd53(−mn/s)) clamped to [0, qmax]: the approximate float quotient
    /// t = −mn/scale picks k = ⌊t⌋, then the exact sign of 2·(−mn) − (2k+1)·s decides between k and k+1, and a
    /// difference within half a double ulp of k + ½ (the double quotient rounds onto the tie) rounds to even.
    /// The other branch of PyTorch's error comparison (z = qmax − mx/s) is taken only when −mn/s &lt; 2^-13, and
    /// there both give 0; s = 0.1 (float(s) is 0 or 1/float(s) overflows) only when the range is below 2^-120,
    /// where the zero point is 0 too.
    /// </para>
    /// </summary>
    public static int ChooseParams(float mn, float mx, int qmax, out float scale)
    {
        float a;
        int ea, eb, el, d, e, r, sh;
        int ma, mb, ml;
        long x, y, lost, md, u, qt, ms, rem, half;
        float fs, t;

        // An infinite input counts as ±float.MaxValue (the double computation casts NaN to int there).
        if (mn < -float.MaxValue)
        {
            mn = -float.MaxValue;
        }

        if (mx > float.MaxValue)
        {
            mx = float.MaxValue;
        }

        a = -mn;
        if (!(a > 0.0f) && !(mx > 0.0f))
        {
            scale = 0.1f;
            return 0;
        }

        // D = rd53(a + mx): the larger-exponent mantissa at bit 38, the other shifted down to it.
        ma = FloatParts(a, out ea);
        mb = FloatParts(mx, out eb);
        ml = ma;
        el = ea;
        d = ea - eb;
        x = (long)mb << 38;
        if (d < 0)
        {
            ml = mb;
            el = eb;
            d = -d;
            x = (long)ma << 38;
        }

        y = d > 62 ? 0 : x >> d;
        lost = d > 62 ? x : x - (y << d);
        x = ((long)ml << 38) + y;
        e = el - 38;
        if (x < Two62)
        {
            x = x << 1;
            e = e - 1;
        }

        md = x >> 10;
        r = (int)(x & 1023);
        if (r > 512 || (r == 512 && (lost != 0 || (md & 1) != 0)))
        {
            md = md + 1;
        }

        if (md == Two53)
        {
            md = md >> 1;
            e = e + 1;
        }

        // s = rd53(D / qmax): D·2^10 divided in 16-bit digits (each partial dividend is below 2^24).
        u = md << 10;
        qt = 0;
        r = 0;
        for (int j = 48; j >= 0; j -= 16)
        {
            int cur = (r << 16) | (int)((u >> j) & 65535);
            int dg = cur / qmax;
            qt = (qt << 16) + dg;
            r = cur - (dg * qmax);
        }

        sh = 1;
        while ((qt >> sh) >= Two53)
        {
            sh = sh + 1;
        }

        ms = qt >> sh;
        rem = qt - (ms << sh);
        half = 1L << (sh - 1);
        if (rem > half || (rem == half && (r != 0 || (ms & 1) != 0)))
        {
            ms = ms + 1;
        }

        if (ms == Two53)
        {
            ms = ms >> 1;
            sh = sh + 1;
        }

        e = e + sh;

        // fs = (float)s, s = ms·2^e: 29 bits dropped, more below the normal range (grid 2^-149).
        sh = 29;
        if (e < -178)
        {
            sh = -149 - e;
        }

        fs = 0.0f;
        if (sh < 60)
        {
            y = ms >> sh;
            rem = ms - (y << sh);
            half = 1L << (sh - 1);
            if (rem > half || (rem == half && (y & 1) != 0))
            {
                y = y + 1;
            }

            fs = ScaleByPowerOfTwo((float)(int)y, e + sh);
        }

        if (fs == 0.0f || !(1.0f / fs <= float.MaxValue))
        {
            scale = 0.1f;
            return 0;
        }

        scale = fs;
        if (e < SmallExponent || (e == SmallExponent && ms < SmallMantissa))
        {
            float org = fs;
            scale = SmallScale;
            ms = SmallMantissa;
            e = SmallExponent;
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

        // Zero point: rint(rd53(a/s)) with a = −mn, s = ms·2^e.
        a = -mn;
        if (!(a > 0.0f))
        {
            return 0;
        }

        t = a / scale;
        if (!(t < (float)(qmax + 1)))
        {
            return qmax;
        }

        int k = (int)t;
        ma = FloatParts(a, out ea);
        sh = ea + 1 - e;
        if (sh < 0)
        {
            return k;
        }

        x = ((long)ma << sh) - ((long)((2 * k) + 1) * ms);
        y = x < 0 ? -x : x;
        d = 53;
        for (int j = k; j > 0; j = j >> 1)
        {
            d = d - 1;
        }

        if (y <= (ms >> d))
        {
            k = k + (k & 1);
        }
        else if (x > 0)
        {
            k = k + 1;
        }

        return k > qmax ? qmax : k;
    }

    /// <summary>m and e with v = m·2^e, 2^23 ≤ m &lt; 2^24, by exact power-of-two scalings (v &gt; 0 finite); 0 and e = −1000 for v ≤ 0.</summary>
    public static int FloatParts(float v, out int e)
    {
        e = 0;
        if (!(v > 0.0f))
        {
            e = -1000;
            return 0;
        }

        while (v < 0.001953125f)
        {
            v = v * 4294967296.0f;
            e = e - 32;
        }

        while (v < 8388608.0f)
        {
            v = v * 2.0f;
            e = e - 1;
        }

        while (v >= 72057594037927936.0f)
        {
            v = v * 2.3283064e-10f;
            e = e + 32;
        }

        while (v >= 16777216.0f)
        {
            v = v * 0.5f;
            e = e + 1;
        }

        return (int)v;
    }

    /// <summary>v·2^k for a result that is representable (every intermediate then is too): steps of 2^16, then one of 2^|k| &lt; 2^16.</summary>
    public static float ScaleByPowerOfTwo(float v, int k)
    {
        while (k >= 16)
        {
            v = v * 65536.0f;
            k = k - 16;
        }

        while (k <= -16)
        {
            v = v * 1.5258789e-05f;
            k = k + 16;
        }

        return k >= 0 ? v * (float)(1 << k) : v / (float)(1 << -k);
    }

    /// <summary>The 6.1e-5 floor as a 53-bit mantissa and exponent (the form of s above).</summary>
    public static readonly long SmallMantissa = (long)FloatParts(SmallScale, out _) << 29;

    public static readonly int SmallExponent = SmallExponentOf();

    private static int SmallExponentOf()
    {
        FloatParts(SmallScale, out int e);
        return e - 29;
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
}
