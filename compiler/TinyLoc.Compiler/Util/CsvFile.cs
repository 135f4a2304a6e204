using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Sylvan.Data.Csv;
using TinyLoc.Compiler.Diagnostics;

namespace TinyLoc.Compiler.Util;

/// <summary>
/// A streaming reader for comma-separated files (optionally gzip-compressed, by the .gz extension) as RFC 4180
/// has them: a header row, fields in double quotes that may hold commas, quotes ("") and line breaks; parsed by
/// Sylvan.Data.Csv. Untrusted input: the file must be a regular file (<see cref="RegularFile"/>), and records,
/// rows and the decompressed text are bounded by <see cref="InputLimits"/> (TL1111), so a small .gz cannot hold a
/// 1 GiB line or ten million rows; malformed quoting is TL1107. A field is copied into one reused buffer;
/// <see cref="Values"/> reads numbers from it without a string per cell.
/// </summary>
public sealed class CsvFile : IDisposable
{
    private readonly CountingReader _text;
    private readonly CsvDataReader _reader;
    private char[] _cell = new char[64];
    private int _record;
    private int _rows;
    private int _textCells;

    /// <param name="path">The file.</param>
    /// <param name="files">Where it is read from (the disk when null).</param>
    /// <param name="malformed">What a malformed cell or quoting is reported as: TL1107 (calibration data) unless the caller reads other data.</param>
    public CsvFile(string path, FileSource? files = null, DiagnosticDescriptor? malformed = null)
    {
        Path = path;
        Malformed = malformed ?? DiagnosticDescriptors.CalibrationMalformed;
        Stream file = files is null
            ? RegularFile.OpenRead(path, InputLimits.MaxCsvFileBytes, "a CSV file")
            : new MemoryStream(files.ReadAllBytes(path, InputLimits.MaxCsvFileBytes, "a CSV file"));
        Stream s = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        _text = new CountingReader(new StreamReader(s), this);
        var options = new CsvDataReaderOptions
        {
            HasHeaders = true,
            Delimiter = ',',
            Quote = '"',
            Escape = '"',
            BufferSize = 0x4000,
            MaxBufferSize = InputLimits.MaxCsvLineChars,
        };
        _reader = Guard(() => CsvDataReader.Create(_text, options));
        _record = 1;
        Header = Enumerable.Range(0, _reader.FieldCount).Select(_reader.GetName).ToArray();
        if (Header.Length == 1 && Header[0].Length == 0)
        {
            Header = Array.Empty<string>();
        }
    }

    public string Path { get; }

    /// <summary>The diagnostic of a malformed cell or quoting in this file (TL1107 for calibration data, TL1115 for evaluation data).</summary>
    public DiagnosticDescriptor Malformed { get; }

    public string[] Header { get; }

    /// <summary>The 1-based record number of the row last returned, the header being 1 (its line, unless a field holds a line break).</summary>
    public int Line => _record;

    /// <summary>Index of a header column, or -1.</summary>
    public int Column(string name) => Array.IndexOf(Header, name);

    /// <summary>The data rows' cells (blank lines skipped); TL1111 past the limits.</summary>
    public IEnumerable<string[]> Rows()
    {
        while (NextRow())
        {
            var cells = new string[_reader.RowFieldCount];
            for (int i = 0; i < cells.Length; i++)
            {
                cells[i] = _reader.GetString(i);
            }

            yield return cells;
        }
    }

    /// <summary>
    /// The data rows as the numbers in <paramref name="columns"/> (a missing or blank cell is
    /// <paramref name="emptyValue"/>); TL1107 for a cell that is not a number, TL1111 past the limits.
    /// </summary>
    public IEnumerable<float[]> Values(int[] columns, float emptyValue)
    {
        while (NextRow())
        {
            var row = new float[columns.Length];
            int count = _reader.RowFieldCount;
            for (int i = 0; i < columns.Length; i++)
            {
                int c = columns[i];
                row[i] = c < count ? Number(c, emptyValue) : emptyValue;
            }

            yield return row;
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _text.Dispose();
    }

    /// <summary>The diagnostic for a CSV over one of its limits, at the current record.</summary>
    public DiagnosticException OverLimit(string what) =>
        new(DiagnosticDescriptors.CsvOverLimit, new SourceLocation(Path, _record, 1), what);

    private bool NextRow()
    {
        while (Guard(_reader.Read))
        {
            _record++;
            if (_reader.RowFieldCount == 0 || (_reader.RowFieldCount == 1 && FieldLength(0) == 0))
            {
                continue; // a blank line
            }

            if (++_rows > InputLimits.MaxCsvRows)
            {
                throw OverLimit(string.Format(CultureInfo.InvariantCulture, "more than {0:N0} data rows", InputLimits.MaxCsvRows));
            }

            return true;
        }

        return false;
    }

    /// <summary>Runs the parser: a record over the buffer is TL1111, malformed quoting TL1107.</summary>
    private T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (CsvRecordTooLargeException)
        {
            throw new DiagnosticException(DiagnosticDescriptors.CsvOverLimit, new SourceLocation(Path, _record + 1, 1),
                string.Format(CultureInfo.InvariantCulture, "a line longer than {0:N0} characters", InputLimits.MaxCsvLineChars));
        }
        catch (CsvFormatException e)
        {
            throw new DiagnosticException(Malformed, new SourceLocation(Path, _record + 1, 1), "the CSV is malformed: " + e.Message);
        }
    }

    private int FieldLength(int column) => (int)_reader.GetChars(column, 0, null!, 0, 0);

    private float Number(int column, float emptyValue)
    {
        int length = FieldLength(column);
        if (length > _cell.Length)
        {
            _cell = new char[Math.Max(length, _cell.Length * 2)];
        }

        _reader.GetChars(column, 0, _cell, 0, length);
        int start = 0, end = length;
        while (start < end && char.IsWhiteSpace(_cell[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(_cell[end - 1]))
        {
            end--;
        }

        if (start == end)
        {
            return emptyValue;
        }

        if (PlainDecimal.TryParse(_cell, start, end, out float value))
        {
            return value;
        }

        if (end - start > InputLimits.MaxCsvNumberChars)
        {
            string excerpt = new(_cell, start, InputLimits.MaxCsvNumberChars);
            throw new DiagnosticException(Malformed, new SourceLocation(Path, _record, column + 1),
                string.Format(CultureInfo.InvariantCulture, "'{0}…' ({1:N0} characters) is not a number", excerpt, end - start));
        }

        if (++_textCells > InputLimits.MaxCsvTextCells)
        {
            throw OverLimit(string.Format(CultureInfo.InvariantCulture, "more than {0:N0} cells that are not plain decimal numbers", InputLimits.MaxCsvTextCells));
        }

        // NaN and infinities (or 1e39, infinite as float32) are no RSSI reading: a range measured over them would
        // quietly mean something else, so they are refused like text.
        string cell = new(_cell, start, end - start);
        return float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !float.IsNaN(value) && !float.IsInfinity(value)
            ? value
            : throw new DiagnosticException(Malformed, new SourceLocation(Path, _record, column + 1), $"'{cell}' is not a finite number");
    }

    /// <summary>The decompressed text, counted: more than <see cref="InputLimits.MaxCsvChars"/> characters is TL1111.</summary>
    private sealed class CountingReader : TextReader
    {
        private readonly TextReader _inner;
        private readonly CsvFile _file;
        private long _chars;

        public CountingReader(TextReader inner, CsvFile file)
        {
            _inner = inner;
            _file = file;
        }

        public override int Peek() => _inner.Peek();

        public override int Read()
        {
            int c = _inner.Read();
            Count(c >= 0 ? 1 : 0);
            return c;
        }

        public override int Read(char[] buffer, int index, int count) => Count(_inner.Read(buffer, index, count));

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int n)
        {
            _chars += n;
            if (_chars > InputLimits.MaxCsvChars)
            {
                throw _file.OverLimit(string.Format(CultureInfo.InvariantCulture, "more than {0:N0} characters of text", InputLimits.MaxCsvChars));
            }

            return n;
        }
    }
}
