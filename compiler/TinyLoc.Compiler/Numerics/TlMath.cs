namespace TinyLoc.Compiler.Numerics;

/// <summary>
/// The compiler's own float32 transcendental functions. The generated C and C# contain these same
/// operations in the same order (see <c>Emit/Helpers.cs</c>), and IEEE float32 arithmetic with
/// contraction off makes every engine agree to the bit. No libm, no System.Math.
/// exp: Cody–Waite range reduction by ln 2, a degree-6 Taylor polynomial on |r| ≤ ln2/2 (relative
/// error below 2e-7), and an exact power-of-two scaling by repeated multiplication.
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
        float fk = k;
        float r = x - fk * Ln2Hi;
        r = r - fk * Ln2Lo;
        float p = P6;
        p = P5 + r * p;
        p = P4 + r * p;
        p = P3 + r * p;
        p = P2 + r * p;
        p = 1.0f + r * p;
        p = 1.0f + r * p;
        for (int i = 0; i < Pow2Steps.Length; i++)
        {
            if (k >= Pow2Steps[i])
            {
                p = p * Pow2Up[i];
                k = k - Pow2Steps[i];
            }

            if (k <= -Pow2Steps[i])
            {
                p = p * Pow2Down[i];
                k = k + Pow2Steps[i];
            }
        }

        return p;
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
}
