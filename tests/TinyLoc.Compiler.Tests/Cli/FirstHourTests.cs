using System;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Tests.Golden;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.Cli;

/// <summary>Issue 13's first-hour items that have no other home: where an error is blamed, and a model that takes its inputs as they are.</summary>
public sealed class FirstHourTests
{
    [Fact]
    public void AnUnknownSchemeOnTheCommandLineIsBlamedOnTheOptionNotTheManifest()
    {
        using var dir = ScratchDirectory.Create("first-hour-scheme");
        Assert.Equal(1, CliRun.Run(out _, out string stderr, "compile", GoldenModels.Manifest("kolakowski_mlp"), "--target", "stm32", "--out", dir.Path, "--scheme", "int4"));
        Assert.StartsWith("--scheme: error TL3001: quantisation scheme 'int4' is not known", stderr.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("quantization.scheme", stderr, StringComparison.Ordinal);

        // The same name in the manifest is blamed on the manifest's field.
        string manifest = dir.File("m.tinyloc.json");
        File.Copy(GoldenModels.Manifest("kolakowski_mlp"), manifest);
        File.Copy(Path.ChangeExtension(GoldenModels.Manifest("kolakowski_mlp"), null).Replace(".tinyloc", string.Empty) + ".pt", dir.File("kolakowski_mlp.pt"));
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"scheme\": \"static\"", "\"scheme\": \"int4\"", StringComparison.Ordinal));
        Assert.Equal(1, CliRun.Run(out _, out stderr, "check", manifest));
        Assert.Contains("(field 'quantization.scheme')", stderr, StringComparison.Ordinal);
        dir.MarkSucceeded();
    }

    [Fact]
    public void AModelWithoutNormalisationNeedsNoRssiRangeAndItsCodeDoesNotClaimDbm()
    {
        using var dir = ScratchDirectory.Create("first-hour-norm-none");
        var w = new Onnx.OnnxWriter().Input("x", 1, 4).Output("y", 1, 4).Node("Relu", new[] { "x" }, new[] { "y" });
        File.WriteAllBytes(dir.File("m.onnx"), w.Build());
        File.WriteAllText(dir.File("m.tinyloc.json"), """
            {
              "tinyloc": 1, "name": "m", "checkpoint": "m.onnx",
              "input": { "features": ["a", "b", "c", "d"], "normalisation": "none", "missing_value": -120 },
              "output": { "kind": "regression", "names": ["p", "q", "r", "s"] }
            }
            """);
        var c = Compilation.Create(dir.File("m.tinyloc.json"));
        Assert.True(c.Success, string.Join("\n", c.Diagnostics.Items));
        Assert.Equal(new[] { 0f, 2f, 0f, 0.5f }, c.Evaluate(new[] { -3f, 2f, -0.5f, 0.5f }));
        string header = c.Emit("stm32")!.Single(f => f.Path.EndsWith("m.h", StringComparison.Ordinal)).Content;
        Assert.Contains("4 values, taken as they are (no normalisation)", header, StringComparison.Ordinal);
        Assert.DoesNotContain("dBm", header, StringComparison.Ordinal);
        Assert.DoesNotContain("dBm", c.Emit("dotnet")![0].Content, StringComparison.Ordinal);

        // With min-max normalisation the range is still required, named by its field.
        File.WriteAllText(dir.File("m.tinyloc.json"), File.ReadAllText(dir.File("m.tinyloc.json")).Replace("\"none\"", "\"minmax\"", StringComparison.Ordinal));
        var d = Assert.Single(Compilation.Create(dir.File("m.tinyloc.json")).Diagnostics.Errors);
        Assert.Equal("TL1103", d.Id);
        Assert.Contains("rssi_range", d.Message, StringComparison.Ordinal);
        dir.MarkSucceeded();
    }
}
