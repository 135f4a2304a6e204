using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Generator.Tests.Harness;

/// <summary>
/// Packs TinyLoc.Generator once for the package tests (a fresh <c>dotnet pack</c> into a temporary folder,
/// with its own artifacts path, so the repository stays clean), and lays out a temporary copy of the
/// examples the way the repository does: <c>examples/NAME</c>, <c>examples/models</c> and the local
/// feed <c>artifacts/nupkg</c> their nuget.config names. Restores go to a private package folder, so a
/// stale TinyLoc.Generator 0.1.0 in the user's NuGet cache is never used.
/// </summary>
public sealed class PackedGenerator : IDisposable
{
    /// <summary>Packs the generator.</summary>
    public PackedGenerator()
    {
        Root = Path.Combine(Path.GetTempPath(), "tinyloc-generator-package", Guid.NewGuid().ToString("N")[..12]);
        Feed = Path.Combine(Root, "artifacts", "nupkg");
        Directory.CreateDirectory(Feed);
        Environment = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = Path.Combine(Root, "nuget-packages"),
            ["TINYLOC_DATA"] = RepoPaths.DataRoot,

            // Build as on a developer machine: with the SDK's compiler server (some CI images turn it off).
            ["UseSharedCompilation"] = "true",
        };
        // The pack restores from the usual package folder (filled by the solution's own restore).
        PackResult = Dotnet.Run(
            RepoPaths.RepoRoot,
            new Dictionary<string, string> { ["UseSharedCompilation"] = "true" },
            TimeSpan.FromMinutes(5),
            "pack", Path.Combine(GeneratorPaths.GeneratorProject, "TinyLoc.Generator.csproj"),
            "-c", "Release", "-o", Feed, "--artifacts-path", Path.Combine(Root, "build"), "-nodeReuse:false");
        Package = Directory.EnumerateFiles(Feed, "TinyLoc.Generator.*.nupkg").SingleOrDefault();
    }

    /// <summary>The temporary folder holding everything.</summary>
    public string Root { get; }

    /// <summary>The local feed: <c>artifacts/nupkg</c>.</summary>
    public string Feed { get; }

    /// <summary>For the example builds: NUGET_PACKAGES (private: only TinyLoc.Generator is restored, from the local feed), TINYLOC_DATA and UseSharedCompilation=true.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The pack command's result.</summary>
    public ProcessResult PackResult { get; }

    /// <summary>The packed nupkg, or null when packing failed.</summary>
    public string? Package { get; }

    /// <summary>Copies <c>examples/NAME</c> and the example models into <see cref="Root"/> (once); returns the copy's folder.</summary>
    /// <param name="name">The example's folder name, such as <c>dotnet-console</c>.</param>
    /// <param name="copyName">The copy's folder name (default: the same), for a second copy to change.</param>
    public string CopyExample(string name, string? copyName = null)
    {
        Assert.True(Package is not null, PackResult.Describe());
        string target = Path.Combine(Root, "examples", copyName ?? name);
        if (Directory.Exists(target))
        {
            return target;
        }

        CopyFolder(Path.Combine(RepoPaths.RepoRoot, "examples", name), target);
        string models = Path.Combine(Root, "examples", "models");
        if (!Directory.Exists(models))
        {
            CopyFolder(RepoPaths.ExamplesModels, models);
        }

        return target;
    }

    /// <summary>Deletes the temporary folder.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is not worth failing the run for.
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            string destination = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
