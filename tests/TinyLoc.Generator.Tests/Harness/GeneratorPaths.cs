using System.IO;
using TinyLoc.Tests.Shared;

namespace TinyLoc.Generator.Tests.Harness;

/// <summary>
/// The generator tests' own folders; the repository's common folders (root, examples, test data, data root)
/// are <see cref="RepoPaths"/>.
/// </summary>
public static class GeneratorPaths
{
    /// <summary>This project's snapshots: <c>tests/TinyLoc.Generator.Tests/Snapshots</c>.</summary>
    public static string Snapshots => Path.Combine(RepoPaths.TestProject("TinyLoc.Generator.Tests"), "Snapshots");

    /// <summary>The generator project's folder.</summary>
    public static string GeneratorProject => Path.Combine(RepoPaths.RepoRoot, "generator", "TinyLoc.Generator");
}
