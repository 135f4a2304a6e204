using System;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Tests.Security.Corpus;
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
        var error = new StringWriter();
        var previous = Console.Error;
        int exit;
        try
        {
            Console.SetError(error);
            exit = TinyLoc.Cli.Program.Main(allowOutside ? new[] { "check", input.Manifest, "--allow-outside-paths" } : new[] { "check", input.Manifest });
        }
        finally
        {
            Console.SetError(previous);
            foreach (string f in Directory.EnumerateFileSystemEntries(dir))
            {
                File.Delete(f);
            }

            Directory.Delete(dir);
        }

        string[] lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1, exit);
        string line = Assert.Single(lines);
        Assert.StartsWith(Path.Combine(dir, file), line, StringComparison.Ordinal);
        Assert.Contains(": error " + id + ": ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("   at ", StringComparison.Ordinal));
    }
}
