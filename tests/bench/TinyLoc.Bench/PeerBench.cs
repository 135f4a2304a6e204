using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using TinyLoc.Compiler;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Tests.Mcu;

namespace TinyLoc.Bench;

/// <summary>
/// Measures a peer compiler's code for the same model beside ours: onnx2c (ONNX → C, built by the user
/// from its public source; the project holds none of its code) run on an ONNX export of the example
/// model (<c>examples/training/export_onnx.py</c>), its C cross-compiled with the Cortex-M4 flags of
/// <c>tests/mcu</c>, linked with the same startup code and driver, and counted with the same plugin.
/// </summary>
/// <remarks>
/// The export is the network on normalised input, so the driver feeds the peer the golden inputs
/// normalised exactly as our generated code does (<see cref="NormalizeParams.Apply"/>). Its outputs
/// must agree with our float32 reference evaluator within <see cref="RelativeTolerance"/> (relative to
/// the larger of 1 and the reference's magnitude): a check that it is the same model, not a bit-exact
/// one (the peer sums in its own order). The peer's C is compiled with <c>-w</c> after the usual flags:
/// it does not pass our <c>-pedantic -Werror</c> (it passes <c>float (*)[n]</c> where <c>const float
/// (*)[n]</c> is expected), and <c>-w</c> changes no code generation.
/// </remarks>
public static class PeerBench
{
    /// <summary>The agreement demanded of the peer's outputs with our float32 reference.</summary>
    public const double RelativeTolerance = 1e-4;

    /// <summary>The name the peer's entry function is given (<c>onnx2c -f</c>), after the model's name.</summary>
    private const string EntrySuffix = "_onnx2c_entry";

    /// <summary>Runs onnx2c on <c>ONNX_DIR/NAME.onnx</c>, builds and measures its code.</summary>
    /// <param name="onnx2c">The peer compiler's executable.</param>
    /// <param name="onnxDir">The folder of the ONNX exports.</param>
    /// <param name="manifest">Our manifest of the same model.</param>
    /// <param name="inputs">The golden inputs (raw RSSI, as our code takes them).</param>
    public static PeerMeasurement Measure(string onnx2c, string onnxDir, string manifest, float[][] inputs)
    {
        var c = Compilation.Create(manifest, new CompileOptions() with { Scheme = "none" });
        if (!c.Success)
        {
            throw new InvalidOperationException($"compiling {manifest} (none) failed:\n{string.Join("\n", c.Diagnostics.Items)}");
        }

        var m = c.Manifest!;
        string name = m.Name;
        string onnx = Path.Combine(onnxDir, name + ".onnx");
        if (!File.Exists(onnx))
        {
            throw new InvalidOperationException($"no ONNX export of {name}: {onnx} is missing (write it with examples/training/export_onnx.py)");
        }

        var scratch = ScratchDirectory.Create($"peer-onnx2c-{name}");
        string modelDir = Path.Combine(scratch.Path, "model");
        Directory.CreateDirectory(modelDir);
        var gen = ProcessRunner.Run(onnx2c, ["-f", name + EntrySuffix, onnx], modelDir, TimeSpan.FromMinutes(5));
        if (!gen.Succeeded || gen.StandardOutput.Length == 0)
        {
            throw new HarnessException($"onnx2c failed on {onnx}.\n{gen.Describe()}", scratch.Path);
        }

        string source = Path.Combine(modelDir, name + ".c");
        File.WriteAllText(source, gen.StandardOutput);
        File.WriteAllText(Path.Combine(modelDir, name + ".h"), Header(name, m.Input.Count, m.Output.Count));

        var norm = NormalizeParams.Create(m.Input.RssiMin, m.Input.RssiMax, m.Input.MissingValue);
        float[][] normalised = inputs.Select(v => v.Select(norm.Apply).ToArray()).ToArray();
        var build = McuBuilder.BuildSources(McuTarget.CortexM4, scratch, name, source, modelDir, normalised, classify: false, ["-w"]);
        var run = QemuRunner.Run(build, inputs.Length, classify: false, countInstructions: true);
        double worst = 0;
        for (int v = 0; v < inputs.Length; v++)
        {
            float[] reference = c.Evaluate(inputs[v]);
            for (int i = 0; i < reference.Length; i++)
            {
                double got = run.Result.Outputs[v][i];
                double error = Math.Abs(got - reference[i]) / Math.Max(1.0, Math.Abs(reference[i]));
                worst = Math.Max(worst, error);
                if (!(error <= RelativeTolerance))
                {
                    throw new InvalidOperationException(
                        $"onnx2c's {name} on Cortex-M4 is not the same model: vector {v}, index {i}: "
                        + $"expected {FloatBits.Describe(reference[i])}, got {FloatBits.Describe((float)got)} (relative error {error:E2})");
                }
            }
        }

        var counts = run.PerInference;
        return new PeerMeasurement(
            name,
            "onnx2c",
            c.Report!.Macs,
            counts.Average(),
            counts.Min(),
            counts.Max(),
            build.ModelFlashBytes,
            build.ModelStaticRamBytes,
            worst);
    }

    /// <summary>The header the driver includes: the counts, and <c>NAME_predict</c> mapped onto the peer's entry (no extra call).</summary>
    private static string Header(string name, int inputs, int outputs)
    {
        string macro = ModelNames.MacroPrefix(name);
        string entry = name + EntrySuffix;
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"#ifndef {macro}_PEER_H\n#define {macro}_PEER_H\n");
        s.Append(CultureInfo.InvariantCulture, $"#define {macro}_INPUT_COUNT {inputs}\n#define {macro}_OUTPUT_COUNT {outputs}\n");
        s.Append(CultureInfo.InvariantCulture, $"void {entry}(const float input[1][{inputs}], float output[1][{outputs}]);\n");
        s.Append(CultureInfo.InvariantCulture, $"#define {name}_predict(in, out) {entry}((const float (*)[{inputs}])(in), (float (*)[{outputs}])(out))\n");
        s.Append("#endif\n");
        return s.ToString();
    }
}

/// <summary>What the bench measured for a peer compiler's code of one model on Cortex-M4 (float32, its only form here).</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Peer">The peer compiler (<c>onnx2c</c>).</param>
/// <param name="Macs">Multiply-accumulates per inference (our compiler's report of the same model).</param>
/// <param name="MeanInstructions">Instructions per inference, the mean over the inputs run.</param>
/// <param name="MinInstructions">The fewest instructions of one inference.</param>
/// <param name="MaxInstructions">The most instructions of one inference.</param>
/// <param name="FlashBytes">The peer's text + rodata in the linked image (from the map).</param>
/// <param name="StaticRamBytes">The peer's data + bss in the linked image (from the map).</param>
/// <param name="WorstRelativeError">The largest disagreement with our float32 reference.</param>
public sealed record PeerMeasurement(
    string Model,
    string Peer,
    long Macs,
    double MeanInstructions,
    long MinInstructions,
    long MaxInstructions,
    long FlashBytes,
    long StaticRamBytes,
    double WorstRelativeError)
{
    /// <summary>Instructions per MAC of the whole inference.</summary>
    public double InstructionsPerMac => MeanInstructions / Macs;
}
