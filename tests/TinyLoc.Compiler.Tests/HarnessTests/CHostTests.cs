using System;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.HarnessTests;

public sealed class CHostTests : IDisposable
{
    private readonly ScratchDirectory sources = ScratchDirectory.Create("chost-tests");

    public void Dispose()
    {
        sources.MarkSucceeded();
        sources.Dispose();
    }

    /// <summary>Expects a harness failure, checks that its files were kept, then removes them.</summary>
    private static HarnessException ExpectFailure(Action action)
    {
        var e = Assert.Throws<HarnessException>(action);
        Assert.NotNull(e.KeptDirectory);
        Assert.Contains(e.KeptDirectory, e.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(e.KeptDirectory));
        Directory.Delete(e.KeptDirectory, recursive: true);
        return e;
    }

    [Fact]
    public void Run_returns_bit_exact_outputs_and_classes()
    {
        SampleModels.WriteToyC(sources.Path);
        float[][] inputs =
        [
            [1.0f, -2.5f, 3.25f],
            [-0.0f, float.Epsilon, 3e38f],
            [float.NaN, float.NegativeInfinity, 0.1f],
            [5.0f, 7.0f, 6.0f],
        ];

        CRunResult result = CHost.Run(sources.Path, SampleModels.ToyName, inputs, classify: true);

        float[][] expected = inputs.Select(v => v.Select(x => x * 2.0f).ToArray()).ToArray();
        FloatCompare.AssertBitIdentical(expected, result.Outputs, "host C toy vs x*2");
        Assert.Equal(0x80000000u, BitConverter.SingleToUInt32Bits(result.Outputs[1][0]));
        Assert.True(float.IsPositiveInfinity(result.Outputs[1][2]));
        Assert.Equal([2, 2, 0, 1], result.Classes!);
    }

    [Fact]
    public void Run_shows_an_output_the_model_forgot_to_write_as_all_ones()
    {
        string[] files = SampleModels.WriteToyC(sources.Path, "    output[0] = input[0];\n    output[1] = input[1];\n    (void)input;");

        CRunResult result = CHost.Run(files, SampleModels.ToyName, [[1.0f, 2.0f, 3.0f]]);

        Assert.Null(result.Classes);
        Assert.Equal(0xffffffffu, BitConverter.SingleToUInt32Bits(result.Outputs[0][2]));
    }

    [Fact]
    public void Run_reports_sanitizer_errors_with_the_programs_stderr()
    {
        SampleModels.WriteToyC(sources.Path, SampleModels.ToyPredictBody + "\n    output[TOY_OUTPUT_COUNT] = 0.0f;");

        var e = ExpectFailure(() => CHost.Run(sources.Path, SampleModels.ToyName, [[1.0f, 2.0f, 3.0f]]));

        Assert.Contains("AddressSanitizer", e.Message, StringComparison.Ordinal);
        Assert.Contains("stack-buffer-overflow", e.Message, StringComparison.Ordinal);
        Assert.Contains("in toy_predict", e.Message, StringComparison.Ordinal);
        Assert.Contains("toy.c:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_reports_compile_errors_and_warnings_with_gccs_output()
    {
        SampleModels.WriteToyC(sources.Path, SampleModels.ToyPredictBody + "\n    { int unused_value = 1; }");

        var e = ExpectFailure(() => CHost.Run(sources.Path, SampleModels.ToyName, [[1.0f, 2.0f, 3.0f]]));

        Assert.Contains("C compile of model 'toy' failed", e.Message, StringComparison.Ordinal);
        Assert.Contains("unused_value", e.Message, StringComparison.Ordinal);
        Assert.Contains("-Werror", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_refuses_inputs_of_the_wrong_length_at_compile_time()
    {
        SampleModels.WriteToyC(sources.Path);

        var e = ExpectFailure(() => CHost.Run(sources.Path, SampleModels.ToyName, [[1.0f, 2.0f]]));

        Assert.Contains("TOY_INPUT_COUNT differs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompileOnly_checks_sources_and_self_contained_headers()
    {
        string[] files = SampleModels.WriteToyC(sources.Path);
        Assert.Equal(string.Empty, CHost.CompileOnly(files));

        string lonely = Path.Combine(sources.Path, "needs_stdint.h");
        File.WriteAllText(lonely, "#ifndef NEEDS_STDINT_H\n#define NEEDS_STDINT_H\nextern int8_t lonely_table[4];\n#endif\n");
        var e = ExpectFailure(() => CHost.CompileOnly([lonely]));
        Assert.Contains("needs_stdint.h", e.Message, StringComparison.Ordinal);
        Assert.Contains("int8_t", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompileOnly_passes_extra_flags()
    {
        string source = Path.Combine(sources.Path, "flagged.c");
        File.WriteAllText(source, "#ifndef TL_MUST_BE_SET\n#error TL_MUST_BE_SET missing\n#endif\nint flagged_value = TL_MUST_BE_SET;\n");

        ExpectFailure(() => CHost.CompileOnly([source]));
        CHost.CompileOnly([source], ["-DTL_MUST_BE_SET=3"]);
    }
}
