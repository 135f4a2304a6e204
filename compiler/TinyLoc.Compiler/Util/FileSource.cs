using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using TinyLoc.Compiler.Diagnostics;

namespace TinyLoc.Compiler.Util;

/// <summary>
/// Where the compiler reads manifests, checkpoints and calibration data from: the disk by default, or
/// contents handed over in memory (a source generator gets its files from the build, not the disk).
/// Implementations throw the usual IO exceptions, which the readers turn into TL1001, and TL1012/TL1013
/// diagnostics for what is not a regular file or is over the caller's limit (<see cref="InputLimits"/>).
/// </summary>
public abstract class FileSource
{
    public static FileSource Disk { get; } = new DiskSource();

    /// <summary>A source that serves only the given files (full paths), and "not found" for any other.</summary>
    public static FileSource InMemory(IReadOnlyDictionary<string, byte[]> files) => new MemorySource(files);

    /// <summary>The whole file, refused when it is larger than <paramref name="maxBytes"/> (TL1013 names it as <paramref name="what"/>).</summary>
    public abstract byte[] ReadAllBytes(string path, long maxBytes, string what);

    /// <summary>The file as UTF-8 text (a BOM is dropped), with \r\n turned into \n.</summary>
    public string ReadAllText(string path, long maxBytes, string what)
    {
        byte[] b = ReadAllBytes(path, maxBytes, what);
        int skip = b.Length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0;
        return Encoding.UTF8.GetString(b, skip, b.Length - skip).Replace("\r\n", "\n");
    }

    private sealed class DiskSource : FileSource
    {
        public override byte[] ReadAllBytes(string path, long maxBytes, string what) => RegularFile.ReadAllBytes(path, maxBytes, what);
    }

    private sealed class MemorySource : FileSource
    {
        private readonly Dictionary<string, byte[]> _files;

        public MemorySource(IReadOnlyDictionary<string, byte[]> files)
        {
            _files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var kv in files)
            {
                _files[Path.GetFullPath(kv.Key)] = kv.Value;
            }
        }

        public override byte[] ReadAllBytes(string path, long maxBytes, string what)
        {
            if (!_files.TryGetValue(Path.GetFullPath(path), out var b))
            {
                throw new FileNotFoundException("the file was not given to the compiler", path);
            }

            return b.Length <= maxBytes ? b : throw new DiagnosticException(DiagnosticDescriptors.FileTooLarge, new SourceLocation(path), b.Length, maxBytes, what);
        }
    }
}
