using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Tests.Mcu;
using TinyLoc.Tests.Shared;

namespace TinyLoc.Bench;

/// <summary>
/// <c>tests/bench</c>: one command that measures the example models on Cortex-M4 (instructions per
/// inference, flash, static RAM) and writes <c>tests/bench/results.md</c>. See <see cref="BenchOptions.Usage"/>.
/// </summary>
public static class Program
{
    /// <summary>The example models measured.</summary>
    public static readonly string[] Models = ["kolakowski_mlp", "uji_mlp"];

    /// <summary>The sequence examples measured: every scheme but llm-int8, in both schedules (looped layers).</summary>
    public static readonly string[] SequenceModels = ["kolakowski_mamba", "kolakowski_mdcsa_l1", "kolakowski_mdcsa_l3", "kolakowski_cnn1d"];

    /// <summary>Runs the bench; exit code 0 on success, 1 on a failure, 2 on bad arguments or missing tools.</summary>
    /// <param name="args">The command line.</param>
    public static int Main(string[] args)
    {
        var options = BenchOptions.Parse(args);
        if (options is null)
        {
            return 2;
        }

        var missing = McuToolchain.Missing(McuTarget.CortexM4);
        if (missing.Count > 0)
        {
            Console.Error.WriteLine($"bench: missing {string.Join(", ", missing)}; install with: apt-get install {McuToolchain.Packages}");
            return 2;
        }

        try
        {
            var jobs = new List<Func<object>>();
            foreach (string model in options.Models.Where(Models.Contains))
            {
                string manifest = Path.Combine(RepoPaths.ExamplesModels, model + ".tinyloc.json");
                float[][] inputs = GoldenVectors.Load(Path.Combine(RepoPaths.ExamplesModels, model + ".golden.json")).Inputs;
                foreach (string scheme in new[] { "static", "none" })
                {
                    foreach (string form in scheme == "static" ? new[] { "all", "wide", "none" } : new[] { "all", "none" })
                    {
                        jobs.Add(() => ModelBench.Measure(manifest, scheme, form, inputs));
                        if (scheme == "static" && form != "wide")
                        {
                            jobs.Add(() => ModelBench.Measure(manifest, scheme, form, inputs, portable: true));
                        }
                    }
                }

                if (options.Onnx2c is string peer && options.OnnxDir is string onnxDir)
                {
                    jobs.Add(() => PeerBench.Measure(peer, onnxDir, manifest, inputs));
                }

                if (options.CmsisNn is string cmsis)
                {
                    jobs.Add(() => CmsisNnBench.Measure(cmsis, ModelBench.Compile(manifest, "static", "none"), inputs));
                }
            }

            foreach (string model in options.Models.Where(SequenceModels.Contains))
            {
                string manifest = Path.Combine(RepoPaths.ExamplesModels, model + ".tinyloc.json");
                float[][] inputs = GoldenVectors.Load(Path.Combine(RepoPaths.ExamplesModels, model + ".golden.json")).Inputs;
                foreach (string scheme in new[] { "static", "none", "dynamic" })
                {
                    foreach (var schedule in new[] { TinyLoc.Compiler.Passes.ScheduleMode.Fused, TinyLoc.Compiler.Passes.ScheduleMode.Layer })
                    {
                        // Static int8 calibrates on the golden windows, as the tests do (the manifests carry no ranges).
                        var compile = new TinyLoc.Compiler.CompileOptions { Schedule = schedule, CalibrationInputs = scheme == "static" ? inputs : null };
                        jobs.Add(() => ModelBench.Measure(manifest, scheme, "none", inputs, compile));
                    }
                }
            }

            if (!options.SkipProbe)
            {
                foreach (string scheme in new[] { "static", "none" })
                {
                    foreach (string form in scheme == "static" ? new[] { "all", "wide", "none" } : new[] { "all", "none" })
                    {
                        jobs.Add(() => DenseLayerProbe.Measure(scheme, form, 520, 64));
                    }
                }

                if (options.CmsisNn is string cmsis)
                {
                    jobs.Add(() => DenseLayerProbe.MeasurePeer(cmsis, 520, 64));
                }
            }

            // Biggest first, two at a time (each build is one gcc process).
            var results = new ConcurrentDictionary<int, object>();
            Parallel.ForEach(
                Enumerable.Range(0, jobs.Count).Reverse(),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) },
                i =>
                {
                    results[i] = jobs[i]();
                    Console.Error.WriteLine($"bench: {Describe(results[i])}");
                });

            var all = Enumerable.Range(0, jobs.Count).Select(i => results[i]).ToList();
            string markdown = ResultsWriter.Write(
                all.OfType<Measurement>().ToList(),
                all.OfType<DenseLayerProbe.Result>().ToList(),
                options.CmsisNn is string checkout ? [.. Toolchain.Versions(), CmsisNnBench.Describe(checkout)] : Toolchain.Versions(),
                all.OfType<PeerMeasurement>().ToList());
            Directory.CreateDirectory(Path.GetDirectoryName(options.Output)!);
            File.WriteAllText(options.Output, markdown);
            Console.WriteLine(markdown);
            Console.Error.WriteLine($"bench: wrote {options.Output}");
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or HarnessException or IOException or AggregateException)
        {
            Console.Error.WriteLine($"bench: {e.Message}");
            return 1;
        }
    }

    private static string Describe(object result) => result switch
    {
        Measurement m => $"{m.Model} {m.Scheme} {m.Form} {m.Schedule}{(m.Portable ? " portable" : string.Empty)}: {m.MeanInstructions:F0} instructions, {m.InstructionsPerMac:F2} per MAC, flash {m.FlashBytes} B (estimate {m.FlashEstimate} B), predict stack {m.PredictStackBytes} B",
        PeerMeasurement p => $"{p.Model} {p.Peer}: {p.MeanInstructions:F0} instructions, {p.InstructionsPerMac:F2} per MAC, flash {p.FlashBytes} B, worst relative error {p.WorstRelativeError:E2}",
        DenseLayerProbe.Result p => $"dense {p.In}x{p.Out} {p.Scheme} {p.Form}: {p.InstructionsPerMac:F3} per MAC",
        _ => result.ToString() ?? string.Empty,
    };
}
