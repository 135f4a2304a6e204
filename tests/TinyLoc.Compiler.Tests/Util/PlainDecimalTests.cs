using System;
using System.Globalization;
using TinyLoc.Compiler.Util;
using Xunit;

namespace TinyLoc.Compiler.Tests.Util;

/// <summary>The CSV reader's string-free number parser gives float.Parse's bits, or leaves the text to float.Parse.</summary>
public sealed class PlainDecimalTests
{
    [Theory]
    [InlineData("-85", true)]
    [InlineData("100", true)]
    [InlineData("+4.25", true)]
    [InlineData("-0", true)]
    [InlineData("0.00000001", true)]
    [InlineData("123456789", true)]
    [InlineData("16777217", true)]
    [InlineData("16777219", true)]
    [InlineData("33554434", true)]
    [InlineData("33554438", true)]
    [InlineData("0.1", true)]
    [InlineData("-104.00001", true)]
    [InlineData(".5", true)]
    [InlineData("5.", true)]
    [InlineData("1234567890", false)]
    [InlineData("0.000000001", false)]
    [InlineData("1e5", false)]
    [InlineData("NaN", false)]
    [InlineData("-", false)]
    [InlineData(".", false)]
    [InlineData("1.2.3", false)]
    [InlineData("--1", false)]
    public void PlainDecimalsParseAndOthersAreLeftAlone(string text, bool plain)
    {
        Assert.Equal(plain, PlainDecimal.TryParse(text.ToCharArray(), 0, text.Length, out float value));
        if (plain)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(float.Parse(text, CultureInfo.InvariantCulture)), BitConverter.SingleToInt32Bits(value));
        }
    }

    [Fact]
    public void RandomShortDecimalsGiveFloatParsesBits()
    {
        var rng = new Random(15);
        int plain = 0;
        for (int i = 0; i < 300_000; i++)
        {
            int digits = rng.Next(1, 10);
            int fraction = rng.Next(0, Math.Min(digits, 8) + 1);
            long mantissa = (long)(rng.NextDouble() * Math.Pow(10, digits));
            string text = mantissa.ToString(CultureInfo.InvariantCulture).PadLeft(fraction + 1, '0');
            if (fraction > 0)
            {
                text = text.Insert(text.Length - fraction, ".");
            }

            text = (rng.Next(2) == 0 ? "-" : string.Empty) + text;
            if (PlainDecimal.TryParse(text.ToCharArray(), 0, text.Length, out float value))
            {
                plain++;
                Assert.True(
                    BitConverter.SingleToInt32Bits(float.Parse(text, CultureInfo.InvariantCulture)) == BitConverter.SingleToInt32Bits(value),
                    text + ": " + value.ToString("R", CultureInfo.InvariantCulture));
            }
        }

        Assert.True(plain > 250_000, plain + " of the texts were plain");
    }
}
