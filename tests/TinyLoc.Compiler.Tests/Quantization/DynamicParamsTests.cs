using System;
using System.Globalization;
using Xunit;
using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Tests.Quantization;

/// <summary>
/// <see cref="DynamicMath.ChooseParams(float, float, int, out float)"/> (float32 and integers only, what the
/// generated code runs) gives the scale and zero point of PyTorch's double computation
/// (<see cref="PyTorchQParams.ChooseParams"/>) on hand-picked ties and on seeded random ranges drawn from
/// adversarial distributions. TINYLOC_QPARAMS_RANGES overrides the random count (default 1.2·10^6).
/// </summary>
public sealed class DynamicParamsTests
{
    private static readonly int[] QMaxes = [255, 127];

    [Fact]
    public void HandPickedRangesMatchTheDoubleComputation()
    {
        float[] values =
        [
            0.0f, 1.0f, 2.0f, 0.5f, 3.0f, 127.0f, 128.0f, 255.0f, 256.0f, 1e-3f, 6.1e-5f, 6.1e-5f * 255.0f, 6.1e-5f * 127.0f,
            1e-10f, 1e-30f, 1e-38f, 1.17549435e-38f, float.Epsilon, 2 * float.Epsilon, 1e-40f, 1e-44f, 3e38f, float.MaxValue,
            1.0f + float.Epsilon, BitConverter.Int32BitsToSingle(0x3F800001), BitConverter.Int32BitsToSingle(0x3F7FFFFF),
            0.015555f, 0.0155550f * 0.5f, 7.5f, 8.5f, 0.1f, 0.2f, 0.3f,
        ];
        foreach (int q in QMaxes)
        {
            foreach (float a in values)
            {
                foreach (float b in values)
                {
                    Check(-a, b, q);
                }
            }

            // Exact ties: q·A/(A+B) = k + ½ in exact arithmetic (A = (2k+1)·m, B = (2q−2k−1)·m), scaled.
            for (int k = 0; k < q; k++)
            {
                foreach (float m in new[] { 1.0f, 0.5f, 3.0f, 1e-3f, 1e-6f, 1e-9f, 1e-20f, 1e-36f, 1e-40f, 1e30f, 7.0f / 3.0f })
                {
                    float a = ((2 * k) + 1) * m, b = ((2 * q) - (2 * k) - 1) * m;
                    Check(-a, b, q);
                    Check(-a, Next(b, 1), q);
                    Check(-a, Next(b, -1), q);
                    Check(-Next(a, 1), b, q);
                    Check(-Next(a, -1), b, q);
                }
            }
        }

        // The brief's example: min −1, max 1 is 127.5 exactly; the double rounding decides.
        Assert.Equal(PyTorchQParams.ChooseParams(-1.0f, 1.0f, 255, out _), DynamicMath.ChooseParams(-1.0f, 1.0f, 255, out _));
    }

    [Fact]
    public void RandomRangesMatchTheDoubleComputation()
    {
        string? env = Environment.GetEnvironmentVariable("TINYLOC_QPARAMS_RANGES");
        long count = env is null ? 1_200_000 : long.Parse(env, CultureInfo.InvariantCulture);
        var rng = new Random(20240607);
        for (long i = 0; i < count; i++)
        {
            int q = QMaxes[i & 1];
            (float a, float b) = ((i >> 1) % 8) switch
            {
                0 => (AnyFloat(rng), AnyFloat(rng)),
                1 => rng.Next(2) == 0 ? (0.0f, AnyFloat(rng)) : (AnyFloat(rng), 0.0f),
                2 => Symmetric(rng),
                3 => NearTie(rng, q, exactMantissas: true),
                4 => NearTie(rng, q, exactMantissas: false),
                5 => (Exponent(rng, -160, -10), Exponent(rng, -160, -10)),
                6 => Close(rng),
                _ => (Exponent(rng, -40, 40), Exponent(rng, -40, 40)),
            };
            Check(-a, b, q);
        }
    }

    private static void Check(float mn, float mx, int q)
    {
        int zd = PyTorchQParams.ChooseParams(mn, mx, q, out float sd);
        int zi = DynamicMath.ChooseParams(mn, mx, q, out float si);
        if (zd != zi || BitConverter.SingleToInt32Bits(sd) != BitConverter.SingleToInt32Bits(si))
        {
            Assert.Fail(string.Format(
                CultureInfo.InvariantCulture,
                "min 0x{0:X8} ({1:R}) max 0x{2:X8} ({3:R}) qmax {4}: double gives scale 0x{5:X8} zp {6}, integer gives scale 0x{7:X8} zp {8}",
                BitConverter.SingleToInt32Bits(mn), mn, BitConverter.SingleToInt32Bits(mx), mx, q,
                BitConverter.SingleToInt32Bits(sd), zd, BitConverter.SingleToInt32Bits(si), zi));
        }
    }

    /// <summary>A nonnegative finite float with uniformly random bits (every exponent, subnormals included).</summary>
    private static float AnyFloat(Random rng)
    {
        while (true)
        {
            float v = BitConverter.Int32BitsToSingle(rng.Next() & 0x7FFFFFFF);
            if (!float.IsNaN(v) && !float.IsInfinity(v))
            {
                return v;
            }
        }
    }

    /// <summary>A random mantissa at a random binary exponent in [lo, hi] (clamped to the float range).</summary>
    private static float Exponent(Random rng, int lo, int hi)
    {
        int e = Math.Min(rng.Next(lo, hi + 1), 127);
        int mant = rng.Next(1 << 23);
        if (e >= -126)
        {
            return BitConverter.Int32BitsToSingle(((e + 127) << 23) | mant);
        }

        int sub = e < -149 ? 0 : (0x800000 | mant) >> (-126 - e);
        return BitConverter.Int32BitsToSingle(sub == 0 ? 1 : sub);
    }

    private static (float, float) Symmetric(Random rng)
    {
        float v = rng.Next(3) == 0 ? Exponent(rng, -20, 20) : AnyFloat(rng);
        return (v, v);
    }

    /// <summary>A and B of nearby magnitudes (the sum and the quotient carry all their bits).</summary>
    private static (float, float) Close(Random rng)
    {
        int e = rng.Next(-140, 120);
        return (Exponent(rng, e, e + rng.Next(0, 10)), Exponent(rng, e, e + rng.Next(0, 10)));
    }

    /// <summary>q·A/(A+B) at or next to k + ½: exactly (A = (2k+1)·m, B = (2q−2k−1)·m) then a few ulps off, or through float arithmetic.</summary>
    private static (float, float) NearTie(Random rng, int q, bool exactMantissas)
    {
        int k = rng.Next(q);
        float a, b;
        if (exactMantissas)
        {
            int m = rng.Next(1, 1 << rng.Next(1, 16));
            float scale = DynamicMath.ScaleByPowerOfTwo(1.0f, rng.Next(-140, 100));
            a = ((2 * k) + 1) * m * scale;
            b = ((2 * q) - (2 * k) - 1) * m * scale;
        }
        else
        {
            a = rng.Next(3) == 0 ? AnyFloat(rng) : Exponent(rng, -60, 60);
            b = a * (((2 * q) - (2 * k) - 1) / (float)((2 * k) + 1));
            if (float.IsInfinity(b))
            {
                b = float.MaxValue;
            }
        }

        int off = rng.Next(7) - 3;
        return rng.Next(2) == 0 ? (Next(a, off), b) : (a, Next(b, off));
    }

    /// <summary>The float n ulps above (or below) v ≥ 0, kept finite and nonnegative.</summary>
    private static float Next(float v, int n)
    {
        if (float.IsInfinity(v) || float.IsNaN(v))
        {
            return float.MaxValue;
        }

        int bits = BitConverter.SingleToInt32Bits(v) + n;
        return bits < 0 ? 0.0f : bits >= 0x7F800000 ? float.MaxValue : BitConverter.Int32BitsToSingle(bits);
    }
}
