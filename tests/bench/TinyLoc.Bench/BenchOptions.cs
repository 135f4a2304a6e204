using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Tests.Shared;

namespace TinyLoc.Bench;

/// <summary>The bench's command line.</summary>
/// <param name="Output">Where the markdown goes (default <c>tests/bench/results.md</c>).</param>
/// <param name="SkipProbe">Leave out the dense-layer probe (it builds four more programs).</param>
/// <param name="Models">The example models to measure (default: all of them).</param>
/// <param name="Onnx2c">A peer compiler's executable (onnx2c) to measure beside ours, or null.</param>
/// <param name="OnnxDir">The folder of the ONNX exports the peer compiles (NAME.onnx), or null.</param>
/// <param name="CmsisNn">A CMSIS-NN checkout to measure Arm's int8 kernels beside ours, or null.</param>
public sealed record BenchOptions(string Output, bool SkipProbe, IReadOnlyList<string> Models, string? Onnx2c = null, string? OnnxDir = null, string? CmsisNn = null)
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: dotnet run --project tests/bench/TinyLoc.Bench -c Release -- [--out FILE] [--no-probe] [--model NAME ...]
                 [--onnx2c PATH --onnx-dir DIR] [--cmsis-nn DIR]

        Measures every example model on Cortex-M4 under QEMU (the MLPs int8 and float32, unrolled and looped;
        the sequence models static int8, float32 and dynamic int8 in the fused and the layer schedule) and
        writes a markdown table per model to FILE (default tests/bench/results.md). --model limits the run
        to some models, --no-probe leaves out the dense-layer probe (both for quick looks; the committed
        results come from a full run).
        --onnx2c PATH --onnx-dir DIR also measure a peer compiler: onnx2c (built outside the project from
        its public source) run on DIR/NAME.onnx (written by examples/training/export_onnx.py DIR); its rows
        and the instruction ratios join each model's table.
        --cmsis-nn DIR also runs the MLPs' static int8 layers (and the dense-layer probe) through Arm's own
        kernel, arm_fully_connected_per_channel_s8, from a CMSIS-NN checkout (git clone
        https://github.com/ARM-software/CMSIS-NN DIR; built outside the project, never copied into it).
        Needs arm-none-eabi-gcc, newlib, qemu-system-arm and gcc.
        """;

    /// <summary>Parses the arguments; null (after printing why) when they are wrong.</summary>
    /// <param name="args">The command line.</param>
    public static BenchOptions? Parse(string[] args)
    {
        string output = Path.Combine(RepoPaths.RepoRoot, "tests", "bench", "results.md");
        bool skipProbe = false;
        var models = new List<string>();
        string? onnx2c = null;
        string? onnxDir = null;
        string? cmsisNn = null;
        for (int i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--model" when i + 1 < args.Length && !Program.Models.Contains(args[i + 1]) && !Program.SequenceModels.Contains(args[i + 1]):
                    Console.Error.WriteLine($"--model: '{args[i + 1]}' is not an example the bench measures ({string.Join(", ", Program.Models.Concat(Program.SequenceModels))})");
                    return null;
                case "--out":
                    output = Path.GetFullPath(Next() ?? string.Empty);
                    break;
                case "--model":
                    if (Next() is string m)
                    {
                        models.Add(m);
                    }

                    break;
                case "--onnx2c":
                    onnx2c = Path.GetFullPath(Next() ?? string.Empty);
                    break;
                case "--onnx-dir":
                    onnxDir = Path.GetFullPath(Next() ?? string.Empty);
                    break;
                case "--cmsis-nn":
                    cmsisNn = Path.GetFullPath(Next() ?? string.Empty);
                    break;
                case "--no-probe":
                    skipProbe = true;
                    break;
                case "-h":
                case "--help":
                    Console.WriteLine(Usage);
                    return null;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'\n{Usage}");
                    return null;
            }
        }

        if ((onnx2c is null) != (onnxDir is null))
        {
            Console.Error.WriteLine($"--onnx2c and --onnx-dir go together\n{Usage}");
            return null;
        }

        if (onnx2c is not null && !File.Exists(onnx2c))
        {
            Console.Error.WriteLine($"--onnx2c: no such file '{onnx2c}'");
            return null;
        }

        if (onnxDir is not null && !Directory.Exists(onnxDir))
        {
            Console.Error.WriteLine($"--onnx-dir: no such folder '{onnxDir}'");
            return null;
        }

        if (cmsisNn is not null && !CmsisNnBench.IsCheckout(cmsisNn))
        {
            Console.Error.WriteLine($"--cmsis-nn: '{cmsisNn}' is not a CMSIS-NN checkout (no Include/arm_nnfunctions.h and the fully connected sources)");
            return null;
        }

        return new BenchOptions(output, skipProbe, models.Count > 0 ? models : [.. Program.Models, .. Program.SequenceModels], onnx2c, onnxDir, cmsisNn);
    }
}
