using System;
using System.IO;
using System.Security;
using TinyLoc.Compiler.Diagnostics;

namespace TinyLoc.Compiler.Import;

/// <summary>File access shared by the checkpoint readers: reading the bytes, and the last-resort error mapping.</summary>
internal static class CheckpointFile
{
    /// <summary>Reads the whole file, or throws TL1001 naming why it cannot be read (TL1012/TL1013 for what is not a regular file or too large).</summary>
    public static byte[] ReadAllBytes(string path, SourceLocation location, Util.FileSource files)
    {
        try
        {
            return files.ReadAllBytes(path, Util.InputLimits.MaxCheckpointBytes, "a checkpoint");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException
            or NotSupportedException or SecurityException or OutOfMemoryException)
        {
            string reason = ex switch
            {
                FileNotFoundException => "the file does not exist",
                DirectoryNotFoundException => "its folder does not exist",
                UnauthorizedAccessException => "access is denied",
                OutOfMemoryException => "the file is too large",
                _ => ex.Message,
            };
            throw new DiagnosticException(DiagnosticDescriptors.FileNotReadable, new SourceLocation(location.File), reason);
        }
    }

    /// <summary>
    /// Runs a reader's body and turns every failure into exactly one diagnostic in <paramref name="diagnostics"/>,
    /// so no exception escapes a reader. Unexpected exceptions become <paramref name="fallback"/> with the
    /// exception's type and message.
    /// </summary>
    public static StateDict? Guard(string path, DiagnosticBag diagnostics, DiagnosticDescriptor fallback, Func<SourceLocation, StateDict> body)
    {
        var location = new SourceLocation(path ?? string.Empty);
        try
        {
            return body(location);
        }
        catch (DiagnosticException ex)
        {
            diagnostics.AddRange(new[] { ex.Diagnostic });
        }
        catch (Exception ex)
        {
            diagnostics.Report(fallback, location, "internal error of the reader (" + ex.GetType().Name + ": " + ex.Message + ")");
        }

        return null;
    }
}
