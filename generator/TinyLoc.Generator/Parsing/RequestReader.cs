using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Generator.Diagnostics;
using TinyLoc.Generator.Pipeline;

namespace TinyLoc.Generator.Parsing;

/// <summary>
/// Turns a <c>*.tinyloc.json</c> AdditionalFile into a <see cref="ModelRequest"/>: its text, its settings
/// and the full paths of the files it references. Manifest errors are not reported here; compiling the
/// model reports them, once.
/// </summary>
internal static class RequestReader
{
    /// <summary>The file name ending that marks a model manifest.</summary>
    public const string ManifestSuffix = ".tinyloc.json";

    /// <summary>True for a model manifest's path.</summary>
    /// <param name="path">An AdditionalFile's path.</param>
    public static bool IsManifest(string path) => path.EndsWith(ManifestSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>A full, normalised path, so a manifest's references and the AdditionalFiles' paths compare equal.</summary>
    /// <param name="path">A path as the build gives it.</param>
    public static string Normalize(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return path;
        }
    }

    /// <summary>Reads one manifest. Never throws (but for cancellation).</summary>
    /// <param name="file">The manifest AdditionalFile.</param>
    /// <param name="options">The build's analyzer config options.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static ModelRequest Read(AdditionalText file, AnalyzerConfigOptionsProvider options, CancellationToken cancellationToken)
    {
        string path = Normalize(file.Path);
        var settings = SettingsReader.Read(options.GlobalOptions, options.GetOptions(file));
        try
        {
            SourceText? text = file.GetText(cancellationToken);
            if (text is null)
            {
                var problem = DiagnosticText.Create(DiagnosticDescriptors.FileNotReadable, LocationInfo.FileStart(path), null, "the build could not read it as text");
                return new ModelRequest(path, null, EquatableArray<string>.Empty, settings, problem);
            }

            string content = text.ToString();
            return new ModelRequest(path, content, InputsOf(path, content), settings, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new ModelRequest(path, null, EquatableArray<string>.Empty, settings, DiagnosticText.Failure(path, e));
        }
    }

    /// <summary>Every path any manifest references, sorted, each once.</summary>
    /// <param name="all">The references of each manifest.</param>
    public static EquatableArray<string> Union(ImmutableArray<EquatableArray<string>> all) =>
        EquatableArray.From(all.SelectMany(a => a).Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal));

    private static EquatableArray<string> InputsOf(string path, string text)
    {
        var manifest = ManifestReader.Parse(path, text, new DiagnosticBag());
        if (manifest is null)
        {
            return EquatableArray<string>.Empty;
        }

        return EquatableArray.From(
            new[] { manifest.CheckpointPath, manifest.Quantization.CalibrationPath }
                .Where(p => p is not null)
                .Select(p => Normalize(p!))
                .Distinct(StringComparer.Ordinal)
                .OrderBy(p => p, StringComparer.Ordinal));
    }
}
