using System;
using System.IO;
using System.Runtime.InteropServices;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Manifest;

/// <summary>
/// Keeps the files a manifest names inside the manifest's folder: a manifest is untrusted, and must not make the
/// compiler read (and quote in an error) a file elsewhere by <c>../</c>, an absolute path or a symbolic link.
/// Both sides are compared with links resolved (<see cref="RealPath"/>). The user lifts this with
/// <see cref="CompileOptions.AllowOutsidePaths"/> (<c>--allow-outside-paths</c>); a path the user gives on the
/// command line is not a manifest's and is not checked.
/// </summary>
internal static class ManifestFolder
{
    private static readonly StringComparison PathComparison =
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>TL1014 (located at the manifest's <paramref name="field"/>) when <paramref name="file"/> leads outside the manifest's folder; else null.</summary>
    public static Diagnostic? Outside(string manifestPath, string file, string field)
    {
        string folder = RealPath.Of(Path.GetDirectoryName(Path.GetFullPath(manifestPath)) ?? ".");
        string real = RealPath.Of(file);
        string prefix = folder.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? folder : folder + Path.DirectorySeparatorChar;
        if (real.StartsWith(prefix, PathComparison))
        {
            return null;
        }

        var descriptor = DiagnosticDescriptors.PathOutsideManifestFolder;
        return new Diagnostic(descriptor, new SourceLocation(manifestPath, 0, 0, field), descriptor.Format(field, file, real, folder));
    }
}
