using System;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.HarnessTests;

public sealed class NamingTests
{
    [Theory]
    [InlineData("kolakowski_mlp", "KolakowskiMlp", "KOLAKOWSKI_MLP")]
    [InlineData("mdcsa_crf_int8", "MdcsaCrfInt8", "MDCSA_CRF_INT8")]
    [InlineData("toy", "Toy", "TOY")]
    public void Model_names_map_to_symbols(string name, string pascal, string macro)
    {
        Assert.Equal(pascal, ModelNames.PascalCase(name));
        Assert.Equal(macro, ModelNames.MacroPrefix(name));
    }

    [Fact]
    public void Float_bits_round_trip_through_hex()
    {
        Assert.Equal("3f800000", FloatBits.ToHex(1.0f));
        Assert.Equal("80000000", FloatBits.ToHex(-0.0f));
        Assert.Equal(0x7fc00001u, BitConverter.SingleToUInt32Bits(FloatBits.FromHex("7FC00001")));
        Assert.Equal("0.1 (0x3dcccccd)", FloatBits.Describe(0.1f));
        Assert.Throws<FormatException>(() => FloatBits.FromHex("3f80000"));
    }
}
