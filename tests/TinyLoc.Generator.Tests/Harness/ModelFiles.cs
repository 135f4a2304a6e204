using System.Collections.Generic;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Manifest;

namespace TinyLoc.Generator.Tests.Harness;

/// <summary>The AdditionalFiles a <c>TinyLocModel</c> item adds: the manifest (with its text) and the files it names.</summary>
public static class ModelFiles
{
    /// <summary>The manifest at <paramref name="manifestPath"/> and its checkpoint and calibration file.</summary>
    /// <param name="manifestPath">A manifest on disk.</param>
    public static IReadOnlyList<TestAdditionalText> For(string manifestPath) =>
        For(Path.GetFullPath(manifestPath), File.ReadAllText(manifestPath));

    /// <summary>A manifest given as text (it need not exist on disk) and the files on disk it names.</summary>
    /// <param name="manifestPath">Where the manifest is said to be (relative references resolve from it).</param>
    /// <param name="text">The manifest's text.</param>
    public static IReadOnlyList<TestAdditionalText> For(string manifestPath, string text)
    {
        var files = new List<TestAdditionalText> { new(manifestPath, text) };
        var manifest = ManifestReader.Parse(manifestPath, text, new DiagnosticBag());
        if (manifest is not null)
        {
            files.AddRange(new[] { manifest.CheckpointPath, manifest.Quantization.CalibrationPath }
                .Where(p => p is not null)
                .Select(p => new TestAdditionalText(p!, null)));
        }

        return files;
    }
}
