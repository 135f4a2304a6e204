using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace TinyLoc.Compiler.Util;

/// <summary>
/// Where the compiler reads manifests, checkpoints and calibration data from: the disk by default, or
/// contents handed over in memory (a source generator gets its files from the build, not the disk).
/// Implementations throw the usual IO exceptions; the readers turn them into TL1001.
/// </summary>
public abstract class FileSource
{
    public static FileSource Disk { get; } = new DiskSource();

    /// <summary>A source that serves only the given files (full paths), and "not found" for any other.</summary>
    public static FileSource InMemory(IReadOnlyDictionary<string, byte[]> files) => new MemorySource(files);

    public abstract byte[] ReadAllBytes(string path);

    /// <summary>The file as UTF-8 text (a BOM is dropped), with \r\n turned into \n.</summary>
    public string ReadAllText(string path)
    {
        byte[] b = ReadAllBytes(path);
        int skip = b.Length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0;
        return Encoding.UTF8.GetString(b, skip, b.Length - skip).Replace("\r\n", "\n");
    }

    private sealed class DiskSource : FileSource
    {
        public override byte[] ReadAllBytes(string path) => File.ReadAllBytes(path);
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

        public override byte[] ReadAllBytes(string path) =>
            _files.TryGetValue(Path.GetFullPath(path), out var b) ? b : throw new FileNotFoundException("the file was not given to the compiler", path);
    }
}
