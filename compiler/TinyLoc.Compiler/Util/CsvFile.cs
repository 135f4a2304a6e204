using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace TinyLoc.Compiler.Util;

/// <summary>
/// A streaming reader for plain comma-separated files (optionally gzip-compressed, by the .gz
/// extension), as the RSSI datasets use: a header row, no quoted commas.
/// </summary>
public sealed class CsvFile : IDisposable
{
    private readonly StreamReader _reader;
    private int _line;

    public CsvFile(string path, FileSource? files = null)
    {
        Path = path;
        Stream file = files is null ? File.OpenRead(path) : new MemoryStream(files.ReadAllBytes(path));
        Stream s = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        _reader = new StreamReader(s);
        Header = Next() ?? Array.Empty<string>();
    }

    public string Path { get; }

    public string[] Header { get; }

    /// <summary>The 1-based line number of the row last returned.</summary>
    public int Line => _line;

    /// <summary>Index of a header column, or -1.</summary>
    public int Column(string name) => Array.IndexOf(Header, name);

    public IEnumerable<string[]> Rows()
    {
        string[]? row;
        while ((row = Next()) is not null)
        {
            if (row.Length == 1 && row[0].Length == 0)
            {
                continue;
            }

            yield return row;
        }
    }

    public void Dispose() => _reader.Dispose();

    private string[]? Next()
    {
        string? line = _reader.ReadLine();
        if (line is null)
        {
            return null;
        }

        _line++;
        return line.TrimEnd('\r').Split(',');
    }
}
