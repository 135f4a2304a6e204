using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace TinyLoc.Bench;

/// <summary>Writes the bench's markdown: a table per example model, then the dense-layer probe.</summary>
public static class ResultsWriter
{
    /// <summary>The whole results file.</summary>
    /// <param name="models">Measurements of the example models.</param>
    /// <param name="probes">Dense-layer probe results.</param>
    /// <param name="toolchain">One line per tool version.</param>
    /// <param name="peers">A peer compiler's measurements of the same models (empty without <c>--onnx2c</c>).</param>
    public static string Write(IReadOnlyList<Measurement> models, IReadOnlyList<DenseLayerProbe.Result> probes, IReadOnlyList<string> toolchain, IReadOnlyList<PeerMeasurement>? peers = null)
    {
        peers ??= [];
        var s = new StringBuilder();
        void L(string line = "") => s.Append(line).Append('\n');
        L("# TinyLoc on Cortex-M4: measured");
        L();
        L("Written by `dotnet run --project tests/bench/TinyLoc.Bench -c Release` (do not edit by hand; rerun it).");
        L("Each configuration's generated C is cross-compiled for Cortex-M4F (`arm-none-eabi-gcc -O2`, the flags of");
        L("`tests/mcu`), linked with the project's startup code, and run under `qemu-system-arm -M mps2-an386` on");
        L("the model's golden inputs; every output was checked bit-identical to the reference evaluator first.");
        L();
        L("- **instructions / inference**: executed instructions of one `predict` call, counted by the project's QEMU");
        L("  plugin (`tests/mcu/plugin`), the mean over the golden inputs. Instructions, not cycles: QEMU models no");
        L("  pipeline, flash wait states or caches. Input quantisation and output dequantisation are included.");
        L("- **flash**: the model's own `.text` + `.rodata` in the linked image, from the linker map (the compiler's");
        L("  estimate in brackets); **static RAM**: the model's `.data` + `.bss`; **arena**: the compiler's plan");
        L("  (its lower bound in brackets).");
        L("- **int8** rows use the Cortex-M DSP kernels (dual 16-bit MACs); **int8 (portable C)** is the same generated");
        L("  file compiled with `-DTINYLOC_NO_DSP`, the code every other target runs, for comparison. **wide** is the");
        L("  looped form with the int8 weights stored pre-extended as int16 pairs (`--unroll wide`; DSP cores only, so");
        L("  it has no portable row: there it compiles to the looped code). **int8 dynamic**: PyTorch's `quantize_dynamic`");
        L("  semantics (int8 weights, each layer's input quantised per call over the whole window).");
        L("- The sequence models run in two **schedules**: **fused** (the default: chains of per-step layers one time step");
        L("  at a time, rows and carries in the arena) and **layer** (`--schedule layer`: every layer over the whole");
        L("  window). **RAM total** is the report's for the model alone: arena, scratch, input and output, stack estimate.");
        if (peers.Any(p => p.Peer == CmsisPeer))
        {
            L("- **CMSIS-NN int8**: Arm's own kernel, `arm_fully_connected_per_channel_s8` (ARM-software/CMSIS-NN, Apache-2.0,");
            L("  built outside the project from a checkout given with `--cmsis-nn`), run on our static int8 layers (the same");
            L("  weights, biases, per-channel multipliers and shifts, zero points and clamps) with the same flags, startup,");
            L("  driver and plugin; its predict takes the input already quantised (a cast per input, where ours quantises raw");
            L("  RSSI) and dequantises the output as ours does. It requantises as TensorFlow Lite does (two roundings where");
            L(string.Create(CultureInfo.InvariantCulture, $"  ours has one), so its outputs agreed with ours within {CmsisNnBench.MaxSteps} output steps (the worst is in the log)."));
        }

        if (peers.Any(p => p.Peer != CmsisPeer))
        {
            L("- **onnx2c float32**: a peer compiler, onnx2c (kraiskil/onnx2c, MIT) (ONNX → C, built outside");
            L("  the project from its public source), run on an ONNX export of the same network");
            L("  (`examples/training/export_onnx.py`, float32, without the input normalisation); its C is built and run");
            L("  exactly as ours (same flags with `-w`, startup, driver and plugin) on the golden inputs normalised as");
            L(string.Create(CultureInfo.InvariantCulture, $"  our code does them, and its outputs agreed with our float32 reference within {PeerBench.RelativeTolerance:0.#####} relative. Its flash and"));
            L("  static RAM are those of its own object file; it has no arena plan.");
        }

        L();
        foreach (var group in models.GroupBy(m => m.Model).OrderBy(g => g.Key, System.StringComparer.Ordinal))
        {
            L($"## {group.Key}");
            L();
            L("| code | layers | MACs | instructions / inference | instructions / MAC | flash: text + rodata (estimate) | static RAM: data + bss | arena (lower bound) | RAM total (report) |");
            L("|---|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var m in group.OrderBy(m => SchemeOrder(m.Scheme)).ThenBy(m => m.Portable ? 1 : 0).ThenBy(m => FormOrder(m.Form)).ThenBy(m => m.Schedule == "fused" ? 0 : 1))
            {
                string layers = FormName(m.Form) + (Program.SequenceModels.Contains(m.Model) ? $", {m.Schedule} schedule" : string.Empty);
                L($"| {SchemeName(m.Scheme)}{(m.Portable ? " (portable C)" : string.Empty)} | {layers} | {N(m.Macs)} | {N((long)System.Math.Round(m.MeanInstructions))} | {F(m.InstructionsPerMac)} | {N(m.FlashBytes)} B ({N(m.FlashEstimate)} B) | {N(m.StaticRamBytes)} B | {N(m.ArenaBytes)} B ({N(m.LowerBound)} B) | {N(m.RamBytes)} B |");
            }

            var modelPeers = peers.Where(p => p.Model == group.Key).OrderBy(p => p.Peer, System.StringComparer.Ordinal).ToList();
            foreach (var peer in modelPeers)
            {
                bool cmsis = peer.Peer == CmsisPeer;
                string code = cmsis ? "CMSIS-NN int8" : $"{peer.Peer} float32";
                string layers = cmsis ? "`arm_fully_connected_per_channel_s8`" : "looped";
                L($"| {code} | {layers} | {N(peer.Macs)} | {N((long)System.Math.Round(peer.MeanInstructions))} | {F(peer.InstructionsPerMac)} | {N(peer.FlashBytes)} B | {N(peer.StaticRamBytes)} B | — | — |");
            }

            if (modelPeers.Count > 0)
            {
                L();
            }

            foreach (var peer in modelPeers)
            {
                var parts = new List<string>();
                var ours = peer.Peer == CmsisPeer
                    ? new[] { ("int8 wide", "static", "wide"), ("int8 unrolled", "static", "all"), ("int8 looped", "static", "none") }
                    : new[] { ("int8 unrolled", "static", "all"), ("float32 looped", "none", "none") };
                foreach (var (label, scheme, form) in ours)
                {
                    var m = group.FirstOrDefault(m => m.Scheme == scheme && m.Form == form && !m.Portable);
                    if (m is not null)
                    {
                        parts.Add(Ratio(label, m.MeanInstructions, peer));
                    }
                }

                L($"Against {peer.Peer}, one run: {string.Join("; ", parts)}.");
            }

            L();
        }

        if (probes.Count > 0)
        {
            var p0 = probes[0];
            L("## One dense layer");
            L();
            L($"The marginal cost of a {p0.In} → {p0.Out} dense layer (uji_mlp's first layer has this shape): two synthetic");
            L($"one-layer models, {p0.In} → {p0.Out} and {p0.In} → {p0.Out / 2}, are measured as above, and the difference in");
            L("instructions is divided by the difference in MACs, so input quantisation cancels out and requantisation and");
            L("the output stores are included.");
            L();
            L("| code | layers | instructions / MAC |");
            L("|---|---|---:|");
            foreach (var p in probes.OrderBy(p => p.Scheme == "static" ? 0 : 1).ThenBy(p => FormOrder(p.Form)))
            {
                L($"| {SchemeName(p.Scheme)} | {FormName(p.Form)} | {F(p.InstructionsPerMac)} |");
            }

            L();
        }

        L("## Toolchain");
        L();
        foreach (string t in toolchain)
        {
            L($"- {t}");
        }

        if (peers.Any(p => p.Peer != CmsisPeer))
        {
            L("- onnx2c: the executable given with `--onnx2c`, run as `onnx2c -f NAME_onnx2c_entry NAME.onnx`; its C compiled with the flags above and `-w`");
        }


        return s.ToString();
    }

    /// <summary>The name <see cref="CmsisNnBench"/> measures under.</summary>
    private const string CmsisPeer = "CMSIS-NN";

    private static string Ratio(string ours, double x, PeerMeasurement peer)
    {
        long xi = (long)System.Math.Round(x);
        long yi = (long)System.Math.Round(peer.MeanInstructions);
        string theirs = peer.Peer == CmsisPeer ? "CMSIS-NN int8" : $"{peer.Peer} float32";
        return $"tinyloc {ours}: {N(xi)} instructions per inference vs {theirs} {N(yi)}: {N(yi)}/{N(xi)} = {(peer.MeanInstructions / x).ToString("0.00", CultureInfo.InvariantCulture)}×";
    }

    private static string SchemeName(string scheme) => scheme switch
    {
        "static" => "int8",
        "dynamic" => "int8 dynamic",
        _ => "float32",
    };

    private static int SchemeOrder(string scheme) => scheme switch
    {
        "static" => 0,
        "none" => 1,
        _ => 2,
    };

    private static string FormName(string form) => form switch
    {
        "all" => "unrolled",
        "cmsis-nn" => "CMSIS-NN `arm_fully_connected_per_channel_s8` (Arm's kernel, the same int8 layer)",
        "wide" => "wide (looped, int16-pair weights)",
        _ => "looped",
    };

    private static int FormOrder(string form) => form switch
    {
        "all" => 0,
        "wide" => 1,
        "cmsis-nn" => 3,
        _ => 2,
    };

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
}
