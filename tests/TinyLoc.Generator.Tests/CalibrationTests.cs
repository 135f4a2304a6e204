using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using TinyLoc.Generator.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Generator.Tests;

/// <summary>A manifest's calibration CSV is a model input like the checkpoint: read through the build, and watched.</summary>
public sealed class CalibrationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tinyloc-generator-tests", Guid.NewGuid().ToString("N"));

    /// <summary>tiny_relu_reg with <c>"calibration": "calib.csv"</c>, in a temporary folder.</summary>
    public CalibrationTests()
    {
        Directory.CreateDirectory(_dir);
        File.Copy(Path.Combine(RepoPaths.TestData, "models", "tiny_relu_reg.pt"), Path.Combine(_dir, "tiny_relu_reg.pt"));
        string manifest = File.ReadAllText(Path.Combine(RepoPaths.TestData, "models", "tiny_relu_reg.tinyloc.json"))
            .Replace("\"scheme\": \"static\",", "\"scheme\": \"static\",\n    \"calibration\": \"calib.csv\",", StringComparison.Ordinal);
        File.WriteAllText(Manifest, manifest);
        WriteCalibration(-90);
    }

    private string Manifest => Path.Combine(_dir, "tiny_relu_reg.tinyloc.json");

    private string Csv => Path.Combine(_dir, "calib.csv");

    /// <inheritdoc/>
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_calibration_file_is_read_and_a_changed_one_recompiles_the_model()
    {
        var harness = new GeneratorHarness(ModelFiles.For(Manifest));
        var first = harness.Run();
        Assert.Equal(3, ModelFiles.For(Manifest).Count);
        Assert.DoesNotContain(first.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        string before = first.ModelSources().Single().SourceText.ToString();

        WriteCalibration(-40);
        harness.ReplaceAll(ModelFiles.For(Manifest));
        var second = harness.Run();

        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, GeneratorHarness.Reasons(second, TrackingNames.Compiled));
        Assert.NotEqual(before, second.ModelSources().Single().SourceText.ToString());
    }

    [Fact]
    public void A_calibration_file_that_is_not_an_additional_file_is_an_error_at_its_field()
    {
        var files = ModelFiles.For(Manifest).Where(f => !f.Path.EndsWith(".csv", StringComparison.Ordinal));
        var result = new GeneratorHarness(files).Run();

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("TL6001", error.Id);
        Assert.StartsWith($"the manifest's calibration data '{Csv}' is not an AdditionalFile", error.GetMessage());
        DiagnosticTests.AssertInModelFile(error, Manifest, line: 24);
    }

    [Fact]
    public void The_same_model_listed_twice_is_one_model()
    {
        var files = ModelFiles.For(Manifest).Concat(ModelFiles.For(Manifest).Take(1));
        var result = new GeneratorHarness(files).Run();

        Assert.Single(result.ModelSources());
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    private void WriteCalibration(int strongest)
    {
        var rows = Enumerable.Range(0, 20).Select(i => string.Join(',', Enumerable.Range(0, 5).Select(j => (strongest - ((i * 7 + j * 13) % 50)).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        File.WriteAllText(Csv, "ap_1,ap_2,ap_3,ap_4,ap_5\n" + string.Join('\n', rows) + "\n");
    }
}
