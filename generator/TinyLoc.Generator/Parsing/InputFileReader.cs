using System;
using System.IO;
using System.Security;
using System.Threading;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Util;
using TinyLoc.Generator.Compiling;
using TinyLoc.Generator.Pipeline;

namespace TinyLoc.Generator.Parsing;

/// <summary>
/// Reads the bytes of a checkpoint or calibration file that is an AdditionalFile of the project and that a
/// manifest references.
/// </summary>
/// <remarks>
/// <para>
/// Why the disk: Roslyn hands AdditionalFiles to generators as text only (<c>AdditionalText.GetText</c>
/// decodes them), and a <c>.pt</c> zip, a <c>.safetensors</c> file or a <c>.csv.gz</c> does not survive
/// decoding. So the generator takes the file's path from the AdditionalFile and reads its bytes itself,
/// which is what RS1035 (no file IO in analyzers) guards against; the read is the compiler's
/// (<c>RegularFile</c>), outside this assembly.
/// </para>
/// <para>
/// Why that is still correct and incremental: the file is read only because it is an AdditionalFile. That
/// makes it an input of the <c>CoreCompile</c> target (so MSBuild recompiles when it changes), and a new
/// <c>AdditionalText</c> in the generator driver, which re-runs this read; the bytes themselves are the
/// step's output, so an unchanged file stops the pipeline here and a changed one recompiles the model.
/// Nothing is read that the build does not list, and nothing is written.
/// </para>
/// </remarks>
internal static class InputFileReader
{
    /// <summary>True when <paramref name="path"/> is one of the <paramref name="wanted"/> full paths.</summary>
    /// <param name="path">An AdditionalFile's path.</param>
    /// <param name="wanted">The sorted full paths the manifests reference.</param>
    public static bool IsWanted(string path, EquatableArray<string> wanted)
    {
        if (wanted.IsEmpty || RequestReader.IsManifest(path))
        {
            return false;
        }

        string full = RequestReader.Normalize(path);
        foreach (string w in wanted)
        {
            if (string.Equals(w, full, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Reads one file as the command line reads it: only a regular file, at most as large as the compiler's limit
    /// for its kind (a FIFO, a link to <c>/dev/zero</c> or a 1 GB file listed as an AdditionalFile is refused
    /// without being opened or read whole). An unreadable or refused file gives an <see cref="InputFile"/> with
    /// the reason. Never throws.
    /// </summary>
    /// <param name="path">The AdditionalFile's path.</param>
    /// <param name="cancellationToken">Cancels the read (checked before it).</param>
    public static InputFile Read(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string full = RequestReader.Normalize(path);
        bool checkpoint = ModelCompiler.IsCheckpoint(full);
        try
        {
            byte[] bytes = RegularFile.ReadAllBytes(
                full,
                checkpoint ? InputLimits.MaxCheckpointBytes : InputLimits.MaxCsvFileBytes,
                checkpoint ? "a checkpoint" : "a CSV file");
            return new InputFile(full, EquatableArray.Wrap(bytes), null);
        }
        catch (DiagnosticException e)
        {
            return new InputFile(full, EquatableArray<byte>.Empty, e.Diagnostic.Message, e.Diagnostic.Id);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecurityException or ArgumentException or NotSupportedException)
        {
            return new InputFile(full, EquatableArray<byte>.Empty, e.Message);
        }
    }
}
