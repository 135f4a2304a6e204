using System;
using Xunit;
using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Tests.Quantization;

public sealed class QuantMathTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.0039215684)]
    [InlineData(1.2345e-7)]
    [InlineData(0.9999999)]
    [InlineData(3.75)]
    public void MultiplierIsQ31WithTheRightExponent(double m)
    {
        Assert.True(QuantMath.QuantizeMultiplier(m, out int m0, out int rs));
        Assert.InRange(m0, 1 << 30, int.MaxValue);
        Assert.InRange(rs, 1, 62);
        Assert.Equal(m, m0 * Math.Pow(2, -rs), m * 1e-9);
    }

    [Fact]
    public void MultipliersTooLargeAreRefused() => Assert.False(QuantMath.QuantizeMultiplier(Math.Pow(2, 31), out _, out _));

    [Theory]
    [InlineData(100, 0.25, 0, 25)]
    [InlineData(2, 0.25, 0, 1)]     // 0.5 rounds up
    [InlineData(-2, 0.25, 0, 0)]    // -0.5 rounds up (towards +inf), single rounding
    [InlineData(-6, 0.25, 0, -1)]   // -1.5 -> -1
    [InlineData(1000, 0.5, -128, 127)] // saturates
    [InlineData(-1000, 0.5, 10, -128)]
    public void RequantizeRoundsHalfUpAndSaturates(int acc, double m, int zp, int expected)
    {
        Assert.True(QuantMath.QuantizeMultiplier(m, out int m0, out int rs));
        Assert.Equal(expected, QuantMath.Requantize(acc, m0, rs, zp, -128, 127));
    }

    [Fact]
    public void RequantizeAgreesWithExactArithmeticOnManyValues()
    {
        var rng = new Random(7);
        for (int i = 0; i < 20000; i++)
        {
            double m = Math.Exp(rng.NextDouble() * -12);
            int acc = rng.Next(-2_000_000, 2_000_000);
            Assert.True(QuantMath.QuantizeMultiplier(m, out int m0, out int rs));
            double exact = acc * (m0 * Math.Pow(2, -rs));
            int want = (int)Math.Max(-128, Math.Min(127, Math.Floor(exact + 0.5)));
            Assert.Equal(want, QuantMath.Requantize(acc, m0, rs, 0, -128, 127));
        }
    }

    [Fact]
    public void ActivationRangeIncludesZeroAndMapsItExactly()
    {
        var q = QuantMath.FromRange(0.5f, 2.0f, out bool degenerate);
        Assert.False(degenerate);
        Assert.Equal(-128, q.ZeroPoint);
        Assert.Equal(2.0f / 255, q.Scale, 6);
        var sym = QuantMath.FromRange(-1f, 1f, out _);
        Assert.InRange(sym.Scale * (-128 - sym.ZeroPoint), -1 - sym.Scale, -1 + sym.Scale);
        Assert.InRange(sym.Scale * (127 - sym.ZeroPoint), 1 - sym.Scale, 1 + sym.Scale);
        QuantMath.FromRange(0, 0, out degenerate);
        Assert.True(degenerate);
    }

    [Fact]
    public void WeightsArePerChannelSymmetric127()
    {
        float[] w = { 0.5f, -1.0f, 0.25f, 0f, 0f, 0f };
        float s = QuantMath.WeightScale(w, 0, 3);
        Assert.Equal(1.0f / 127, s);
        Assert.Equal(-127, QuantMath.QuantizeWeight(-1.0f, s));
        Assert.Equal(64, QuantMath.QuantizeWeight(0.5f, s)); // 63.5 rounds away from zero
        Assert.Equal(1.0f, QuantMath.WeightScale(w, 1, 3)); // an all-zero row
    }

    [Theory]
    [InlineData(0.0f, 255f, -128, -128)]
    [InlineData(1.0f, 255f, -128, 127)]
    [InlineData(0.5f, 255f, -128, 0)]   // 127.5 rounds away from zero
    [InlineData(-3.0f, 10f, 0, -30)]
    [InlineData(float.NaN, 10f, 0, -128)]
    public void InputQuantisationRoundsAwayFromZero(float v, float inv, int zp, int expected) =>
        Assert.Equal(expected, QuantMath.QuantizeInput(v, inv, zp));
}
