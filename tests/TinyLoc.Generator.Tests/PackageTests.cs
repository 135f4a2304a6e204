using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using TinyLoc.Compiler;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Report;
using TinyLoc.Generator.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;
using TinyLocCompilation = TinyLoc.Compiler.Compilation;

namespace TinyLoc.Generator.Tests;

/// <summary>
/// The NuGet package, used the way a user uses it: `dotnet pack`, then `dotnet build` of the examples
/// (which restore TinyLoc.Generator from a local folder feed) with the SDK's compiler server.
/// </summary>
public sealed class PackageTests(PackedGenerator packed) : IClassFixture<PackedGenerator>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public void Pack_puts_the_generator_and_what_it_loads_under_analyzers_and_the_msbuild_files_under_build()
    {
        Assert.True(packed.Package is not null, packed.PackResult.Describe());
        Assert.Equal("TinyLoc.Generator.0.1.0.nupkg", Path.GetFileName(packed.Package));
        using var zip = ZipFile.OpenRead(packed.Package!);
        string[] files = zip.Entries.Select(e => e.FullName)
            .Where(n => !n.StartsWith("_rels/", StringComparison.Ordinal) && !n.StartsWith("package/", StringComparison.Ordinal) && n != "[Content_Types].xml")
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(
            new[]
            {
                "README.md",
                "TinyLoc.Generator.nuspec",
                "analyzers/dotnet/cs/Google.Protobuf.dll",
                "analyzers/dotnet/cs/Handlebars.dll",
                "analyzers/dotnet/cs/Microsoft.Bcl.AsyncInterfaces.dll",
                "analyzers/dotnet/cs/Microsoft.CSharp.dll",
                "analyzers/dotnet/cs/Sylvan.Data.Csv.dll",
                "analyzers/dotnet/cs/System.Text.Encodings.Web.dll",
                "analyzers/dotnet/cs/System.Text.Json.dll",
                "analyzers/dotnet/cs/TinyLoc.Compiler.dll",
                "analyzers/dotnet/cs/TinyLoc.Generator.dll",
                "build/TinyLoc.Generator.props",
                "build/TinyLoc.Generator.targets",
            },
            files);

        using var nuspec = zip.GetEntry("TinyLoc.Generator.nuspec")!.Open();
        var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        Assert.Equal("true", metadata.Elements().Single(e => e.Name.LocalName == "developmentDependency").Value);
        Assert.DoesNotContain(metadata.Elements(), e => e.Name.LocalName == "dependencies");
    }

    [Fact]
    public void Console_example_builds_from_the_local_feed_and_classifies_held_out_data()
    {
        string example = packed.CopyExample("dotnet-console");
        var build = Dotnet.Run(example, packed.Environment, Timeout, "build", "-c", "Release", "-nodeReuse:false", "-v:n");
        string buildOutput = build.StandardOutput + build.StandardError;

        Assert.True(build.ExitCode == 0, build.Describe());
        // The one-line size summary shows in a plain build (printed by build/TinyLoc.Generator.targets).
        var r = TinyLocCompilation.Create(Path.Combine(RepoPaths.ExamplesModels, "uji_mlp.tinyloc.json"), new CompileOptions { Budgets = new Budgets(65536, 262144) }).Report!;
        Assert.Contains(
            string.Create(CultureInfo.InvariantCulture, $"TinyLoc uji_mlp -> TinyLoc.Models.UjiMlp (dotnet, {r.Scheme}, unroll none): RAM {r.RamBytes:N0} B of 64KiB ({100.0 * r.RamBytes / 65536:0.0}%), flash {r.FlashBytes:N0} B (estimate) of 256KiB ({100.0 * r.FlashBytes / 262144:0.0}%)"),
            buildOutput);
        // The generator ran inside the SDK's compiler server, not an in-process fallback.
        Assert.Contains("server processed compilation", buildOutput);
        Assert.DoesNotContain("warning", buildOutput.Replace("0 Warning(s)", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

        // The checkpoint is an AdditionalFile (so a changed checkpoint rebuilds): the SDK lists it in its analyzer config.
        string editorConfig = File.ReadAllText(Directory.EnumerateFiles(Path.Combine(example, "obj"), "*.GeneratedMSBuildEditorConfig.editorconfig", SearchOption.AllDirectories).Single());
        Assert.Contains($"[{Path.Combine(packed.Root, "examples", "models", "uji_mlp.pt")}]", editorConfig);

        string dll = Path.Combine(example, "bin", "Release", "net10.0", "TinyLoc.Example.Console.dll");
        var run = Dotnet.Run(example, packed.Environment, Timeout, dll);
        string runOutput = run.StandardOutput + run.StandardError;
        if (File.Exists(Path.Combine(RepoPaths.DataRoot, "ujiindoorloc", "validationData.csv.gz")))
        {
            Assert.True(run.ExitCode == 0, run.Describe());
            var (scans, right) = ReferenceAccuracy(Path.Combine(RepoPaths.DataRoot, "ujiindoorloc", "validationData.csv.gz"));
            Assert.Equal(1111, scans);
            Assert.Contains(
                string.Create(CultureInfo.InvariantCulture, $"validationData.csv.gz: {scans:N0} held-out scans, building x floor accuracy {100.0 * right / scans:0.00} % ({right:N0} right)"),
                runOutput);
        }

        // The robot run through KolakowskiMamba.CreateLocalizer(): the 63 windows the training script made, 58 rooms
        // right (the reference evaluator's answers on those windows: RuntimeReplayTests in the compiler's tests).
        if (File.Exists(Path.Combine(RepoPaths.DataRoot, "ble-rss-kolakowski-2021", "test_robot_df.csv.gz")))
        {
            Assert.Contains("test_robot_df.csv.gz through the runtime: 719 rows, 63 windows of 20 rows, room accuracy 92.06 % (58 right); runtime state 108 B", runOutput);
        }

        // Without the dataset it says where to download it, and fails.
        var environment = packed.Environment.ToDictionary(p => p.Key, p => p.Value);
        environment["TINYLOC_DATA"] = Path.Combine(packed.Root, "no-data-here");
        var missing = Dotnet.Run(example, environment, Timeout, dll);
        string missingOutput = missing.StandardOutput + missing.StandardError;
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("Download UJIIndoorLoc (CC BY 4.0) from the UCI Machine Learning Repository", missingOutput);
    }

    [Fact]
    public void Budget_example_fails_the_build_with_the_budget_error()
    {
        string example = packed.CopyExample("dotnet-budget-fail");
        var build = Dotnet.Run(example, packed.Environment, Timeout, "build", "-nodeReuse:false");
        string buildOutput = build.StandardOutput + build.StandardError;

        Assert.True(build.ExitCode != 0, build.Describe());
        string model = Path.Combine(packed.Root, "examples", "models", "uji_mlp.tinyloc.json");
        long ram = DiagnosticTests.Report(Path.Combine(RepoPaths.ExamplesModels, "uji_mlp.tinyloc.json"), UnrollMode.None).RamBytes;
        Assert.Contains(
            $"{model}(1,1): error TL4001: RAM {ram} bytes exceeds the budget of 2048 bytes by {ram - 2048}; biggest buffers: input (caller's) 2080 B, ",
            buildOutput);
        Assert.Contains(". Fix: raise the budget", buildOutput);
        Assert.DoesNotContain("error CS", buildOutput);
        Assert.Contains("1 Error(s)", buildOutput);
    }

    [Fact]
    public void Model_item_metadata_overrides_the_project_property_and_near_budget_is_a_warning()
    {
        // The project says TinyLocRamBudget=2KiB (the build above fails on it); the model item says 3800.
        string example = packed.CopyExample("dotnet-budget-fail", "dotnet-budget-near");
        string project = Path.Combine(example, "TinyLoc.Example.BudgetFail.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace(
            "<TinyLocModel Include=\"../models/uji_mlp.tinyloc.json\" />",
            "<TinyLocModel Include=\"../models/uji_mlp.tinyloc.json\" TinyLocRamBudget=\"3800\" />",
            StringComparison.Ordinal));
        var build = Dotnet.Run(example, packed.Environment, Timeout, "build", "-nodeReuse:false", "-p:TreatWarningsAsErrors=false");
        string buildOutput = build.StandardOutput + build.StandardError;

        Assert.True(build.ExitCode == 0, build.Describe());
        var r = DiagnosticTests.Report(Path.Combine(RepoPaths.ExamplesModels, "uji_mlp.tinyloc.json"), UnrollMode.None);
        Assert.True(r.RamBytes >= 3420 && r.RamBytes <= 3800, "the test assumes the model with its runtime needs 90-100 % of 3800 B of RAM");
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"warning TL4004: RAM {r.RamBytes} bytes is {Math.Round(100.0 * r.RamBytes / 3800)}% of the budget of 3800 bytes"), buildOutput);
        Assert.Contains(
            string.Create(CultureInfo.InvariantCulture, $"TinyLoc uji_mlp -> TinyLoc.Models.UjiMlp (dotnet, {r.Scheme}, unroll none): RAM {r.RamBytes:N0} B of 3800 ({100.0 * r.RamBytes / 3800:0.0}%), flash {r.FlashBytes:N0} B (estimate) of 64KiB ({100.0 * r.FlashBytes / 65536:0.0}%)"),
            buildOutput);
    }

    /// <summary>
    /// The reference evaluator's count of right building × floor answers on the file: the example's
    /// generated class must reproduce it exactly (the README reports 93.07 %, 1,034 of 1,111).
    /// </summary>
    private static (int Scans, int Right) ReferenceAccuracy(string csvGz)
    {
        var compilation = TinyLocCompilation.Create(Path.Combine(RepoPaths.ExamplesModels, "uji_mlp.tinyloc.json"));
        var labels = compilation.Manifest!.Output.Labels;
        var features = compilation.Manifest.Input.Features;
        using var reader = new StreamReader(new GZipStream(File.OpenRead(csvGz), CompressionMode.Decompress));
        string[] header = reader.ReadLine()!.Split(',');
        int[] columns = features.Select(f => Array.IndexOf(header, f)).ToArray();
        int floor = Array.IndexOf(header, "FLOOR"), building = Array.IndexOf(header, "BUILDINGID");
        int scans = 0, right = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            string[] cells = line.Split(',');
            float[] scores = compilation.Evaluate(columns.Select(c => float.Parse(cells[c], CultureInfo.InvariantCulture)).ToArray());
            int best = 0;
            for (int i = 1; i < scores.Length; i++)
            {
                best = scores[i] > scores[best] ? i : best;
            }

            scans++;
            right += labels[best] == $"B{cells[building]}F{cells[floor]}" ? 1 : 0;
        }

        return (scans, right);
    }
}
