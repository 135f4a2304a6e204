using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using TinyLoc.Compiler.Tests.Golden;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.Cli;

/// <summary><c>check</c> and <c>compile</c> with <c>--json</c> (as <c>report</c> and <c>evaluate</c>), and plain text when output is redirected.</summary>
[Collection("cli")]
public sealed class JsonOutputCliTests
{
    [Fact]
    public void CheckJsonGivesUsedBudgetFitsTheExitAndTheDiagnostics()
    {
        Assert.Equal(2, CliRun.Run(out string output, out _, "check", GoldenModels.Manifest("uji_mlp"), "--ram-budget", "1KiB", "--json"));
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("exit").GetInt32());
        Assert.Equal(1024, root.GetProperty("ram").GetProperty("budget").GetInt64());
        Assert.False(root.GetProperty("ram").GetProperty("fits").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("flash").GetProperty("fits").ValueKind);
        Assert.Equal("TL4001", Assert.Single(root.GetProperty("diagnostics").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public void CompileJsonListsTheFilesAndCarriesTheReport()
    {
        using var dir = ScratchDirectory.Create("cli-json-compile");
        Assert.Equal(0, CliRun.Run(out string output, out _, "compile", GoldenModels.Manifest("kolakowski_mlp"), "--target", "stm32", "--out", dir.Path, "--json"));
        using var doc = JsonDocument.Parse(output);
        var files = doc.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.Contains(Path.Combine(dir.Path, "kolakowski_mlp.h"), files);
        Assert.All(files, f => Assert.True(File.Exists(f)));
        Assert.Equal("kolakowski_mlp", doc.RootElement.GetProperty("report").GetProperty("model").GetString());
        Assert.True(doc.RootElement.GetProperty("report").GetProperty("ram").GetProperty("total").GetInt64() > 0);

        Assert.Equal(1, CliRun.Run(out output, out _, "compile", GoldenModels.Manifest("kolakowski_mlp"), "--target", "stm32", "--out", dir.Path, "--scheme", "int4", "--json"));
        using var failed = JsonDocument.Parse(output);
        Assert.Empty(failed.RootElement.GetProperty("files").EnumerateArray());
        Assert.NotEmpty(failed.RootElement.GetProperty("diagnostics").EnumerateArray());
    }

    [Fact]
    public void RedirectedOutputHasNoAnsiAndNoWrapping()
    {
        using var dir = ScratchDirectory.Create("cli-plain");
        Assert.Equal(0, CliRun.Run(out string output, out _, "compile", GoldenModels.Manifest("kolakowski_mlp"), "--target", "stm32", "--out", dir.Path));
        Assert.DoesNotContain("\u001b", output, StringComparison.Ordinal);
        string summary = Assert.Single(output.Split('\n'), l => l.StartsWith("kolakowski_mlp (", StringComparison.Ordinal));
        Assert.True(summary.Length > 80);
        Assert.Contains("MACs", summary, StringComparison.Ordinal);

        Assert.Equal(0, CliRun.Run(out output, out _, "check", GoldenModels.Manifest("uji_mlp"), "--ram-budget", "64KiB"));
        Assert.DoesNotContain("\u001b", output, StringComparison.Ordinal);
    }
}
