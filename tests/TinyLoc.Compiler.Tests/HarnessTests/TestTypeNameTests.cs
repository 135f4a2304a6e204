using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Compiler.Tests.HarnessTests;

/// <summary>
/// What both test projects need lives once in <c>tests/TinyLoc.Tests.Shared</c>; neither test project declares a
/// type under a name the other (or the shared project) also declares, so a helper is never copied under the same
/// name. The generator test assembly is not referenced here, so the projects' sources are parsed instead.
/// </summary>
public sealed class TestTypeNameTests
{
    private static readonly string[] Projects = ["TinyLoc.Compiler.Tests", "TinyLoc.Generator.Tests", "TinyLoc.Tests.Shared"];

    [Fact]
    public void NoTypeNameIsDeclaredInTwoTestProjects()
    {
        var declaredIn = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string project in Projects)
        {
            foreach (var (name, file) in Declarations(project))
            {
                if (!declaredIn.TryGetValue(name, out var files))
                {
                    declaredIn[name] = files = [];
                }

                files.Add($"{project}/{file}");
            }
        }

        var clashes = declaredIn
            .Where(p => p.Value.Select(f => f[..f.IndexOf('/', StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal).Count() > 1)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}: {string.Join(", ", p.Value.Order(StringComparer.Ordinal))}")
            .ToList();
        Assert.True(clashes.Count == 0, "Type names declared in more than one test project (move one copy to tests/TinyLoc.Tests.Shared or rename the project-specific one):\n" + string.Join('\n', clashes));
    }

    /// <summary>The scan sees what the compiler knows: every type of this assembly is among the declarations found.</summary>
    [Fact]
    public void TheSourceScanFindsEveryTypeOfThisAssembly()
    {
        var scanned = Declarations("TinyLoc.Compiler.Tests").Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var compiled = typeof(TestTypeNameTests).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("TinyLoc.Compiler.Tests", StringComparison.Ordinal) == true)
            .Where(t => t.GetCustomAttribute<CompilerGeneratedAttribute>() is null && !t.Name.Contains('<', StringComparison.Ordinal))
            .Where(t => !t.IsEnum && !typeof(Delegate).IsAssignableFrom(t))
            .Select(t => t.Name.Split('`')[0])
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(compiled);
        Assert.All(compiled, name => Assert.Contains(name, scanned));
    }

    /// <summary>Every class, record, struct and interface (nested ones too) declared in a project's sources.</summary>
    private static List<(string Name, string File)> Declarations(string project)
    {
        string root = RepoPaths.TestProject(project);
        Assert.True(Directory.Exists(root), root);
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .SelectMany(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f)).GetRoot()
                .DescendantNodes()
                .OfType<TypeDeclarationSyntax>()
                .Select(t => (t.Identifier.ValueText, Path.GetRelativePath(root, f).Replace('\\', '/'))))
            .ToList();
    }
}
