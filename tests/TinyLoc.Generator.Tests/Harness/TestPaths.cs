using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace TinyLoc.Generator.Tests.Harness;

/// <summary>Folders of the source tree (found from this file's compile-time path, so any --artifacts-path works) and the data path.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The repository root: the folder holding TinyLoc.Compiler.sln.</summary>
    public static string RepoRoot => LazyRoot.Value;

    /// <summary><c>examples/models</c>: the trained example models.</summary>
    public static string ExampleModels => Path.Combine(RepoRoot, "examples", "models");

    /// <summary><c>tests/testdata</c>.</summary>
    public static string TestData => Path.Combine(RepoRoot, "tests", "testdata");

    /// <summary>This project's snapshots: <c>tests/TinyLoc.Generator.Tests/Snapshots</c>.</summary>
    public static string Snapshots => Path.Combine(RepoRoot, "tests", "TinyLoc.Generator.Tests", "Snapshots");

    /// <summary>The generator project's folder.</summary>
    public static string GeneratorProject => Path.Combine(RepoRoot, "generator", "TinyLoc.Generator");

    /// <summary>The real datasets: TINYLOC_DATA when set, else ../shared/datasets beside the repository.</summary>
    public static string DataRoot
    {
        get
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable("TINYLOC_DATA");
            return string.IsNullOrWhiteSpace(fromEnvironment)
                ? Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "datasets"))
                : Path.GetFullPath(fromEnvironment);
        }
    }

    private static string FindRoot()
    {
        foreach (string? start in new[] { Path.GetDirectoryName(ThisFile()), AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TinyLoc.Compiler.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Could not find TinyLoc.Compiler.sln above " + ThisFile());
    }

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
