using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Import;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Tests.Golden;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Compiler.Tests.Manifest;

/// <summary>
/// <c>tinyloc init</c> for every family: each committed manifest is the ground truth; init on its checkpoint, given
/// what a checkpoint cannot tell, writes the same architecture, and the manifest compiles.
/// </summary>
public sealed class ManifestInferenceTests
{
    public static TheoryData<string> Models => new(GoldenModels.Examples.Concat(GoldenModels.SequenceExamples).Concat(GoldenModels.Tiny).Concat(GoldenModels.Sequence).Concat(GoldenModels.Onnx));

    /// <summary>The options a user passes for what the checkpoint of <paramref name="m"/> does not tell.</summary>
    private static InitOptions OptionsFrom(ModelManifest m) => new()
    {
        Labels = m.Output.IsClassification ? m.Output.Labels : null,
        OutputNames = m.Output.IsClassification ? null : m.Output.Names,
        Unit = m.Output.Unit,
        Features = m.Input.Features,
        RssiMin = m.Input.RssiMin,
        RssiMax = m.Input.RssiMax,
        MissingValue = m.Input.MissingValue,
        MissingValueGiven = true,
        Window = m.Input.Window,
        Activation = m.Architecture switch { MlpArchitecture a => a.Activation, Cnn1dArchitecture c => c.Activation, _ => null },
    };

    private static (string? Json, DiagnosticBag Bag, string Path) Init(string checkpoint, InitOptions o, ScratchDirectory dir, string manifestName = "model.tinyloc.json")
    {
        var bag = new DiagnosticBag();
        var weights = CheckpointReader.Read(checkpoint, bag);
        Assert.NotNull(weights);
        string path = dir.File(manifestName);
        string? json = ManifestInference.Infer(weights!, path, o, bag);
        if (json is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, json);
        }

        return (json, bag, path);
    }

    /// <summary>Init on <paramref name="checkpoint"/> writes nothing and reports exactly one error, returned.</summary>
    private static Diagnostic Refused(string checkpoint, InitOptions o)
    {
        using var dir = ScratchDirectory.Create("init-refused");
        var (json, bag, path) = Init(checkpoint, o, dir);
        Assert.Null(json);
        Assert.False(File.Exists(path));
        dir.MarkSucceeded();
        return Assert.Single(bag.Errors);
    }

    private static string Ids(DiagnosticBag bag) => string.Join("\n", bag.Items.Select(d => d.ToString()));

    [Theory]
    [MemberData(nameof(Models))]
    public void InitOnTheCheckpointWritesTheCommittedArchitectureAndCompiles(string model)
    {
        var bag = new DiagnosticBag();
        var committed = ManifestReader.Read(GoldenModels.Manifest(model), bag)!;
        using var dir = ScratchDirectory.Create("init-" + model);
        string ckpt = dir.File(Path.GetFileName(committed.CheckpointPath));
        File.Copy(committed.CheckpointPath, ckpt);
        var (json, initBag, path) = Init(ckpt, OptionsFrom(committed), dir, model + ".tinyloc.json");
        Assert.True(json is not null, Ids(initBag));
        Assert.Empty(initBag.Items);

        var want = JsonNode.Parse(File.ReadAllText(GoldenModels.Manifest(model)))!;
        var got = JsonNode.Parse(json!)!;
        Assert.True(JsonNode.DeepEquals(want["architecture"], got["architecture"]), $"want {want["architecture"]!.ToJsonString()}\n got {got["architecture"]!.ToJsonString()}");
        Assert.Equal(want["family"]!.GetValue<string>(), got["family"]!.GetValue<string>());
        foreach (string field in new[] { "features", "window", "rssi_range", "missing_value" })
        {
            Assert.True(JsonNode.DeepEquals(want["input"]![field], got["input"]![field]), field);
        }

        Assert.True(JsonNode.DeepEquals(want["output"]!["kind"], got["output"]!["kind"]));
        Assert.Equal(Path.GetFileName(ckpt), got["checkpoint"]!.GetValue<string>());

        var c = Compilation.Create(path, new CompileOptions());
        Assert.True(c.Success, Ids(c.Diagnostics));
        dir.MarkSucceeded();
    }

    /// <summary>An ONNX input's dims fix the window: [1, F, T] into a Conv is T steps of F features, no --window asked; a different --window is named.</summary>
    [Fact]
    public void InitOnAnOnnxWindowTakesTheWindowFromItsInput()
    {
        using var dir = ScratchDirectory.Create("init-onnx");
        string ckpt = dir.File("cf.onnx");
        File.Copy(Path.ChangeExtension(GoldenModels.Manifest("kolakowski_cnn_cf"), null).Replace(".tinyloc", string.Empty) + ".onnx", ckpt);
        var o = new InitOptions { Labels = new[] { "a", "b", "c", "d", "e" }, RssiMin = -93, RssiMax = -38, MissingValueGiven = true };
        var (json, bag, path) = Init(ckpt, o, dir);
        Assert.True(json is not null, Ids(bag));
        var got = JsonNode.Parse(json!)!;
        Assert.Equal("onnx", got["family"]!.GetValue<string>());
        Assert.Equal(20, got["input"]!["window"]!.GetValue<int>());
        Assert.Equal(6, got["input"]!["features"]!.AsArray().Count);
        Assert.True(Compilation.Create(path).Success);

        var wrong = Refused(ckpt, o with { Window = 10 });
        Assert.Equal("TL1105", wrong.Id);
        Assert.Contains("20, the steps of the ONNX model's input", wrong.Message, System.StringComparison.Ordinal);
        dir.MarkSucceeded();
    }

    [Fact]
    public void BareInitOnASequenceModelAsksForTheWindowTheRangeAndTheLabelsAtOnce()
    {
        using var dir = ScratchDirectory.Create("init-bare");
        var (json, bag, path) = Init(Path.Combine(RepoPaths.ExamplesModels, "kolakowski_mamba.pt"), new InitOptions(), dir);
        Assert.Null(json);
        Assert.False(File.Exists(path));
        var asked = bag.Errors.Where(d => d.Id == "TL1207").Select(d => d.Message).ToList();
        Assert.Equal(3, asked.Count);
        Assert.Contains(asked, m => m.Contains("--window T") && m.Contains("window length"));
        Assert.Contains(asked, m => m.Contains("--rssi-range"));
        Assert.Contains(asked, m => m.Contains("--labels") && m.Contains("5 classes the CRF decodes"));
        Assert.DoesNotContain(bag.Items, d => d.Id == "TL1208"); // nothing was written, so nothing was assumed
        dir.MarkSucceeded();
    }

    [Theory]
    [InlineData("kolakowski_cnn1d", "")]
    [InlineData("kolakowski_mamba", "")]
    [InlineData("uji_mamba", "")]
    [InlineData("kolakowski_mdcsa_l3", "at most 160, the rows of rssi_pe.pe")]
    public void EverySequenceFamilyAsksForTheWindow(string model, string maximum)
    {
        var committed = ManifestReader.Read(GoldenModels.Manifest(model), new DiagnosticBag())!;
        var d = Refused(committed.CheckpointPath, OptionsFrom(committed) with { Window = null });
        Assert.Equal("TL1207", d.Id);
        Assert.Contains("window length T", d.Message);
        Assert.Contains("pass --window T", d.Message);
        Assert.Contains(maximum, d.Message);
    }

    [Fact]
    public void AFamilysTensorThatIsMissingIsNamed()
    {
        var bag = new DiagnosticBag();
        var full = CheckpointReader.Read(Path.Combine(RepoPaths.ExamplesModels, "kolakowski_mamba.pt"), bag)!;
        var cut = new StateDict(full.Path, full.Tensors.Where(t => t.Name != "layers.0.mixer.D"));
        Assert.Null(ManifestInference.Infer(cut, "m.tinyloc.json", new InitOptions(), bag));
        var d = Assert.Single(bag.Errors);
        Assert.Equal("TL1204", d.Id);
        Assert.Contains("no 'layers.0.mixer.D'", d.Message);
        Assert.Contains("d_model 8, 1 layer(s), d_state 16, d_conv 4, expand 2, CRF", d.Message);
    }

    [Fact]
    public void AFourClassClassifierIsNotWrittenAsARegression()
    {
        var d = Refused(Path.Combine(RepoPaths.TestData, "models", "tiny_tanh_cls.pt"), new InitOptions { RssiMin = -100, RssiMax = -30 });
        Assert.Equal("TL1207", d.Id);
        Assert.Contains("--labels", d.Message);
        Assert.Contains("--outputs", d.Message);
    }

    [Fact]
    public void TheRssiRangeIsAskedForNotMadeUp()
    {
        using var dir = ScratchDirectory.Create("init-range");
        var (json, bag, _) = Init(Path.Combine(RepoPaths.ExamplesModels, "uji_mlp.pt"), new InitOptions { Labels = Enumerable.Range(0, 13).Select(i => "c" + i).ToList() }, dir);
        Assert.Null(json);
        Assert.Contains(bag.Errors, d => d.Id == "TL1207" && d.Message.Contains("--rssi-range"));
        dir.MarkSucceeded();
    }

    [Fact]
    public void WhatInitWritesWithoutBeingToldIsAWarningPerField()
    {
        using var dir = ScratchDirectory.Create("init-assumed");
        var (json, bag, _) = Init(Path.Combine(RepoPaths.ExamplesModels, "kolakowski_mlp.pt"), new InitOptions { RssiMin = -93, RssiMax = -38, Unit = "m" }, dir);
        Assert.NotNull(json);
        Assert.False(bag.HasErrors, Ids(bag));
        var warned = bag.Items.Where(d => d.Id == "TL1208").Select(d => d.Message).ToList();
        Assert.Equal(4, warned.Count);
        Assert.Contains(warned, m => m.Contains("rssi_1..rssi_6") && m.Contains("--features"));
        Assert.Contains(warned, m => m.Contains("missing_value") && m.Contains("--missing"));
        Assert.Contains(warned, m => m.Contains("activation") && m.Contains("relu") && m.Contains("--activation"));
        Assert.Contains(warned, m => m.Contains("x, y") && m.Contains("--outputs"));
        var got = JsonNode.Parse(json!)!;
        Assert.Equal("dynamic", got["quantization"]!["scheme"]!.GetValue<string>());
        dir.MarkSucceeded();
    }

    [Fact]
    public void AWindowBeyondTheMdcsaPositionalTableIsRefused()
    {
        var o = new InitOptions { RssiMin = -93, RssiMax = -38, MissingValueGiven = true, Labels = new[] { "a", "b", "c", "d", "e" }, Window = 161 };
        var d = Refused(Path.Combine(RepoPaths.ExamplesModels, "kolakowski_mdcsa_l1.pt"), o);
        Assert.Equal("TL1105", d.Id);
        Assert.Equal("--window", d.Location.File);
        Assert.Contains("1 to 160, the rows of rssi_pe.pe", d.Message);
    }

    [Fact]
    public void ACnnPoolThatDoesNotFitTheHeadIsRefused()
    {
        var o = new InitOptions { RssiMin = -93, RssiMax = -38, MissingValueGiven = true, Labels = new[] { "a", "b", "c", "d", "e" }, Window = 20, Pool = 3, Activation = "relu" };
        var d = Refused(Path.Combine(RepoPaths.ExamplesModels, "kolakowski_cnn1d.pt"), o);
        Assert.Equal("TL1105", d.Id);
        Assert.Equal("--pool", d.Location.File);
        Assert.Contains("the 96 inputs of head 'fc'", d.Message);
        Assert.Contains("with window 20 and max-pool size 3 they do not", d.Message);
    }

    [Fact]
    public void CalibrationMakesAStaticManifestAndPathsStayRelativeToTheManifest()
    {
        using var dir = ScratchDirectory.Create("init-paths");
        string ckpt = dir.File("room.pt");
        File.Copy(Path.Combine(RepoPaths.ExamplesModels, "kolakowski_mlp.pt"), ckpt);
        string csv = dir.File("cal.csv");
        File.WriteAllText(csv, "rssi_1,rssi_2,rssi_3,rssi_4,rssi_5,rssi_6\n-50,-60,-70,-80,-90,-60\n-40,-70,-60,-90,-80,-50\n");
        var o = new InitOptions { RssiMin = -93, RssiMax = -38, MissingValueGiven = true, OutputNames = new[] { "x", "y" }, Activation = "relu", Calibration = csv, Features = Enumerable.Range(1, 6).Select(i => "rssi_" + i).ToList() };
        var (json, bag, path) = Init(ckpt, o, dir, Path.Combine("manifests", "room.tinyloc.json"));
        Assert.NotNull(json);
        var got = JsonNode.Parse(json!)!;
        Assert.Equal("../room.pt", got["checkpoint"]!.GetValue<string>());
        Assert.Equal("static", got["quantization"]!["scheme"]!.GetValue<string>());
        Assert.Equal("../cal.csv", got["quantization"]!["calibration"]!.GetValue<string>());
        var c = Compilation.Create(path, new CompileOptions { AllowOutsidePaths = true });
        Assert.True(c.Success, Ids(c.Diagnostics));
        dir.MarkSucceeded();
    }

    [Fact]
    public void ACheckpointOfNoKnownFamilySaysWhatInitLookedFor()
    {
        var lstm = new StateDict("lstm.pt", new[]
        {
            new CheckpointTensor("lstm.weight_ih_l0", ElementType.Float32, new[] { 32, 6 }, new float[192]),
            new CheckpointTensor("lstm.weight_hh_l0", ElementType.Float32, new[] { 32, 8 }, new float[256]),
        });
        var bag = new DiagnosticBag();
        Assert.Null(ManifestInference.Infer(lstm, "lstm.tinyloc.json", new InitOptions(), bag));
        var d = Assert.Single(bag.Errors);
        Assert.Equal("TL1209", d.Id);
        foreach (string family in new[] { "mlp =", "cnn1d =", "mamba =", "mdcsa =", "'lstm.weight_ih_l0' [32, 6]" })
        {
            Assert.Contains(family, d.Message);
        }
    }

    [Fact]
    public void AnMlpWithBatchNormIsNotPassedOffAsLinearLayers()
    {
        var bn = new StateDict("bn.pt", new[]
        {
            new CheckpointTensor("0.weight", ElementType.Float32, new[] { 4, 3 }, new float[12]),
            new CheckpointTensor("0.bias", ElementType.Float32, new[] { 4 }, new float[4]),
            new CheckpointTensor("1.running_mean", ElementType.Float32, new[] { 4 }, new float[4]),
            new CheckpointTensor("2.weight", ElementType.Float32, new[] { 2, 4 }, new float[8]),
        });
        var bag = new DiagnosticBag();
        Assert.Null(ManifestInference.Infer(bn, "bn.tinyloc.json", new InitOptions(), bag));
        var d = Assert.Single(bag.Errors);
        Assert.Contains("'1.running_mean'", d.Message);
        Assert.Contains("BatchNorm", d.Message);
    }
}
