using System;
using System.IO;
using System.Linq;
using TinyLoc.Tests.Shared;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// The compiler tests' own folders and the dataset look-up; the repository's common folders
/// (root, examples, test data, data root) are <see cref="RepoPaths"/>.
/// </summary>
public static class TestPaths
{
    /// <summary>The test project's source folder: <c>tests/TinyLoc.Compiler.Tests</c>.</summary>
    public static string TestProject => RepoPaths.TestProject("TinyLoc.Compiler.Tests");

    /// <summary>The approved-file snapshots: <c>tests/TinyLoc.Compiler.Tests/Snapshots</c>.</summary>
    public static string Snapshots => Path.Combine(TestProject, "Snapshots");

    /// <summary>
    /// True when <paramref name="folder"/> exists under <see cref="RepoPaths.DataRoot"/> and holds at least
    /// one file. The folder name is matched case-insensitively when the exact spelling is absent.
    /// </summary>
    /// <param name="folder">A dataset folder name, such as <c>ujiindoorloc</c>.</param>
    public static bool HasDataset(string folder) => Dataset(folder) is { } path
        && Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Any();

    /// <summary>
    /// The full path of dataset <paramref name="folder"/> under <see cref="RepoPaths.DataRoot"/>, or null when
    /// it does not exist. The exact spelling wins; otherwise a case-insensitive match is used.
    /// </summary>
    /// <param name="folder">A dataset folder name, such as <c>ble-rss-kolakowski-2021</c>.</param>
    public static string? Dataset(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        string root = RepoPaths.DataRoot;
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
}
