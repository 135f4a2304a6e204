using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace TinyLoc.Tests.Shared;

/// <summary>
/// Well-known folders of the source tree and of the shared data path, found from the source tree,
/// never from the build output.
/// </summary>
/// <remarks>
/// The repository root is the nearest folder holding <c>TinyLoc.Compiler.sln</c>, searched upwards
/// from <see cref="AppContext.BaseDirectory"/>, then from the current directory, then from this
/// file's compile-time path. The last one matters when the tests are built with
/// <c>--artifacts-path</c> outside the repository (the binaries then live under <c>/tmp</c>).
/// </remarks>
public static class RepoPaths
{
    /// <summary>The file that marks the repository root.</summary>
    public const string SolutionFileName = "TinyLoc.Compiler.sln";

    /// <summary>The environment variable that points at the real datasets.</summary>
    public const string DataEnvironmentVariable = "TINYLOC_DATA";

    private static readonly Lazy<string> LazyRepoRoot = new(FindRepoRoot);

    /// <summary>The repository root: the folder that holds <c>TinyLoc.Compiler.sln</c>.</summary>
    public static string RepoRoot => LazyRepoRoot.Value;

    /// <summary>The trained example checkpoints and manifests: <c>examples/models</c>.</summary>
    public static string ExamplesModels => Path.Combine(RepoRoot, "examples", "models");

    /// <summary>Small committed models and golden vectors: <c>tests/testdata</c>.</summary>
    public static string TestData => Path.Combine(RepoRoot, "tests", "testdata");

    /// <summary>
    /// The folder holding the real datasets: the <c>TINYLOC_DATA</c> environment variable when it
    /// is set and not empty, else <c>&lt;repo&gt;/../shared/datasets</c>.
    /// </summary>
    public static string DataRoot
    {
        get
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable(DataEnvironmentVariable);
            return string.IsNullOrWhiteSpace(fromEnvironment)
                ? Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "datasets"))
                : Path.GetFullPath(fromEnvironment);
        }
    }

    /// <summary>A test project's source folder, <c>tests/NAME</c>.</summary>
    /// <param name="name">The project's folder name, such as <c>TinyLoc.Compiler.Tests</c>.</param>
    public static string TestProject(string name) => Path.Combine(RepoRoot, "tests", name);

    private static string FindRepoRoot()
    {
        string?[] starts =
        [
            AppContext.BaseDirectory,
            Environment.CurrentDirectory,
            Path.GetDirectoryName(ThisSourceFile()),
        ];

        foreach (string? start in starts)
        {
            if (FindUpwards(start) is { } root)
            {
                return root;
            }
        }

        throw new InvalidOperationException(
            $"Could not find {SolutionFileName} above '{AppContext.BaseDirectory}', "
            + $"'{Environment.CurrentDirectory}' or '{ThisSourceFile()}'.");
    }

    private static string? FindUpwards(string? start)
    {
        if (string.IsNullOrEmpty(start) || !Path.IsPathRooted(start))
        {
            return null;
        }

        for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static string ThisSourceFile([CallerFilePath] string path = "") => path;
}
