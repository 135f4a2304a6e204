using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using TinyLoc.Compiler;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Report;
using TinyLoc.Generator.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;
using TinyLocCompilation = TinyLoc.Compiler.Compilation;

namespace TinyLoc.Generator.Tests;

/// <summary>Budgets, settings and build problems become diagnostics located in the model file.</summary>
public class DiagnosticTests
{
    private static readonly string Uji = Path.Combine(RepoPaths.ExamplesModels, "uji_mlp.tinyloc.json");
    private static readonly string Kolakowski = Path.Combine(RepoPaths.ExamplesModels, "kolakowski_mlp.tinyloc.json");

    [Fact]
    public void Over_the_ram_budget_is_an_error_naming_the_three_biggest_buffers_and_the_excess()
    {
        var report = Report(Uji, UnrollMode.None);
        var harness = Harness(Uji, ("TinyLocRamBudget", "2KiB"), ("TinyLocUnroll", "none"));
        var result = harness.Run();

        var error = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("TL4001", error.Id);
        string message = error.GetMessage();
        Assert.StartsWith($"RAM {report.RamBytes} bytes exceeds the budget of 2048 bytes by {report.RamBytes - 2048}; biggest buffers: input (caller's) 2080 B, ", message);
        Assert.Equal(3, Items(message, "biggest buffers: ").Length);
        Assert.EndsWith(". Fix: raise the budget, use TinyLocScheme=static, or shrink the largest layers", message);
        AssertInModelFile(error, Uji, line: 0);

        // The class is still generated, so the build fails on the budget alone, not on follow-on errors.
        Assert.Single(result.ModelSources());
        Assert.Empty(harness.Output!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Over_the_flash_budget_is_an_error_naming_the_biggest_layers()
    {
        var report = Report(Kolakowski, UnrollMode.None);
        var result = Harness(Kolakowski, ("TinyLocFlashBudget", "2KB"), ("TinyLocUnroll", "none")).Run();

        var error = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("TL4002", error.Id);
        Assert.StartsWith($"flash {report.FlashBytes} bytes exceeds the budget of 2000 bytes by {report.FlashBytes - 2000}; biggest items: ", error.GetMessage());
        Assert.Equal(3, Items(error.GetMessage(), "biggest items: ").Length);
        AssertInModelFile(error, Kolakowski, line: 0);
    }

    [Theory]
    [InlineData("TinyLocRamBudget", "TL4004", "RAM")]
    [InlineData("TinyLocFlashBudget", "TL4005", "flash")]
    public void Ninety_percent_of_a_budget_is_a_warning(string property, string id, string what)
    {
        var report = Report(Uji, UnrollMode.None);
        long used = what == "RAM" ? report.RamBytes : report.FlashBytes;
        long budget = (long)(used / 0.94);
        var result = Harness(Uji, (property, budget.ToString(CultureInfo.InvariantCulture)), ("TinyLocUnroll", "none")).Run();

        var warning = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning);
        Assert.Equal(id, warning.Id);
        Assert.StartsWith($"{what} {used} bytes is 94% of the budget of {budget} bytes", warning.GetMessage());
        Assert.Single(result.ModelSources());
    }

    [Fact]
    public void Each_model_gets_a_one_line_size_summary()
    {
        var r = Report(Kolakowski, UnrollMode.None);
        var result = Harness(Kolakowski, ("TinyLocRamBudget", "64KiB"), ("TinyLocFlashBudget", "256KiB"), ("TinyLocUnroll", "none")).Run();

        var summary = Assert.Single(result.Diagnostics);
        Assert.Equal("TL6003", summary.Id);
        Assert.Equal(DiagnosticSeverity.Info, summary.Severity);
        Assert.Equal(
            string.Create(
                CultureInfo.InvariantCulture,
                $"TinyLoc kolakowski_mlp -> TinyLoc.Models.KolakowskiMlp (dotnet, {r.Scheme}, unroll none): RAM {r.RamBytes:N0} B of 64KiB ({100.0 * r.RamBytes / 65536:0.0}%), flash {r.FlashBytes:N0} B (estimate) of 256KiB ({100.0 * r.FlashBytes / 262144:0.0}%)"),
            summary.GetMessage());
        AssertInModelFile(summary, Kolakowski, line: 0);
    }

    [Fact]
    public void Without_budgets_the_summary_says_so()
    {
        var r = Report(Kolakowski, UnrollMode.None);
        var summary = Assert.Single(Harness(Kolakowski).Run().Diagnostics);
        Assert.EndsWith(string.Create(CultureInfo.InvariantCulture, $"RAM {r.RamBytes:N0} B (no budget), flash {r.FlashBytes:N0} B (estimate) (no budget)"), summary.GetMessage());
    }

    [Theory]
    [InlineData("TinyLocRamBudget", "lots", "TL4003", "'lots' is not a size; write bytes, or a number with KB, KiB, MB or MiB")]
    [InlineData("TinyLocFlashBudget", "-1KiB", "TL4003", "'-1KiB' is not a size")]
    [InlineData("TinyLocTarget", "stm32", "TL6002", "TinyLocTarget 'stm32' is not valid: use dotnet, nanoframework, meadow")]
    [InlineData("TinyLocNamespace", "My.class", "TL6002", "TinyLocNamespace 'My.class' is not valid")]
    [InlineData("TinyLocUnroll", "some", "TL5005", "unroll mode 'some' is not known (known: all, none, auto, wide)")]
    [InlineData("TinyLocScheme", "int4", "TL3001", "quantisation scheme 'int4' is not known (known: none, static")]
    public void A_bad_setting_is_an_error_naming_the_setting(string property, string value, string id, string message)
    {
        var result = Harness(Kolakowski, (property, value)).Run();

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(id, error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.StartsWith(message, error.GetMessage());
        Assert.Contains($" (from {property}). Fix: ", error.GetMessage());
        AssertInModelFile(error, Kolakowski, line: 0);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void A_checkpoint_that_is_not_an_additional_file_is_an_error_at_the_manifests_checkpoint_field()
    {
        var manifestOnly = ModelFiles.For(Kolakowski).Take(1);
        var result = new GeneratorHarness(manifestOnly).Run();

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("TL6001", error.Id);
        Assert.StartsWith($"the manifest's checkpoint '{Path.Combine(RepoPaths.ExamplesModels, "kolakowski_mlp.pt")}' is not an AdditionalFile of this project", error.GetMessage());
        Assert.Contains("<TinyLocModel Include=", error.GetMessage());
        AssertInModelFile(error, Kolakowski, line: 4);
    }

    [Fact]
    public void Two_models_generating_the_same_class_is_an_error_on_the_second_in_path_order()
    {
        string text = File.ReadAllText(Kolakowski);
        string copy = Path.Combine(RepoPaths.ExamplesModels, "z-copy", "kolakowski_mlp.tinyloc.json");
        string checkpointRelative = text.Replace("\"kolakowski_mlp.pt\"", "\"../kolakowski_mlp.pt\"", System.StringComparison.Ordinal);
        var files = ModelFiles.For(Kolakowski).Concat(ModelFiles.For(copy, checkpointRelative).Take(1));
        var result = new GeneratorHarness(files).Run();

        var error = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("TL6004", error.Id);
        Assert.StartsWith($"this model generates TinyLoc.Models.KolakowskiMlp, which '{Kolakowski}' generates too", error.GetMessage());
        AssertInModelFile(error, copy, line: 0);
        Assert.Single(result.ModelSources());
    }

    [Fact]
    public void Invalid_json_is_an_error_at_its_line_and_column()
    {
        string path = Path.Combine(RepoPaths.TestData, "manifests", "virtual_broken.tinyloc.json");
        var result = new GeneratorHarness(ModelFiles.For(path, "{\n  \"tinyloc\": 1,\n  \"name\": oops\n}\n")).Run();

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("TL1101", error.Id);
        AssertInModelFile(error, path, line: 2);
        Assert.Equal(10, error.Location.GetLineSpan().StartLinePosition.Character);
    }

    /// <summary>The compiler's own size report, which the generator's messages must agree with.</summary>
    internal static SizeReport Report(string manifest, UnrollMode unroll) =>
        TinyLocCompilation.Create(manifest, new CompileOptions { Unroll = unroll }).Report!;

    private static string[] Items(string message, string after) => message.Split(after)[1].Split(". Fix:")[0].Split(", ");

    private static GeneratorHarness Harness(string manifest, params (string Name, string Value)[] properties) =>
        new(ModelFiles.For(manifest), new TestOptionsProvider(properties.ToDictionary(p => p.Name, p => p.Value)));

    /// <summary>Asserts the diagnostic points into <paramref name="manifest"/> at the 0-based <paramref name="line"/>.</summary>
    internal static void AssertInModelFile(Diagnostic diagnostic, string manifest, int line)
    {
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(Path.GetFullPath(manifest), span.Path);
        Assert.Equal(line, span.StartLinePosition.Line);
        Assert.True(diagnostic.Location.IsInSource || diagnostic.Location.Kind == LocationKind.ExternalFile, diagnostic.Location.Kind.ToString());
    }
}
