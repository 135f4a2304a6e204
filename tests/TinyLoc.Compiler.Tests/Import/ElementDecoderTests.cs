using System;
using TinyLoc.Compiler.Import;
using Xunit;

namespace TinyLoc.Compiler.Tests.Import;

public sealed class ElementDecoderTests
{
    [Theory]
    [InlineData(0x0000, 0x00000000u)] // +0
    [InlineData(0x8000, 0x80000000u)] // -0
    [InlineData(0x0001, 0x33800000u)] // smallest subnormal 2^-24
    [InlineData(0x03FF, 0x387FC000u)] // largest subnormal
    [InlineData(0x0400, 0x38800000u)] // smallest normal 2^-14
    [InlineData(0x3C00, 0x3F800000u)] // 1
    [InlineData(0xC000, 0xC0000000u)] // -2
    [InlineData(0x7BFF, 0x477FE000u)] // 65504
    [InlineData(0x7C00, 0x7F800000u)] // +inf
    [InlineData(0xFC00, 0xFF800000u)] // -inf
    [InlineData(0x7E00, 0x7FC00000u)] // quiet NaN
    [InlineData(0x7C01, 0x7FC02000u)] // signalling NaN becomes quiet, payload kept (as PyTorch)
    [InlineData(0xFE01, 0xFFC02000u)] // negative NaN
    public void Half_converts_exactly(int half, uint expectedBits)
    {
        Assert.Equal(expectedBits, ElementDecoder.SingleToBits(ElementDecoder.HalfToSingle((ushort)half)));
    }

    [Fact]
    public void Every_finite_half_round_trips_through_the_runtime_half()
    {
        for (int bits = 0; bits < 0x10000; bits++)
        {
            Half h = BitConverter.UInt16BitsToHalf((ushort)bits);
            if (Half.IsNaN(h))
            {
                continue;
            }

            Assert.Equal(BitConverter.SingleToUInt32Bits((float)h), ElementDecoder.SingleToBits(ElementDecoder.HalfToSingle((ushort)bits)));
        }
    }

    [Theory]
    [InlineData(0x3F80, 1.0f)]
    [InlineData(0xC2F7, -123.5f)]
    [InlineData(0x0000, 0.0f)]
    public void BFloat16_is_the_top_half_of_a_float(int bfloat16, float expected)
    {
        Assert.Equal(expected, ElementDecoder.BFloat16ToSingle((ushort)bfloat16));
        Assert.Equal(0x7F810000u, ElementDecoder.SingleToBits(ElementDecoder.BFloat16ToSingle(0x7F81)));
    }

    [Theory]
    [InlineData(16777217L, 0x4B800000u)]                                // 2^24 + 1 ties to even: 2^24
    [InlineData(16777219L, 0x4B800002u)]                                // 2^24 + 3 ties to even: 2^24 + 4
    [InlineData((1L << 60) + (1L << 36) + 1, 0x5D800001u)]              // just above a tie: rounds up (double rounding would not)
    [InlineData((1L << 60) + (1L << 36), 0x5D800000u)]                  // exact tie: to even
    [InlineData(-((1L << 60) + (1L << 36) + 1), 0xDD800001u)]
    [InlineData(long.MinValue, 0xDF000000u)]
    [InlineData(long.MaxValue, 0x5F000000u)]
    [InlineData((1L << 53) + 1, 0x5A000000u)]
    [InlineData(-1L, 0xBF800000u)]
    public void Int64_rounds_once_to_nearest_even(long value, uint expectedBits)
    {
        Assert.Equal(expectedBits, ElementDecoder.SingleToBits(ElementDecoder.Int64ToSingle(value)));
    }

    [Fact]
    public void Int64_matches_correct_rounding_on_random_values()
    {
        var random = new Random(7);
        var buffer = new byte[8];
        for (int i = 0; i < 100_000; i++)
        {
            random.NextBytes(buffer);
            long value = BitConverter.ToInt64(buffer, 0) >> random.Next(40);
            float expected = (float)(decimal)value; // decimal → float rounds once from the exact value
            Assert.Equal(BitConverter.SingleToUInt32Bits(expected), ElementDecoder.SingleToBits(ElementDecoder.Int64ToSingle(value)));
        }
    }

    [Fact]
    public void Decode_reads_little_endian_of_every_type()
    {
        byte[] bytes = { 0x00, 0x00, 0x80, 0xBF, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
        Assert.Equal(-1f, ElementDecoder.Decode(ElementType.Float32, bytes, 0));
        Assert.Equal(-2f, ElementDecoder.Decode(ElementType.Int32, bytes, 4));
        Assert.Equal(-2f, ElementDecoder.Decode(ElementType.Int64, bytes, 4));
        Assert.Equal(-2f, ElementDecoder.Decode(ElementType.Int16, bytes, 4));
        Assert.Equal(-2f, ElementDecoder.Decode(ElementType.Int8, bytes, 4));
        Assert.Equal(254f, ElementDecoder.Decode(ElementType.UInt8, bytes, 4));
        Assert.Equal(1f, ElementDecoder.Decode(ElementType.Bool, bytes, 4));
        Assert.Equal(0f, ElementDecoder.Decode(ElementType.Bool, bytes, 0));
        Assert.Equal(-1f, ElementDecoder.Decode(ElementType.Float64, BitConverter.GetBytes(-1.0), 0));
        Assert.Equal(0.1f, ElementDecoder.Decode(ElementType.Float64, BitConverter.GetBytes(0.1), 0));
    }
}
