using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Quantization;

/// <summary>Activation ranges measured by running the float graph over representative raw inputs.</summary>
public static class Calibration
{
    /// <summary>Min/max of every value of <paramref name="floatGraph"/> over <paramref name="samples"/>.</summary>
    public static SortedDictionary<string, (float Min, float Max)> Measure(Graph floatGraph, IEnumerable<float[]> samples)
    {
        var ranges = new SortedDictionary<string, (float Min, float Max)>(StringComparer.Ordinal);
        void Note(string name, float[] values)
        {
            float lo = values.Min(), hi = values.Max();
            ranges[name] = ranges.TryGetValue(name, out var r) ? (Math.Min(r.Min, lo), Math.Max(r.Max, hi)) : (lo, hi);
        }

        var ev = new Evaluator(floatGraph) { OnFloatOutput = (n, v) => Note(n.Output, v) };
        foreach (var s in samples)
        {
            Note(floatGraph.Input, s);
            ev.Run(s);
        }

        return ranges;
    }

    /// <summary>
    /// Reads raw input rows from a CSV (optionally .gz): one row per sample. With a header row, the
    /// columns named by <paramref name="features"/> are used; without one, the first N columns. Empty
    /// cells become <paramref name="emptyValue"/>.
    /// </summary>
    public static List<float[]> ReadCsv(string path, IReadOnlyList<string> features, int count, float emptyValue, DiagnosticBag diagnostics)
    {
        var rows = new List<float[]>();
        try
        {
            using Stream file = File.OpenRead(path);
            using Stream s = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new StreamReader(s);
            string? line;
            int lineNo = 0;
            int[]? columns = null;
            while ((line = reader.ReadLine()) is not null)
            {
                lineNo++;
                line = line.TrimEnd('\r');
                if (line.Length == 0)
                {
                    continue;
                }

                var cells = line.Split(',');
                if (columns is null)
                {
                    bool header = !float.TryParse(cells[0].Length == 0 && cells.Length > 1 ? cells[1] : cells[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _);
                    if (header && features.Count * (count / features.Count) == count)
                    {
                        columns = features.Select(f => Array.IndexOf(cells, f)).ToArray();
                        int missing = Array.IndexOf(columns, -1);
                        if (missing >= 0 && count == features.Count)
                        {
                            diagnostics.Report(DiagnosticDescriptors.CalibrationMalformed, new SourceLocation(path, lineNo, 1), $"the header has no column '{features[missing]}'");
                            return rows;
                        }

                        if (missing < 0 && count == features.Count)
                        {
                            continue;
                        }
                    }

                    columns = Enumerable.Range(0, count).ToArray();
                    if (header)
                    {
                        continue;
                    }
                }

                var row = new float[count];
                for (int i = 0; i < count; i++)
                {
                    int c = columns[i];
                    if (c >= cells.Length)
                    {
                        diagnostics.Report(DiagnosticDescriptors.CalibrationMalformed, new SourceLocation(path, lineNo, 1), $"the row has {cells.Length} cells, the model takes {count}");
                        return rows;
                    }

                    string cell = cells[c].Trim();
                    if (cell.Length == 0)
                    {
                        row[i] = emptyValue;
                    }
                    else if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out row[i]))
                    {
                        diagnostics.Report(DiagnosticDescriptors.CalibrationMalformed, new SourceLocation(path, lineNo, c + 1), $"'{cell}' is not a number");
                        return rows;
                    }
                }

                rows.Add(row);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            diagnostics.Report(DiagnosticDescriptors.FileNotReadable, new SourceLocation(path), e.Message);
        }

        if (rows.Count == 0 && !diagnostics.HasErrors)
        {
            diagnostics.Report(DiagnosticDescriptors.CalibrationMalformed, new SourceLocation(path), "no data rows");
        }

        return rows;
    }
}
