using System;
using System.Linq;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Tests.Golden;
using Xunit;
using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Tests.Emit;

/// <summary>
/// The faster forms the emitted code uses give the reference's values: requantisation from the high
/// word of the product (<see cref="QuantMath.RequantizeHighWord"/>), input quantisation without the
/// clamps a normalised input cannot reach (<see cref="Quantize.IsBounded"/>), and the SMLAD operand
/// packing of the DSP kernels (<see cref="QLinearUnrolled.PackPair"/>).
/// </summary>
public sealed class EmittedArithmeticTests
{
    [Fact]
    public void HighWordRequantisationEqualsTheReferenceEverywhere()
    {
        var rng = new Random(5);
        int[] edgesAcc = [0, 1, -1, int.MaxValue, int.MinValue + 1, int.MinValue, 1 << 30, -(1 << 30), 123456789, -987654321];
        int[] edgesM = [1 << 30, int.MaxValue, (1 << 30) + 1, 1518500250];
        for (int rs = 1; rs <= 62; rs++)
        {
            foreach (int acc in edgesAcc)
            {
                foreach (int m in edgesM)
                {
                    Check(acc, m, rs, -128, -128, 127);
                    Check(acc, m, rs, 37, -128, 127);
                    Check(acc, m, rs, 5, 5, 127);
                }
            }

            for (int i = 0; i < 3000; i++)
            {
                int acc = rng.Next(int.MinValue, int.MaxValue);
                int m = rng.Next(1 << 30, int.MaxValue);
                int zp = rng.Next(-128, 128);
                Check(acc >> rng.Next(0, 31), m, rs, zp, -128, 127);
                Check(acc, m, rs, zp, zp, 127);
            }
        }

        static void Check(int acc, int m, int rs, int zp, int lo, int hi) =>
            Assert.True(
                QuantMath.Requantize(acc, m, rs, zp, lo, hi) == QuantMath.RequantizeHighWord(acc, m, rs, zp, lo, hi),
                $"acc {acc}, m0 {m}, rs {rs}, zp {zp}, [{lo}, {hi}]");
    }

    [Theory]
    [MemberData(nameof(EngineParityTests.AllModels), MemberType = typeof(EngineParityTests))]
    public void NormalisedInputsNeverReachTheClampsTheEmittedCodeSkips(string model)
    {
        var c = GoldenModels.Compile(model, "static");
        var node = c.Graph!.Nodes.Single(n => n.Op is Quantize);
        var p = ((Quantize)node.Op);
        Assert.True(p.IsBounded(), $"{model}: the bounded quantisation should apply");
        var n = p.Normalize!;
        float[] probes =
        [
            float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.MinValue, float.Epsilon, -0.0f, 0.0f,
            n.Min, n.Max, BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(n.Max) - 1), n.Missing ?? 0.0f,
            .. Enumerable.Range(0, 20001).Select(i => n.Min - 50 + ((n.Max - n.Min + 100) * i / 20000f)),
        ];
        foreach (float x in probes)
        {
            float t = n.Apply(x) * p.InvScale;
            Assert.InRange(t, 0.0f, 1000.0f);
            int fast = Math.Clamp((int)(t + 0.5f) + p.ZeroPoint, -128, 127);
            Assert.Equal(QuantMath.QuantizeInput(n.Apply(x), p.InvScale, p.ZeroPoint), (sbyte)fast);
        }
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(1, 0, 0x00000001)]
    [InlineData(-1, 0, 0x0000FFFF)]
    [InlineData(0, -1, unchecked((int)0xFFFF0000))]
    [InlineData(-127, 127, 0x007FFF81)]
    [InlineData(127, -128, unchecked((int)0xFF80007F))]
    public void WeightPairsPackAsSignExtendedHalfwords(sbyte lo, sbyte hi, int packed) =>
        Assert.Equal(packed, QLinearUnrolled.PackPair(lo, hi));
}
