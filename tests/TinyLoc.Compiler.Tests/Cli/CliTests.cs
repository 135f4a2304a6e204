using System.IO;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Tests.Golden;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Compiler.Tests.Cli;

/// <summary>The <c>tinyloc</c> commands as a user runs them: files written and exit codes.</summary>
[Collection("cli")]
public sealed class CliTests
{
    private static int Run(params string[] args) => TinyLoc.Cli.Program.Main(args);

    [Theory]
    [InlineData("stm32", "kolakowski_mlp.h", "kolakowski_mlp.c")]
    [InlineData("esp-idf", "CMakeLists.txt", "include/kolakowski_mlp.h")]
    [InlineData("nanoframework", "KolakowskiMlp.cs", "KolakowskiMlp.cs")]
    public void CompileWritesTheTargetsFiles(string target, string file1, string file2)
    {
        using var dir = ScratchDirectory.Create("cli-" + target);
        Assert.Equal(0, Run("compile", GoldenModels.Manifest("kolakowski_mlp"), "--target", target, "--out", dir.Path));
        Assert.True(File.Exists(Path.Combine(dir.Path, file1)));
        Assert.True(File.Exists(Path.Combine(dir.Path, file2)));
    }

    [Theory]
    [InlineData("esp-idf", null, "rv32imc")]
    [InlineData("esp-idf", "cortex-m4-nodsp", "cortex-m4-nodsp")]
    [InlineData("stm32", null, "cortex-m4")]
    public void TheFlashEstimateIsForTheTargetsCoreUnlessCoreSaysOtherwise(string target, string? core, string expected)
    {
        using var dir = ScratchDirectory.Create("cli-core-" + target);
        string manifest = GoldenModels.Manifest("kolakowski_mlp");
        string[] args = ["compile", manifest, "--target", target, "--out", dir.Path, "--scheme", "static"];
        Assert.Equal(0, Run(core is null ? args : [.. args, "--core", core]));
        var want = Compilation.Create(manifest, new CompileOptions { Scheme = "static", Core = TinyLoc.Compiler.Ops.CostModel.ByName(expected)! }).Report!.FlashBytes;
        string header = File.ReadAllText(Path.Combine(dir.Path, target == "esp-idf" ? "include/kolakowski_mlp.h" : "kolakowski_mlp.h"));
        Assert.Contains($"#define KOLAKOWSKI_MLP_FLASH_BYTES_ESTIMATE {want}", header, System.StringComparison.Ordinal);
        Assert.NotEqual(want, Compilation.Create(manifest, new CompileOptions { Scheme = "static", Core = expected == "rv32imc" ? TinyLoc.Compiler.Ops.CostModel.CortexM4 : TinyLoc.Compiler.Ops.CostModel.Rv32imc }).Report!.FlashBytes);
    }

    [Fact]
    public void AnUnknownCoreIsAnError() => Assert.Equal(1, Run("report", GoldenModels.Manifest("kolakowski_mlp"), "--core", "z80"));

    [Fact]
    public void CheckExitsTwoWhenOverBudgetAndZeroWhenItFits()
    {
        Assert.Equal(2, Run("check", GoldenModels.Manifest("uji_mlp"), "--ram-budget", "1KiB", "--flash-budget", "256KiB"));
        Assert.Equal(2, Run("check", GoldenModels.Manifest("uji_mlp"), "--flash-budget", "16KiB", "--unroll", "none"));
        Assert.Equal(0, Run("check", GoldenModels.Manifest("uji_mlp"), "--ram-budget", "64KiB", "--flash-budget", "256KiB"));
    }

    [Fact]
    public void BrokenInputsExitOne()
    {
        Assert.Equal(1, Run("report", Path.Combine(RepoPaths.TestData, "manifests", "evil_checkpoint.tinyloc.json")));
        Assert.Equal(1, Run("check", GoldenModels.Manifest("uji_mlp"), "--ram-budget", "lots"));
        Assert.Equal(1, Run("compile", GoldenModels.Manifest("uji_mlp"), "--target", "avr", "--out", Path.GetTempPath()));
    }

    [Fact]
    public void InitWritesAManifestThatCompiles()
    {
        using var dir = ScratchDirectory.Create("cli-init");
        string ckpt = Path.Combine(dir.Path, "room_model.pt");
        File.Copy(Path.Combine(RepoPaths.TestData, "models", "tiny_relu_reg.pt"), ckpt);
        Assert.Equal(0, Run("init", ckpt, "--rssi-range", "-100,-30", "--unit", "m"));
        string manifest = Path.Combine(dir.Path, "room_model.tinyloc.json");
        var bag = new DiagnosticBag();
        var m = ManifestReader.Read(manifest, bag);
        Assert.NotNull(m);
        Assert.Equal(new[] { "fc1", "fc2", "fc3" }, ((MlpArchitecture)m!.Architecture).Layers);
        Assert.Equal(5, m.Input.Count);
        Assert.Equal("room_model", m.Name);
        Assert.Equal(1, Run("init", ckpt));
        Assert.Equal(0, Run("compile", manifest, "--target", "stm32", "--scheme", "none", "--out", dir.Path));
    }

    [Fact]
    public void InitIntoAnotherFolderKeepsPathsRelativeAndHintsAtCalibrationOnlyWithoutIt()
    {
        using var dir = ScratchDirectory.Create("cli-init-out");
        string ckpt = Path.Combine(dir.Path, "room.pt");
        File.Copy(Path.Combine(RepoPaths.ExamplesModels, "kolakowski_mlp.pt"), ckpt);
        string csv = Path.Combine(dir.Path, "cal.csv");
        File.WriteAllText(csv, "a,b,c,d,e,f\n-50,-60,-70,-80,-90,-60\n-40,-70,-60,-90,-80,-50\n");
        string manifest = Path.Combine(dir.Path, "out", "room.tinyloc.json");
        string[] common = ["init", ckpt, "-o", manifest, "--rssi-range", "-93,-38", "--outputs", "x,y", "--unit", "m", "--features", "a,b,c,d,e,f", "--missing", "none", "--activation", "relu", "--force"];
        Assert.Equal(0, RunCapturingStdout(out string withCalibration, [.. common, "--calibration", csv]));
        Assert.Contains("wrote", withCalibration, System.StringComparison.Ordinal);
        Assert.DoesNotContain("--calibration", withCalibration, System.StringComparison.Ordinal);
        Assert.Contains("--allow-outside-paths", withCalibration, System.StringComparison.Ordinal);
        string json = File.ReadAllText(manifest);
        Assert.Contains("\"checkpoint\": \"../room.pt\"", json, System.StringComparison.Ordinal);
        Assert.Contains("\"calibration\": \"../cal.csv\"", json, System.StringComparison.Ordinal);
        Assert.Equal(0, Run("compile", manifest, "--target", "stm32", "--allow-outside-paths", "--out", Path.Combine(dir.Path, "c")));

        Assert.Equal(0, RunCapturingStdout(out string without, common));
        Assert.Contains("pass --calibration", without, System.StringComparison.Ordinal);
        Assert.Contains("\"scheme\": \"dynamic\"", File.ReadAllText(manifest), System.StringComparison.Ordinal);
        Assert.Equal(0, RunCapturingStdout(out string staticWithout, [.. common, "--scheme", "static"]));
        Assert.Contains("scheme static without calibration data: pass --calibration CSV", staticWithout, System.StringComparison.Ordinal);
        dir.MarkSucceeded();
    }

    private static int RunCapturingStdout(out string stdout, params string[] args) => CliRun.Run(out stdout, out _, args);

    [Fact]
    public void HelpAndReportsRun()
    {
        Assert.Equal(0, Run("--help"));
        Assert.Equal(0, Run("compile", "--help"));
        Assert.Equal(0, Run("report", GoldenModels.Manifest("uji_mlp"), "--json"));
        Assert.Equal(0, Run("report", GoldenModels.Manifest("kolakowski_mlp"), "--plan", "--scheme", "none"));
    }
}
