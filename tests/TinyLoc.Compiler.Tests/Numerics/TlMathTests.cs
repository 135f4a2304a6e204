using System;
using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Numerics;
using Xunit;

namespace TinyLoc.Compiler.Tests.Numerics;

/// <summary>The compiler's own transcendental functions are accurate to a few float ulps over their whole range.</summary>
public sealed class TlMathTests
{
    [Fact]
    public void ExpIsWithin3e7RelativeOverTheWholeRange()
    {
        for (double x = -87; x <= 88; x += 0.01)
        {
            double want = Math.Exp((float)x);
            Assert.True(Math.Abs(TlMath.Exp((float)x) - want) <= 3e-7 * want, $"exp({x})");
        }
    }

    /// <summary>
    /// exp scales by 2^k with two table entries; the result is that of the earlier scaling by up to fourteen
    /// compare-and-multiply steps, bit for bit (both compute p·2^k exactly: e^x is a normal float on [−87, 88]).
    /// Checked once over all 2^32 float bit patterns; here over every 4099th pattern and the range's ends.
    /// </summary>
    [Fact]
    public void ExpsTableScalingGivesTheBitsOfTheStepwiseScaling()
    {
        var xs = Enumerable.Range(0, (int)(0x1_0000_0000L / 4099)).Select(i => BitConverter.UInt32BitsToSingle((uint)(i * 4099L)))
            .Concat([-87.0f, 88.0f, -86.99999f, 87.99999f, 0.0f, -0.0f, float.Epsilon, -float.Epsilon, 1e-30f, -1e-30f, 0.34657359f, -0.34657359f]);
        foreach (float x in xs)
        {
            Assert.True(BitConverter.SingleToUInt32Bits(TlMath.Exp(x)) == BitConverter.SingleToUInt32Bits(StepwiseExp(x)), $"exp({x:R})");
        }
    }

    /// <summary>The scan's exp gives exp's bits for every non-positive argument (checked once over all 2^31 of them), 1 above 0.</summary>
    [Fact]
    public void ExpNonPositiveIsExpBelowZeroAndOneAbove()
    {
        for (long i = 0; i < 0x8000_0000L; i += 2053)
        {
            float x = BitConverter.UInt32BitsToSingle((uint)(0x8000_0000L + i));
            Assert.True(BitConverter.SingleToUInt32Bits(TlMath.Exp(x)) == BitConverter.SingleToUInt32Bits(TlMath.ExpNonPositive(x)), $"exp({x:R})");
        }

        foreach (float x in new[] { 0.0f, -0.0f, -87.0f, -87.00001f, -86.99999f, float.NegativeInfinity, float.NaN, -1e-30f })
        {
            Assert.True(BitConverter.SingleToUInt32Bits(TlMath.Exp(x)) == BitConverter.SingleToUInt32Bits(TlMath.ExpNonPositive(x)), $"exp({x:R})");
        }

        foreach (float x in new[] { float.Epsilon, 1e-30f, 0.5f, 88.0f, 1000.0f, float.PositiveInfinity })
        {
            Assert.Equal(1.0f, TlMath.ExpNonPositive(x));
        }
    }

    [Fact]
    public void ExpSaturatesInsteadOfOverflowing()
    {
        Assert.Equal(0.0f, TlMath.Exp(-100f));
        Assert.Equal(0.0f, TlMath.Exp(float.NaN));
        Assert.Equal(TlMath.Exp(88f), TlMath.Exp(1000f));
        Assert.False(float.IsInfinity(TlMath.Exp(1000f)));
    }

    [Fact]
    public void TanhSigmoidSiluAreAccurate()
    {
        for (double x = -12; x <= 12; x += 0.003)
        {
            float f = (float)x;
            double t = Math.Tanh(f), s = 1 / (1 + Math.Exp(-f));
            Assert.True(Math.Abs(TlMath.Tanh(f) - t) <= (3e-7 * Math.Abs(t)) + 1e-9, $"tanh({x})");
            Assert.True(Math.Abs(TlMath.Sigmoid(f) - s) <= 3e-7 * s, $"sigmoid({x})");
            Assert.True(Math.Abs(TlMath.Silu(f) - (f * s)) <= (4e-7 * Math.Abs(f * s)) + 1e-12, $"silu({x})");
        }
    }

    [Fact]
    public void TanhIsOddAndExactAtZero()
    {
        Assert.Equal(0.0f, TlMath.Tanh(0f));
        for (float x = 0.01f; x < 10; x *= 1.7f)
        {
            Assert.Equal(-TlMath.Tanh(x), TlMath.Tanh(-x));
        }
    }

    [Fact]
    public void Log1pIsWithin1Point2e7RelativeEverywhere()
    {
        var xs = LogSpace(1e-30, 3e38, 400000).Concat(LogSpace(1e-30, 0.9999999, 400000).Select(v => -v))
            .Concat(Lin(-0.9999, 10, 400000)).Concat(LogSpace(1e-7, 0.1, 50000).Select(v => -1 + v));
        AssertRelative("log1p", TlMath.Log1p, Log1pRef, xs, 1.2e-7);
    }

    [Fact]
    public void SoftplusIsWithin4e7RelativeAndFollowsPyTorchsThreshold()
    {
        AssertRelative("softplus", TlMath.Softplus, x => x > 20 ? x : Log1pRef(Math.Exp(x)), Lin(-87, 40, 400000).Concat(Lin(-3, 3, 100000)), 4e-7);
        Assert.Equal(25.0f, TlMath.Softplus(25.0f));
        Assert.Equal(0.0f, TlMath.Softplus(-200.0f));
        Assert.Equal(20.0f, TlMath.Softplus(20.0f));
    }

    [Fact]
    public void EluIsWithin2e7RelativeAndExactForPositives()
    {
        AssertRelative("elu", TlMath.Elu, x => x > 0 ? x : Expm1Ref(x), Lin(-90, 0, 400000).Concat(LogSpace(1e-30, 1, 200000).Select(v => -v)), 2e-7);
        foreach (float x in new[] { 0.0f, 1e-30f, 0.5f, 3.0f, 1e30f })
        {
            Assert.Equal(x, TlMath.Elu(x));
        }

        Assert.Equal(-1.0f, TlMath.Elu(-100.0f));
    }

    [Fact]
    public void RsqrtIsWithin1Point2e7RelativeOverTheNormRangeAndBeyond()
    {
        AssertRelative("rsqrt", TlMath.Rsqrt, x => 1 / Math.Sqrt(x), LogSpace(1e-8, 1e8, 600000), 1.2e-7);
        AssertRelative("rsqrt", TlMath.Rsqrt, x => 1 / Math.Sqrt(x), LogSpace(1.2e-38, 3.4e38, 300000), 1.2e-7);
        foreach (float x in new[] { 0.25f, 1.0f, 4.0f, 16.0f, 1024.0f })
        {
            Assert.Equal((float)(1 / Math.Sqrt(x)), TlMath.Rsqrt(x));
        }
    }

    [Fact]
    public void TheNewFunctionsNeverReturnNaNOrInfinity()
    {
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.0f, -0.0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, -1.0f, -2.0f];
        foreach (float x in specials)
        {
            foreach (var (name, f) in new (string, Func<float, float>)[] { ("log1p", TlMath.Log1p), ("softplus", TlMath.Softplus), ("elu", TlMath.Elu), ("rsqrt", TlMath.Rsqrt) })
            {
                float y = f(x);
                bool identity = name is "softplus" or "elu" && x > 0;
                Assert.False(float.IsNaN(y) || (float.IsInfinity(y) && !identity), $"{name}({x}) = {y}");
            }
        }

        Assert.Equal(float.PositiveInfinity, TlMath.Softplus(float.PositiveInfinity));

        Assert.Equal(0.0f, TlMath.Log1p(0.0f));
        Assert.Equal(TlMath.Log1pMin, TlMath.Log1p(-1.0f));
        Assert.Equal(TlMath.Rsqrt(TlMath.RsqrtMin), TlMath.Rsqrt(0.0f));
    }

    /// <summary>TlMath.Exp as it was before the table scaling: the same reduction and polynomial, then 2^k in power-of-two steps.</summary>
    private static float StepwiseExp(float x)
    {
        if (x > TlMath.ExpHi)
        {
            x = TlMath.ExpHi;
        }

        if (!(x >= TlMath.ExpLo))
        {
            return 0.0f;
        }

        float kf = x * TlMath.Log2E;
        int k = kf >= 0.0f ? (int)(kf + 0.5f) : -(int)(0.5f - kf);
        float fk = k;
        float r = x - (fk * TlMath.Ln2Hi);
        r = r - (fk * TlMath.Ln2Lo);
        float p = TlMath.P6;
        p = TlMath.P5 + (r * p);
        p = TlMath.P4 + (r * p);
        p = TlMath.P3 + (r * p);
        p = TlMath.P2 + (r * p);
        p = 1.0f + (r * p);
        p = 1.0f + (r * p);
        for (int i = 0; i < TlMath.Pow2Steps.Length; i++)
        {
            if (k >= TlMath.Pow2Steps[i])
            {
                p = p * TlMath.Pow2Up[i];
                k = k - TlMath.Pow2Steps[i];
            }

            if (k <= -TlMath.Pow2Steps[i])
            {
                p = p * TlMath.Pow2Down[i];
                k = k + TlMath.Pow2Steps[i];
            }
        }

        return p;
    }

    /// <summary>log(1 + x) in double: a series where 1 + x would lose digits, else Math.Log (1 + x is exact in double for float x ≥ 1e-4).</summary>
    private static double Log1pRef(double x) =>
        Math.Abs(x) < 1e-4 ? x - (x * x / 2) + (x * x * x / 3) - (x * x * x * x / 4) + (x * x * x * x * x / 5) : Math.Log(1 + x);

    private static double Expm1Ref(double x) => Math.Abs(x) < 1e-5 ? x + (x * x / 2) + (x * x * x / 6) : Math.Exp(x) - 1;

    private static void AssertRelative(string name, Func<float, float> f, Func<double, double> reference, IEnumerable<float> xs, double bound)
    {
        double worst = 0;
        float at = 0;
        foreach (float x in xs)
        {
            double want = reference(x);
            double got = f(x);
            double e = want == 0 ? Math.Abs(got) : Math.Abs(got - want) / Math.Abs(want);
            if (!(e <= worst))
            {
                worst = e;
                at = x;
            }
        }

        Assert.True(worst <= bound, $"{name}: relative error {worst:E3} at {at:R} exceeds {bound:E1}");
    }

    private static IEnumerable<float> LogSpace(double lo, double hi, int n)
    {
        double q = Math.Pow(hi / lo, 1.0 / n);
        for (int i = 0; i <= n; i++)
        {
            yield return (float)(lo * Math.Pow(q, i));
        }
    }

    private static IEnumerable<float> Lin(double lo, double hi, int n)
    {
        for (int i = 0; i <= n; i++)
        {
            yield return (float)(lo + ((hi - lo) * i / n));
        }
    }
}
