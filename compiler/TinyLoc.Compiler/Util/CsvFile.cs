using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Text;
using TinyLoc.Compiler.Diagnostics;

namespace TinyLoc.Compiler.Util;

/// <summary>
/// A streaming reader for plain comma-separated files (optionally gzip-compressed, by the .gz
/// extension), as the RSSI datasets use: a header row, no quoted commas. Untrusted input: the file must be a
/// regular file (<see cref="RegularFile"/>), and lines, rows and the decompressed text are bounded by
/// <see cref="InputLimits"/> (TL1111), so a small .gz cannot hold a 1 GiB line or ten million rows.
/// </summary>
public sealed class CsvFile : IDisposable
{
    private readonly StreamReader _reader;
    private readonly StringBuilder _line = new();
    private int _lineNumber;
    private int _rows;
    private long _chars;

    public CsvFile(string path, FileSource? files = null)
    {
        Path = path;
        Stream file = files is null
            ? RegularFile.OpenRead(path, InputLimits.MaxCsvFileBytes, "a CSV file")
            : new MemoryStream(files.ReadAllBytes(path, InputLimits.MaxCsvFileBytes, "a CSV file"));
        Stream s = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        _reader = new StreamReader(s);
        Header = Next() ?? Array.Empty<string>();
    }

    public string Path { get; }

    public string[] Header { get; }

    /// <summary>The 1-based line number of the row last returned.</summary>
    public int Line => _lineNumber;

    /// <summary>Index of a header column, or -1.</summary>
    public int Column(string name) => Array.IndexOf(Header, name);

    /// <summary>The data rows (blank lines skipped); TL1111 past <see cref="InputLimits.MaxCsvRows"/>.</summary>
    public IEnumerable<string[]> Rows()
    {
        string[]? row;
        while ((row = Next()) is not null)
        {
            if (row.Length == 1 && row[0].Length == 0)
            {
                continue;
            }

            if (++_rows > InputLimits.MaxCsvRows)
            {
                throw OverLimit(string.Format(CultureInfo.InvariantCulture, "more than {0:N0} data rows", InputLimits.MaxCsvRows));
            }

            yield return row;
        }
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>The diagnostic for a CSV over one of its limits, at the current line.</summary>
    public DiagnosticException OverLimit(string what) =>
        new(DiagnosticDescriptors.CsvOverLimit, new SourceLocation(Path, _lineNumber, 1), what);

    private string[]? Next()
    {
        string? line = ReadLine();
        if (line is null)
        {
            return null;
        }

        _lineNumber++;
        return line.TrimEnd('\r').Split(',');
    }

    /// <summary>The next line without its \n, or null at the end; a line is never held past its limit.</summary>
    private string? ReadLine()
    {
        _line.Clear();
        int c;
        while ((c = _reader.Read()) >= 0)
        {
            if (++_chars > InputLimits.MaxCsvChars)
            {
                throw OverLimit(string.Format(CultureInfo.InvariantCulture, "more than {0:N0} characters of text", InputLimits.MaxCsvChars));
            }

            if (c == '\n')
            {
                return _line.ToString();
            }

            if (_line.Length >= InputLimits.MaxCsvLineChars)
            {
                _lineNumber++;
                throw OverLimit(string.Format(CultureInfo.InvariantCulture, "a line longer than {0:N0} characters", InputLimits.MaxCsvLineChars));
            }

            _line.Append((char)c);
        }

        return _line.Length > 0 ? _line.ToString() : null;
    }
}
