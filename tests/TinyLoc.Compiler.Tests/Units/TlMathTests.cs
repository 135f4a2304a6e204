using System;
using TinyLoc.Compiler.Numerics;
using Xunit;

namespace TinyLoc.Compiler.Tests.Units;

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
}
