using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using TinyLoc.Compiler.Diagnostics;

namespace TinyLoc.Compiler.Util;

/// <summary>
/// A streaming reader for plain comma-separated files (optionally gzip-compressed, by the .gz
/// extension), as the RSSI datasets use: a header row, no quoted commas. Untrusted input: the file must be a
/// regular file (<see cref="RegularFile"/>), and lines, rows and the decompressed text are bounded by
/// <see cref="InputLimits"/> (TL1111), so a small .gz cannot hold a 1 GiB line or ten million rows. A line is
/// held in one reused buffer; <see cref="Values"/> reads numbers from it without a string per cell.
/// </summary>
public sealed class CsvFile : IDisposable
{
    private readonly StreamReader _reader;
    private char[] _line = new char[4096];
    private int _length;
    private int _lineNumber;
    private int _rows;
    private long _chars;
    private int _textCells;

    public CsvFile(string path, FileSource? files = null)
    {
        Path = path;
        Stream file = files is null
            ? RegularFile.OpenRead(path, InputLimits.MaxCsvFileBytes, "a CSV file")
            : new MemoryStream(files.ReadAllBytes(path, InputLimits.MaxCsvFileBytes, "a CSV file"));
        Stream s = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        _reader = new StreamReader(s);
        Header = ReadLine() ? Cells() : Array.Empty<string>();
    }

    public string Path { get; }

    public string[] Header { get; }

    /// <summary>The 1-based line number of the row last returned.</summary>
    public int Line => _lineNumber;

    /// <summary>Index of a header column, or -1.</summary>
    public int Column(string name) => Array.IndexOf(Header, name);

    /// <summary>The data rows' cells (blank lines skipped); TL1111 past the limits.</summary>
    public IEnumerable<string[]> Rows()
    {
        while (NextRow())
        {
            yield return Cells();
        }
    }

    /// <summary>
    /// The data rows as the numbers in <paramref name="columns"/> (a missing or blank cell is
    /// <paramref name="emptyValue"/>); TL1107 for a cell that is not a number, TL1111 past the limits.
    /// </summary>
    public IEnumerable<float[]> Values(int[] columns, float emptyValue)
    {
        var starts = new List<int>();
        while (NextRow())
        {
            CellStarts(starts);
            var row = new float[columns.Length];
            for (int i = 0; i < columns.Length; i++)
            {
                int c = columns[i];
                row[i] = c + 1 < starts.Count ? Number(starts[c], starts[c + 1] - 1, c, emptyValue) : emptyValue;
            }

            yield return row;
        }
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>The diagnostic for a CSV over one of its limits, at the current line.</summary>
    public DiagnosticException OverLimit(string what) =>
        new(DiagnosticDescriptors.CsvOverLimit, new SourceLocation(Path, _lineNumber, 1), what);

    private bool NextRow()
    {
        while (ReadLine())
        {
            if (_length == 0)
            {
                continue;
            }

            if (++_rows > InputLimits.MaxCsvRows)
            {
                throw OverLimit(string.Format(CultureInfo.InvariantCulture, "more than {0:N0} data rows", InputLimits.MaxCsvRows));
            }

            return true;
        }

        return false;
    }

    private string[] Cells() => new string(_line, 0, _length).Split(',');

    /// <summary>The start of each cell of the line, and one past the line's end (as if a comma followed it).</summary>
    private void CellStarts(List<int> starts)
    {
        starts.Clear();
        starts.Add(0);
        for (int i = 0; i < _length; i++)
        {
            if (_line[i] == ',')
            {
                starts.Add(i + 1);
            }
        }

        starts.Add(_length + 1);
    }

    private float Number(int start, int end, int column, float emptyValue)
    {
        while (start < end && char.IsWhiteSpace(_line[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(_line[end - 1]))
        {
            end--;
        }

        if (start == end)
        {
            return emptyValue;
        }

        if (PlainDecimal.TryParse(_line, start, end, out float value))
        {
            return value;
        }

        if (end - start > InputLimits.MaxCsvNumberChars)
        {
            string excerpt = new(_line, start, InputLimits.MaxCsvNumberChars);
            throw new DiagnosticException(DiagnosticDescriptors.CalibrationMalformed, new SourceLocation(Path, _lineNumber, column + 1),
                string.Format(CultureInfo.InvariantCulture, "'{0}…' ({1:N0} characters) is not a number", excerpt, end - start));
        }

        if (++_textCells > InputLimits.MaxCsvTextCells)
        {
            throw OverLimit(string.Format(CultureInfo.InvariantCulture, "more than {0:N0} cells that are not plain decimal numbers", InputLimits.MaxCsvTextCells));
        }

        // NaN and infinities (or 1e39, infinite as float32) are no RSSI reading: a range measured over them would
        // quietly mean something else, so they are refused like text.
        string cell = new(_line, start, end - start);
        return float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !float.IsNaN(value) && !float.IsInfinity(value)
            ? value
            : throw new DiagnosticException(DiagnosticDescriptors.CalibrationMalformed, new SourceLocation(Path, _lineNumber, column + 1), $"'{cell}' is not a finite number");
    }

    /// <summary>Reads the next line (without \n or a final \r) into the buffer; false at the end of the text.</summary>
    private bool ReadLine()
    {
        _length = 0;
        bool any = false;
        int c;
        while ((c = _reader.Read()) >= 0)
        {
            any = true;
            if (++_chars > InputLimits.MaxCsvChars)
            {
                throw OverLimit(string.Format(CultureInfo.InvariantCulture, "more than {0:N0} characters of text", InputLimits.MaxCsvChars));
            }

            if (c == '\n')
            {
                break;
            }

            if (_length == InputLimits.MaxCsvLineChars)
            {
                _lineNumber++;
                throw OverLimit(string.Format(CultureInfo.InvariantCulture, "a line longer than {0:N0} characters", InputLimits.MaxCsvLineChars));
            }

            if (_length == _line.Length)
            {
                Array.Resize(ref _line, Math.Min(_line.Length * 2, InputLimits.MaxCsvLineChars));
            }

            _line[_length++] = (char)c;
        }

        if (!any)
        {
            return false;
        }

        _lineNumber++;
        if (_length > 0 && _line[_length - 1] == '\r')
        {
            _length--;
        }

        return true;
    }
}
