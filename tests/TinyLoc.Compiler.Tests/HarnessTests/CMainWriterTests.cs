using System;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.HarnessTests;

public sealed class CMainWriterTests
{
    [Fact]
    public void Embeds_inputs_as_exact_bit_patterns()
    {
        string main = CMainWriter.Write("kolakowski_mlp", [[1.0f, -0.0f], [float.Epsilon, 0.1f]], classify: true);

        Assert.Contains("#include \"kolakowski_mlp.h\"", main, StringComparison.Ordinal);
        Assert.Contains("{ 0x3f800000u, 0x80000000u }", main, StringComparison.Ordinal);
        Assert.Contains("{ 0x00000001u, 0x3dcccccdu }", main, StringComparison.Ordinal);
        Assert.Contains("#if KOLAKOWSKI_MLP_INPUT_COUNT != 2", main, StringComparison.Ordinal);
        Assert.Contains("kolakowski_mlp_predict(input, output);", main, StringComparison.Ordinal);
        Assert.Contains("kolakowski_mlp_classify(input)", main, StringComparison.Ordinal);
    }

    [Fact]
    public void Leaves_out_classify_unless_asked()
    {
        string main = CMainWriter.Write("toy", [[1.0f]], classify: false);

        Assert.DoesNotContain("toy_classify", main, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_ragged_or_empty_inputs_and_bad_names()
    {
        Assert.Throws<ArgumentException>(() => CMainWriter.Write("toy", [], classify: false));
        Assert.Throws<ArgumentException>(() => CMainWriter.Write("toy", [[1.0f, 2.0f], [1.0f]], classify: false));
        Assert.Throws<ArgumentException>(() => CMainWriter.Write("toy model", [[1.0f]], classify: false));
    }

    [Fact]
    public void ParseOutput_reads_the_protocol_and_detects_a_truncated_run()
    {
        CRunResult result = CHost.ParseOutput(
            "tinyloc-output 0 3f800000 80000000\ntinyloc-class 0 1\ntinyloc-output 1 7fc00000 00000001\ntinyloc-class 1 0\ntinyloc-done 2\n",
            vectorCount: 2,
            classify: true);

        Assert.Equal(1.0f, result.Outputs[0][0]);
        Assert.Equal(0x80000000u, BitConverter.SingleToUInt32Bits(result.Outputs[0][1]));
        Assert.Equal(float.Epsilon, result.Outputs[1][1]);
        Assert.Equal([1, 0], result.Classes!);

        Assert.Throws<FormatException>(() => CHost.ParseOutput("tinyloc-output 0 3f800000\n", 1, classify: false));
        Assert.Throws<FormatException>(() => CHost.ParseOutput("hello\ntinyloc-output 0 3f800000\ntinyloc-done 1\n", 1, classify: false));
        Assert.Throws<FormatException>(() => CHost.ParseOutput("tinyloc-output 0 3f80000\ntinyloc-done 1\n", 1, classify: false));
    }
}
