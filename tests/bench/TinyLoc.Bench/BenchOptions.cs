using System;
using System.Collections.Generic;
using System.IO;
using TinyLoc.Compiler.Tests.Harness;

namespace TinyLoc.Bench;

/// <summary>The bench's command line.</summary>
/// <param name="Output">Where the markdown goes (default <c>tests/bench/results.md</c>).</param>
/// <param name="SkipProbe">Leave out the dense-layer probe (it builds four more programs).</param>
/// <param name="Models">The example models to measure (default: all of them).</param>
public sealed record BenchOptions(string Output, bool SkipProbe, IReadOnlyList<string> Models)
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: dotnet run --project tests/bench/TinyLoc.Bench -c Release -- [--out FILE] [--no-probe] [--model NAME ...]

        Measures every example model (int8 and float32, unrolled and looped) on Cortex-M4 under QEMU and
        writes a markdown table per model to FILE (default tests/bench/results.md). --model limits the run
        to some models, --no-probe leaves out the dense-layer probe (both for quick looks; the committed
        results come from a full run).
        Needs arm-none-eabi-gcc, newlib, qemu-system-arm and gcc.
        """;

    /// <summary>Parses the arguments; null (after printing why) when they are wrong.</summary>
    /// <param name="args">The command line.</param>
    public static BenchOptions? Parse(string[] args)
    {
        string output = Path.Combine(TestPaths.RepoRoot, "tests", "bench", "results.md");
        bool skipProbe = false;
        var models = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--out":
                    output = Path.GetFullPath(Next() ?? string.Empty);
                    break;
                case "--model":
                    if (Next() is string m)
                    {
                        models.Add(m);
                    }

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

        return new BenchOptions(output, skipProbe, models.Count > 0 ? models : Program.Models);
    }
}
