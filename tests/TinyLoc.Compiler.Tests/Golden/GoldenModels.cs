using System.Collections.Generic;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Compiler.Tests.Golden;

/// <summary>Every model with golden vectors: the trained examples and the tiny synthetic test models.</summary>
public static class GoldenModels
{
    public static readonly string[] Examples = { "kolakowski_mlp", "uji_mlp" };

    public static readonly string[] Tiny = { "tiny_relu_reg", "tiny_tanh_cls", "tiny_sigmoid_cls", "tiny_silu_reg", "tiny_sparse_reg" };

    /// <summary>The sequence families' synthetic test models (windows of 20 steps, CRF heads).</summary>
    public static readonly string[] Sequence = { "tiny_cnn1d", "tiny_mamba_h8l1", "tiny_mdcsa_h16l1", "tiny_mdcsa_h16l3" };

    public static IEnumerable<string> All => Examples.Concat(Tiny);

    /// <summary>The trained sequence examples (examples/models), checked against PyTorch in float.</summary>
    public static readonly string[] SequenceExamples = { "kolakowski_cnn1d", "kolakowski_mamba", "kolakowski_mdcsa_l1", "kolakowski_mdcsa_l3", "uji_mamba", "ibeacon_mamba" };

    /// <summary>
    /// ONNX exports (examples/models/onnx, made by examples/training/export_onnx.py): the example MLPs and CNN, an MLP with
    /// BatchNorm1d and Dropout, and a channel-first CNN with padding, BatchNorm, average and max pooling and a softmax.
    /// </summary>
    public static readonly string[] Onnx = { "uji_mlp_onnx", "kolakowski_mlp_onnx", "kolakowski_cnn1d_onnx", "kolakowski_bn_mlp", "kolakowski_cnn_cf" };

    public static string Manifest(string model) =>
        Path.Combine(
            Onnx.Contains(model) ? Path.Combine(RepoPaths.ExamplesModels, "onnx")
            : Examples.Contains(model) || SequenceExamples.Contains(model) ? RepoPaths.ExamplesModels
            : Path.Combine(RepoPaths.TestData, "models"),
            model + ".tinyloc.json");

    public static GoldenVectorSet Vectors(string model) => GoldenVectors.Load(Path.ChangeExtension(Manifest(model), null).Replace(".tinyloc", string.Empty) + ".golden.json");

    /// <summary>Compiles and asserts success, showing the diagnostics otherwise.</summary>
    public static Compilation Compile(string model, string scheme, UnrollMode unroll = UnrollMode.None, TinyLoc.Compiler.Ops.CostModel? core = null, ScheduleMode schedule = ScheduleMode.Fused)
    {
        var c = Compilation.Create(Manifest(model), new CompileOptions { Scheme = scheme, Unroll = unroll, Schedule = schedule, CalibrationInputs = CalibrationFor(model, scheme), Core = core ?? TinyLoc.Compiler.Ops.CostModel.CortexM4 });
        Assert.True(c.Success, string.Join("\n", c.Diagnostics.Items));
        return c;
    }

    /// <summary>The sequence models' manifests carry no ranges: static calibrates on their golden inputs.</summary>
    public static float[][]? CalibrationFor(string model, string scheme) =>
        (scheme == "static" && (Sequence.Contains(model) || SequenceExamples.Contains(model))) || (scheme is "static" or "auto" && Onnx.Contains(model)) ? Vectors(model).Inputs : null;

    /// <summary>Emits a target into a fresh folder and returns it.</summary>
    public static string EmitTo(Compilation c, string target, string folder)
    {
        var files = c.Emit(target);
        Assert.True(files is not null, string.Join("\n", c.Diagnostics.Items));
        foreach (var f in files!)
        {
            string p = Path.Combine(folder, f.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(p)!);
            File.WriteAllText(p, f.Content);
        }

        return folder;
    }

    public static string CSharpClass(Compilation c) => CodeEmitter.PascalCase(c.Manifest!.Name);

    /// <summary>The schemes the engine matrix checks.</summary>
    public static readonly string[] Schemes = { "none", "static", "dynamic", "llm-int8" };

    /// <summary>
    /// The MLPs × every scheme × looped and unrolled. Every MLP layer can unroll, so the two forms are
    /// different programs.
    /// </summary>
    public static IEnumerable<object[]> MlpSchemeUnroll() =>
        from m in All
        from s in Schemes
        from u in new[] { "none", "all", "wide" }
        where u != "wide" || s == "static"
        select new object[] { m, s, u };

    /// <summary>
    /// The sequence models × every scheme × looped, and unrolled only where a layer unrolls (a single-row
    /// layer such as the CNN's head; per-step layers stay looped): elsewhere the unrolled program is the
    /// looped one, and compiling it twice would prove nothing new.
    /// </summary>
    public static IEnumerable<object[]> SequenceSchemeUnroll() =>
        from m in Sequence
        from s in Schemes
        from u in new[] { "none", "all" }
        where u == "none" || UnrollsALayer(m, s)
        select new object[] { m, s, u };

    /// <summary>
    /// True when unrolling changes the program: some layer of <paramref name="model"/> under
    /// <paramref name="scheme"/> takes the unrolled form (per-step layers of sequence models never do).
    /// </summary>
    public static bool UnrollsALayer(string model, string scheme) => Compile(model, scheme, UnrollMode.All).Report!.UnrolledLayers > 0;

    /// <summary>
    /// True when <c>--unroll wide</c> changes the program: some int8 layer of <paramref name="model"/> under
    /// <paramref name="scheme"/> takes the wide form.
    /// </summary>
    public static bool WidensALayer(string model, string scheme) =>
        Compile(model, scheme, UnrollMode.Wide).Graph!.Nodes.Any(n => n.Form == TinyLoc.Compiler.IR.LayerForm.Wide);
}
