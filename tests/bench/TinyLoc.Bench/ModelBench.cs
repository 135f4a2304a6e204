using System;
using System.Linq;
using TinyLoc.Compiler;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Tests.Mcu;

namespace TinyLoc.Bench;

/// <summary>
/// Measures one compiled model on Cortex-M4: builds it with the MCU harness of the tests, runs every
/// input under QEMU with the instruction-counting plugin, checks the outputs against the reference
/// evaluator (a benchmark of wrong code is worthless), and reads sizes from the linker map.
/// </summary>
public static class ModelBench
{
    /// <summary>Compiles with the scheme and form (and other options); throws when compiling fails.</summary>
    /// <param name="manifest">The model's manifest path.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="form">The unroll mode.</param>
    /// <param name="options">Overrides of the compile options, or null.</param>
    public static Compilation Compile(string manifest, string scheme, string form, CompileOptions? options = null)
    {
        var c = Compilation.Create(manifest, (options ?? new CompileOptions()) with { Scheme = scheme, Unroll = UnrollSelection.Parse(form) });
        return c.Success ? c : throw new InvalidOperationException($"compiling {manifest} ({scheme}, {form}) failed:\n{string.Join("\n", c.Diagnostics.Items)}");
    }

    /// <summary>Compiles and measures; throws when compiling fails or the outputs are not bit-identical.</summary>
    /// <param name="manifest">The model's manifest path.</param>
    /// <param name="scheme"><c>static</c> or <c>none</c>.</param>
    /// <param name="form"><c>all</c> or <c>none</c>.</param>
    /// <param name="inputs">The inputs to run.</param>
    /// <param name="options">Overrides of the compile options (e.g. in-memory files), or null.</param>
    /// <param name="portable">Compile the model with <c>-DTINYLOC_NO_DSP</c>: the portable C instead of the DSP kernels.</param>
    public static Measurement Measure(string manifest, string scheme, string form, float[][] inputs, CompileOptions? options = null, bool portable = false)
    {
        var c = Compile(manifest, scheme, form, options);
        string schedule = c.Options.Schedule == ScheduleMode.Layer ? "layer" : "fused";

        string name = c.Manifest!.Name;
        bool classify = c.Manifest.Output.IsClassification;
        var build = McuBuilder.Build(c, McuTarget.CortexM4, inputs, $"bench-{name}-{scheme}-{form}-{schedule}", portable ? ["-DTINYLOC_NO_DSP"] : null);
        var run = QemuRunner.Run(build, inputs.Length, classify, countInstructions: true);
        var reference = inputs.Select(c.Evaluate).ToArray();
        for (int v = 0; v < inputs.Length; v++)
        {
            for (int i = 0; i < reference[v].Length; i++)
            {
                if (BitConverter.SingleToUInt32Bits(reference[v][i]) != BitConverter.SingleToUInt32Bits(run.Result.Outputs[v][i]))
                {
                    throw new InvalidOperationException(
                        $"{name} ({scheme}, {form}) on Cortex-M4 differs from the reference at vector {v}, index {i}: "
                        + $"expected {FloatBits.Describe(reference[v][i])}, got {FloatBits.Describe(run.Result.Outputs[v][i])}");
                }
            }
        }

        var r = c.Report!;
        var counts = run.PerInference;
        return new Measurement(
            name,
            scheme,
            form,
            portable,
            r.Macs,
            counts.Average(),
            counts.Min(),
            counts.Max(),
            build.ModelFlashBytes,
            r.FlashBytes,
            build.ModelStaticRamBytes,
            r.ArenaBytes,
            r.ArenaLowerBound,
            build.PredictStackBytes,
            schedule,
            r.RamBytes - r.RuntimeStateBytes);
    }
}
