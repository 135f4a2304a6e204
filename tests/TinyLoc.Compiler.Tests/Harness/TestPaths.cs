using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;

namespace TinyLoc.Compiler.Tests.Harness;

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
public static class TestPaths
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

    /// <summary>The test project's source folder: <c>tests/TinyLoc.Compiler.Tests</c>.</summary>
    public static string TestProject => Path.Combine(RepoRoot, "tests", "TinyLoc.Compiler.Tests");

    /// <summary>The approved-file snapshots: <c>tests/TinyLoc.Compiler.Tests/Snapshots</c>.</summary>
    public static string Snapshots => Path.Combine(TestProject, "Snapshots");

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

    /// <summary>
    /// True when <paramref name="folder"/> exists under <see cref="DataRoot"/> and holds at least
    /// one file. The folder name is matched case-insensitively when the exact spelling is absent.
    /// </summary>
    /// <param name="folder">A dataset folder name, such as <c>ujiindoorloc</c>.</param>
    public static bool HasDataset(string folder) => Dataset(folder) is { } path
        && Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Any();

    /// <summary>
    /// The full path of dataset <paramref name="folder"/> under <see cref="DataRoot"/>, or null when
    /// it does not exist. The exact spelling wins; otherwise a case-insensitive match is used.
    /// </summary>
    /// <param name="folder">A dataset folder name, such as <c>ble-rss-kolakowski-2021</c>.</param>
    public static string? Dataset(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        string root = DataRoot;
        if (!Directory.Exists(root))
        {
            return null;
        }

        string exact = Path.Combine(root, folder);
        if (Directory.Exists(exact))
        {
            return exact;
        }

        return Directory.EnumerateDirectories(root)
            .Where(d => string.Equals(Path.GetFileName(d), folder, StringComparison.OrdinalIgnoreCase))
            .OrderBy(d => d, StringComparer.Ordinal)
            .FirstOrDefault();
    }

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
