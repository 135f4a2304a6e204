using System.IO;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Compiler.Tests.Pipeline;

/// <summary>The docs match the code: every diagnostic is in the README table, every target has a template folder documented.</summary>
public sealed class DocumentationTests
{
    [Fact]
    public void TheReadmeListsEveryDiagnosticWithItsTitle()
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "README.md"));
        foreach (var d in typeof(DiagnosticDescriptors).GetFields().Select(f => (DiagnosticDescriptor)f.GetValue(null)!))
        {
            Assert.Contains($"| {d.Id} | {(d.Severity == Severity.Error ? "error" : "warning")} | {d.Title} |", readme);
        }
    }

    [Fact]
    public void EveryEmbeddedTargetIsDocumented()
    {
        string doc = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "mcu-templates", "README.md"));
        var targets = TinyLoc.Compiler.Emit.TemplateSource.Embedded.Targets();
        Assert.Equal(new[] { "dotnet", "esp-idf", "meadow", "nanoframework", "stm32" }, targets);
        Assert.All(targets, t => Assert.Contains($"`{t}`", doc));
    }
}
