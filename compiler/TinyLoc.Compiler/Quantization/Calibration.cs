using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Util;

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
    /// Reads raw input rows from a CSV (optionally .gz) with a header row naming the model's features
    /// (window 1) or, for windowed models, the first features × window columns. Empty cells become
    /// <paramref name="emptyValue"/>. A missing column or malformed cell is <paramref name="malformed"/>: TL1107 (calibration
    /// data) unless the caller reads other data (<c>evaluate</c>'s, TL1115).
    /// </summary>
    public static List<float[]> ReadCsv(string path, IReadOnlyList<string> features, int count, float emptyValue, DiagnosticBag diagnostics, FileSource? files = null, DiagnosticDescriptor? malformed = null)
    {
        var rows = new List<float[]>();
        try
        {
            using var csv = new CsvFile(path, files, malformed);
            int[] columns = count == features.Count ? features.Select(csv.Column).ToArray() : Enumerable.Range(0, count).ToArray();
            int missing = Array.IndexOf(columns, -1);
            if (missing >= 0)
            {
                diagnostics.Report(csv.Malformed, new SourceLocation(path, 1, 1), $"the header has no column '{features[missing]}'");
                return rows;
            }

            foreach (var row in csv.Values(columns, emptyValue))
            {
                if ((long)(rows.Count + 1) * count > InputLimits.MaxCsvValues)
                {
                    throw csv.OverLimit(string.Format(CultureInfo.InvariantCulture, "more than {0:N0} input values ({1:N0} rows of {2:N0})", InputLimits.MaxCsvValues, rows.Count + 1, count));
                }

                rows.Add(row);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException or NotSupportedException)
        {
            diagnostics.Report(DiagnosticDescriptors.FileNotReadable, new SourceLocation(path), e.Message);
        }
        catch (DiagnosticException e)
        {
            diagnostics.Add(e.Diagnostic);
        }

        if (rows.Count == 0 && !diagnostics.HasErrors)
        {
            diagnostics.Report(DiagnosticDescriptors.CalibrationMalformed, new SourceLocation(path), "no data rows");
        }

        return rows;
    }
}
