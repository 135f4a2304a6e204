using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using TinyLoc.Compiler;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Numerics;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Tests.Mcu;

namespace TinyLoc.Bench;

/// <summary>
/// Arm's own int8 kernels beside ours, on the same layers: the static int8 model's dense layers run through CMSIS-NN's
/// <c>arm_fully_connected_per_channel_s8</c> (from a checkout the user gives with <c>--cmsis-nn DIR</c>; the project
/// holds none of its code), with our int8 weights, biases, per-channel multipliers and shifts, zero points and clamps,
/// built with the Cortex-M4 flags of <c>tests/mcu</c> (its DSP path: <c>__ARM_FEATURE_DSP</c>), linked with the same
/// startup code and driver and counted with the same plugin.
/// </summary>
/// <remarks>
/// The driver hands the peer the model's input already quantised by our reference (whole int8 values as floats): the
/// peer's predict converts them to int8, runs the layers and dequantises the last one as our code does, so both sides
/// do the same work but input quantisation. CMSIS-NN requantises as TensorFlow Lite does (a rounding doubling high
/// multiply, then a rounding shift: two roundings where ours has one), so an output may differ from ours by a unit in
/// the last place; the bench reports the largest difference in output steps and fails beyond <see cref="MaxSteps"/>.
/// </remarks>
public static class CmsisNnBench
{
    /// <summary>The most output steps (quantisation units) the peer may differ from our reference.</summary>
    public const int MaxSteps = 2;

    /// <summary>The CMSIS-NN sources the per-channel fully connected kernel needs, relative to the checkout.</summary>
    private static readonly string[] Sources =
    [
        "Source/FullyConnectedFunctions/arm_fully_connected_per_channel_s8.c",
        "Source/NNSupportFunctions/arm_nn_vec_mat_mult_t_per_ch_s8.c",
    ];

    /// <summary>True if <paramref name="dir"/> looks like a CMSIS-NN checkout (its header and the kernel's sources).</summary>
    public static bool IsCheckout(string dir) =>
        File.Exists(Path.Combine(dir, "Include", "arm_nnfunctions.h")) && Sources.All(s => File.Exists(Path.Combine(dir, s)));

    /// <summary>The toolchain line of the results: the checkout's commit (from git, when it is a clone) and how it is built.</summary>
    /// <param name="cmsisNn">The CMSIS-NN checkout.</param>
    public static string Describe(string cmsisNn)
    {
        var head = ProcessRunner.Run("git", ["-C", cmsisNn, "rev-parse", "HEAD"], cmsisNn, TimeSpan.FromMinutes(1));
        string commit = head.Succeeded ? "commit " + head.StandardOutput.Trim() : "(not a git clone)";
        return $"CMSIS-NN: the checkout given with `--cmsis-nn`, {commit}; its `Include/` on the include path and the kernel's two sources compiled into the peer's object, with the flags above and `-w`";
    }

    /// <summary>Builds and measures the peer's program for a static int8 compilation of a dense model.</summary>
    /// <param name="cmsisNn">The CMSIS-NN checkout.</param>
    /// <param name="c">The compilation (scheme static): quantize, qlinear layers, dequantize.</param>
    /// <param name="inputs">Raw inputs, as our code takes them.</param>
    public static PeerMeasurement Measure(string cmsisNn, Compilation c, float[][] inputs)
    {
        var g = c.Graph!;
        string name = c.Manifest!.Name;
        var nodes = g.Nodes;
        if (nodes.Count < 3 || nodes[0].Op is not Quantize quantize || nodes[^1].Op is not Dequantize || nodes.Skip(1).Take(nodes.Count - 2).Any(n => n.Op is not QLinear))
        {
            throw new InvalidOperationException($"{name}: the CMSIS-NN peer takes a static int8 dense model (quantize, qlinear layers, dequantize)");
        }

        var scratch = ScratchDirectory.Create($"peer-cmsis-nn-{name}");
        string modelDir = Path.Combine(scratch.Path, "model");
        Directory.CreateDirectory(modelDir);
        string source = Path.Combine(modelDir, name + ".c");
        File.WriteAllText(source, Program(cmsisNn, c));
        File.WriteAllText(Path.Combine(modelDir, name + ".h"), Header(name, g[g.Input].Elements, g[g.Output].Elements));

        // The peer starts from our int8 input (whole numbers, exact as floats).
        float[][] quantised = inputs.Select(v => v.Select(x => (float)QuantMath.QuantizeInput(quantize.Normalize is null ? x : quantize.Normalize.Apply(x), quantize.InvScale, quantize.ZeroPoint)).ToArray()).ToArray();
        var build = McuBuilder.BuildSources(McuTarget.CortexM4, scratch, name, source, modelDir, quantised, classify: false, ["-w", "-I" + Path.Combine(cmsisNn, "Include")]);
        var run = QemuRunner.Run(build, inputs.Length, classify: false, countInstructions: true);
        float step = g[nodes[^1].Inputs[0]].Quant!.Scale;
        double worst = 0;
        for (int v = 0; v < inputs.Length; v++)
        {
            float[] reference = c.Evaluate(inputs[v]);
            for (int i = 0; i < reference.Length; i++)
            {
                double steps = Math.Abs(run.Result.Outputs[v][i] - reference[i]) / step;
                worst = Math.Max(worst, steps);
                if (!(steps <= MaxSteps + 1e-3))
                {
                    throw new InvalidOperationException($"CMSIS-NN's {name} differs from ours by {steps:F1} output steps at vector {v}, index {i}: not the same layers");
                }
            }
        }

        var counts = run.PerInference;
        return new PeerMeasurement(name, "CMSIS-NN", c.Report!.Macs, counts.Average(), counts.Min(), counts.Max(), build.ModelFlashBytes, build.ModelStaticRamBytes, worst);
    }

    /// <summary>
    /// The peer's C file: CMSIS-NN's kernel sources included into it (one translation unit, so one object for the
    /// map's model figures), the layers' tables, and <c>NAME_predict</c>.
    /// </summary>
    private static string Program(string cmsisNn, Compilation c)
    {
        var g = c.Graph!;
        string name = c.Manifest!.Name;
        var s = new StringBuilder();
        void L(string line) => s.Append(line).Append('\n');
        L("/* The CMSIS-NN peer of the tinyloc bench: our int8 layers through arm_fully_connected_per_channel_s8. */");
        L("#include \"arm_nnfunctions.h\"");
        foreach (string src in Sources)
        {
            L($"#include \"{Path.Combine(cmsisNn, src)}\"");
        }

        L($"#include \"{name}.h\"");
        var layers = g.Nodes.Where(n => n.Op is QLinear).ToList();
        for (int i = 0; i < layers.Count; i++)
        {
            var q = (QLinear)layers[i].Op;
            int zpIn = g[layers[i].Inputs[0]].Quant!.ZeroPoint;
            // Our bias has the input zero point folded in (b − zp·Σw); CMSIS-NN adds the offset to each input instead.
            var bias = Enumerable.Range(0, q.Out).Select(o => q.Bias[o] + (zpIn * Enumerable.Range(0, q.In).Sum(k => q.Weight[(o * q.In) + k])));
            L($"static const int8_t w{i}[{q.Out * q.In}] = {{ {Join(q.Weight.Select(v => (int)v))} }};");
            L($"static const int32_t b{i}[{q.Out}] = {{ {Join(bias)} }};");
            L($"static const int32_t m{i}[{q.Out}] = {{ {Join(q.Multiplier)} }};");
            // Ours: acc·m / 2^rs (rs a right shift); CMSIS-NN: acc·m / 2^31, then a shift left by its shift (negative: right).
            L($"static const int32_t s{i}[{q.Out}] = {{ {Join(q.Shift.Select(rs => 31 - rs))} }};");
            L($"static int8_t y{i}[{q.Out}];");
        }

        int inputs = g[g.Input].Elements;
        var last = g[g.Nodes[^1].Inputs[0]].Quant!;
        L($"static int8_t x0[{inputs}];");
        L($"void {name}_predict(const float *input, float *output)");
        L("{");
        L("    const cmsis_nn_context ctx = { 0, 0 };");
        L($"    for (int i = 0; i < {inputs}; i++) {{ x0[i] = (int8_t)input[i]; }}");
        string x = "x0";
        for (int i = 0; i < layers.Count; i++)
        {
            var q = (QLinear)layers[i].Op;
            int zpIn = g[layers[i].Inputs[0]].Quant!.ZeroPoint;
            L("    {");
            L($"        const cmsis_nn_fc_params fc = {{ {-zpIn}, 0, {q.OutZeroPoint}, {{ {q.Lo}, {q.Hi} }} }};");
            L($"        const cmsis_nn_per_channel_quant_params qp = {{ (int32_t *)m{i}, (int32_t *)s{i} }};");
            L($"        const cmsis_nn_dims in = {{ 1, 1, 1, {q.In} }}, filter = {{ {q.In}, 1, 1, {q.Out} }}, bias = {{ 1, 1, 1, {q.Out} }}, out = {{ 1, 1, 1, {q.Out} }};");
            L($"        arm_fully_connected_per_channel_s8(&ctx, &fc, &qp, &in, {x}, &filter, w{i}, &bias, b{i}, &out, y{i});");
            L("    }");
            x = $"y{i}";
        }

        L($"    for (int i = 0; i < {g[g.Output].Elements}; i++) {{ output[i] = (float)({x}[i] - ({last.ZeroPoint})) * {TinyLoc.Compiler.Util.Fmt.FloatLiteral(last.Scale)}; }}");
        L("}");
        return s.ToString();
    }

    private static string Header(string name, int inputs, int outputs)
    {
        string macro = ModelNames.MacroPrefix(name);
        return string.Create(CultureInfo.InvariantCulture, $"#ifndef {macro}_PEER_H\n#define {macro}_PEER_H\n#define {macro}_INPUT_COUNT {inputs}\n#define {macro}_OUTPUT_COUNT {outputs}\nvoid {name}_predict(const float *input, float *output);\n#endif\n");
    }

    private static string Join<T>(IEnumerable<T> values) => string.Join(", ", values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));
}
