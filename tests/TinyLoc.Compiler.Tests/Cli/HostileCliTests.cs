using System;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Tests.Security.Corpus;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Compiler.Tests.Cli;

/// <summary>
/// The worst cases of the hostile corpus through <c>tinyloc check</c> as a user runs it (the CLI's own entry point,
/// as <see cref="CliTests"/> runs it): exit code 1 and the TL diagnostic naming the file on stderr, nothing else.
/// </summary>
[Collection("cli")]
public sealed class HostileCliTests
{
    [Theory]
    [InlineData("fifo:checkpoint", "TL1012", "model.pt", false)]
    [InlineData("device-link:checkpoint->/dev/zero", "TL1014", "m.tinyloc.json", false)]
    [InlineData("device-link-allowed:checkpoint->/dev/zero", "TL1012", "model.pt", true)]
    [InlineData("inflating-storage:1024MiB", "TL1015", "model.pt", false)]
    [InlineData("pickle-bomb:empty-list-1MB", "TL1016", "model.pt", false)]
    [InlineData("csv-gz:line-1GiB", "TL1111", "calib.csv.gz", false)]
    public void TheWorstCasesExitOneWithTheirDiagnostic(string name, string id, string file, bool allowOutside)
    {
        string dir = Path.Combine(Path.GetTempPath(), "tinyloc-cli-hostile-" + Guid.NewGuid().ToString("N"));
        var input = HostileCorpus.Find(name).Make(new CaseFolder(dir));
        int exit;
        string[] lines;
        try
        {
            exit = Run(allowOutside ? new[] { "check", input.Manifest, "--allow-outside-paths" } : new[] { "check", input.Manifest }, out lines);
        }
        finally
        {
            foreach (string f in Directory.EnumerateFileSystemEntries(dir))
            {
                File.Delete(f);
            }

            Directory.Delete(dir);
        }

        Assert.Equal(1, exit);
        string line = Assert.Single(lines);
        Assert.StartsWith(Path.Combine(dir, file), line, StringComparison.Ordinal);
        Assert.Contains(": error " + id + ": ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("   at ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("check", "--calibration", "TL1001")]
    [InlineData("compile", "--templates", "TL5001")]
    public void AnEmptyPathOptionIsADiagnostic(string command, string option, string id)
    {
        string manifest = System.IO.Path.Combine(RepoPaths.TestData, "models", "tiny_relu_reg.tinyloc.json");
        string[] args = command == "compile"
            ? new[] { command, manifest, "--target", "stm32", "--out", System.IO.Path.GetTempPath(), option, string.Empty }
            : new[] { command, manifest, option, string.Empty };
        Assert.Equal(1, Run(args, out string[] lines));
        Assert.Contains(": error " + id + ": ", Assert.Single(lines), StringComparison.Ordinal);
    }

    /// <summary>Runs <c>tinyloc</c> with <paramref name="args"/>; <paramref name="stderr"/> gets what it printed there, by line.</summary>
    private static int Run(string[] args, out string[] stderr)
    {
        var error = new StringWriter();
        var previous = Console.Error;
        try
        {
            Console.SetError(error);
            return TinyLoc.Cli.Program.Main(args);
        }
        finally
        {
            Console.SetError(previous);
            stderr = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
    }
}
