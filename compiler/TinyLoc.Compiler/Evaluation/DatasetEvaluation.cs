using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Quantization;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Evaluation;

/// <summary>
/// Labelled held-out data: raw inputs with a class index or regression targets per sample; <see cref="Skipped"/>
/// samples were left out because their label is not one of the model's (<see cref="UnknownLabels"/>: a few of them).
/// </summary>
public sealed record LabelledData(List<float[]> Inputs, List<int> Classes, List<float[]> Targets, int Skipped, IReadOnlyList<string>? UnknownLabels = null);

/// <summary>Scores of one engine on one dataset.</summary>
public sealed record EvaluationResult(string Engine, int Samples, double Accuracy, double MacroF1, double MeanError, double MedianError, bool IsClassification)
{
    /// <summary>A classifier's counts: [true class, predicted class]; null for a regression.</summary>
    public int[,]? Confusion { get; init; }
}

/// <summary>
/// A recording: one row per time step as a device would have received it: the row's time (milliseconds after
/// the first row, rounded, as the runtime's clock), its readings (NaN: empty cell, not received), and its class
/// (-1: not one of the model's, classification) or targets (regression).
/// </summary>
public sealed record Recording(uint[] TimesMs, float[][] Readings, int[] Classes, float[][] Targets, IReadOnlyList<string> UnknownLabels);

/// <summary>Loads labelled rows from a dataset CSV and scores a predict function on them (macro-F1 as the paper reports).</summary>
public static class DatasetEvaluation
{
    /// <summary>Time units <c>--time-unit</c> takes, with how many of them make a millisecond.</summary>
    public static readonly IReadOnlyDictionary<string, double> TimeUnits = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["ns"] = 1e6, ["us"] = 1e3, ["ms"] = 1, ["s"] = 1e-3,
    };

    /// <summary>The most characters of column names an error message lists.</summary>
    private const int ColumnsShownChars = 150;

    /// <summary>
    /// Reads a CSV (.gz allowed) whose header names the manifest's features. Classification: the label of
    /// a row is <paramref name="labelTemplate"/> with each <c>{COLUMN}</c> replaced by that cell (e.g.
    /// <c>B{BUILDINGID}F{FLOOR}</c>), or, without braces, the cell of that column (default: the column
    /// <c>label</c>); rows whose label is not in the manifest are skipped and counted, and none in the
    /// manifest is an error (TL1113). Regression: the targets are the columns named like the manifest's outputs.
    /// </summary>
    public static LabelledData? Load(ModelManifest m, string csvPath, string? labelTemplate, DiagnosticBag diagnostics)
    {
        try
        {
            return LoadCore(m, csvPath, labelTemplate, diagnostics);
        }
        catch (DiagnosticException e)
        {
            // The second pass over the file meets the same limits as the first; a file changed in between ends here.
            diagnostics.Add(e.Diagnostic);
            return null;
        }
    }

    /// <summary>
    /// Reads a recording: a CSV (.gz allowed) with one row per time step, a time column
    /// (<paramref name="timeColumn"/>, in <paramref name="timeUnit"/>, see <see cref="TimeUnits"/>), a column per
    /// feature (empty: not received) and the labels as <see cref="Load"/> reads them. The runtime makes the
    /// model's windows from it (the CLI's <c>RecordingWindows</c>).
    /// </summary>
    public static Recording? LoadRecording(ModelManifest m, string csvPath, string? labelTemplate, string timeColumn, string timeUnit, DiagnosticBag diagnostics)
    {
        try
        {
            return LoadRecordingCore(m, csvPath, labelTemplate, timeColumn, timeUnit, diagnostics);
        }
        catch (DiagnosticException e)
        {
            diagnostics.Add(e.Diagnostic);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException or NotSupportedException)
        {
            diagnostics.Report(DiagnosticDescriptors.FileNotReadable, new SourceLocation(csvPath), e.Message);
            return null;
        }
    }

    /// <summary>Whether the CSV's header names every feature and <paramref name="timeColumn"/> (a recording, not pre-made windows).</summary>
    public static bool LooksLikeRecording(ModelManifest m, string csvPath, string timeColumn)
    {
        try
        {
            using var csv = Open(csvPath);
            return csv.Column(timeColumn) >= 0 && m.Input.Features.All(f => csv.Column(f) >= 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException or NotSupportedException or DiagnosticException)
        {
            return false; // the reader proper reports it
        }
    }

    /// <summary>Whether the CSV's header names every feature (rows of readings, not pre-made windows of a windowed model).</summary>
    public static bool NamesFeatures(ModelManifest m, string csvPath)
    {
        try
        {
            using var csv = Open(csvPath);
            return m.Input.Features.All(f => csv.Column(f) >= 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException or NotSupportedException or DiagnosticException)
        {
            return false;
        }
    }

    /// <summary>The header's columns for a message: the first few, then how many more.</summary>
    public static string ColumnList(IReadOnlyList<string> header, int maxChars = ColumnsShownChars)
    {
        if (header.Count == 0)
        {
            return "(none)";
        }

        var shown = new List<string>();
        int chars = 0;
        foreach (string h in header)
        {
            string name = h.Length > 40 ? h.Substring(0, 40) + "…" : h;
            name = name.Length == 0 || name.IndexOfAny(new[] { ',', ' ', '\'' }) >= 0 ? "'" + name + "'" : name;
            if (shown.Count > 0 && chars + name.Length + 2 > maxChars)
            {
                break;
            }

            shown.Add(name);
            chars += name.Length + 2;
        }

        return string.Join(", ", shown) + (header.Count > shown.Count ? $" and {header.Count - shown.Count} more" : string.Empty);
    }

    /// <summary>Evaluation data: its malformed cells and quoting are TL1115, not calibration data's TL1107.</summary>
    private static CsvFile Open(string csvPath) => new(csvPath, malformed: DiagnosticDescriptors.EvaluationMalformed);

    private static LabelledData? LoadCore(ModelManifest m, string csvPath, string? labelTemplate, DiagnosticBag diagnostics)
    {
        var inputs = Calibration.ReadCsv(csvPath, m.Input.Features, m.Input.Count, m.Input.MissingValue ?? m.Input.RssiMin, diagnostics, malformed: DiagnosticDescriptors.EvaluationMalformed);
        if (diagnostics.HasErrors)
        {
            return null;
        }

        var classes = new List<int>();
        var targets = new List<float[]>();
        var keep = new List<float[]>();
        var unknown = new UnknownLabels();
        using var csv = Open(csvPath);
        if (m.Output.IsClassification)
        {
            var rule = LabelRule.Create(m, labelTemplate, csv, diagnostics);
            if (rule is null)
            {
                return null;
            }

            int i = 0;
            foreach (var cells in csv.Rows())
            {
                string label = rule.Label(cells);
                int cls = IndexOf(m.Output.Labels, label);
                if (cls < 0)
                {
                    unknown.Add(label);
                }
                else
                {
                    classes.Add(cls);
                    keep.Add(inputs[i]);
                }

                i++;
            }

            if (classes.Count == 0)
            {
                unknown.ReportNoneKnown(m, csv.Path, diagnostics);
                return null;
            }
        }
        else
        {
            int[]? cols = TargetColumns(m, csv, diagnostics);
            if (cols is null)
            {
                return null;
            }

            int i = 0;
            foreach (var cells in csv.Rows())
            {
                targets.Add(Targets(cols, cells, csv));
                keep.Add(inputs[i++]);
            }
        }

        return new LabelledData(keep, classes, targets, unknown.Count, unknown.Seen);
    }

    private static Recording? LoadRecordingCore(ModelManifest m, string csvPath, string? labelTemplate, string timeColumn, string timeUnit, DiagnosticBag diagnostics)
    {
        var loc = new SourceLocation(csvPath, 1, 1);
        if (!TimeUnits.TryGetValue(timeUnit, out double perMs))
        {
            diagnostics.Report(DiagnosticDescriptors.RecordingTimeMissing, new SourceLocation("--time-unit"), $"'{timeUnit}' is not a time unit (ns, us, ms, s)");
            return null;
        }

        using var csv = Open(csvPath);
        int time = csv.Column(timeColumn);
        if (time < 0)
        {
            diagnostics.Report(DiagnosticDescriptors.RecordingTimeMissing, loc, $"the header has no time column '{timeColumn}' (--time-column); its columns are {ColumnList(csv.Header, 120)}");
            return null;
        }

        int[] features = m.Input.Features.Select(csv.Column).ToArray();
        int missing = Array.IndexOf(features, -1);
        if (missing >= 0)
        {
            diagnostics.Report(DiagnosticDescriptors.EvaluationMalformed, loc, $"the header has no column '{m.Input.Features[missing]}' (the model's feature {missing + 1}); its columns are {ColumnList(csv.Header, 120)}");
            return null;
        }

        LabelRule? rule = null;
        int[]? targetColumns = null;
        if (m.Output.IsClassification ? (rule = LabelRule.Create(m, labelTemplate, csv, diagnostics)) is null : (targetColumns = TargetColumns(m, csv, diagnostics)) is null)
        {
            return null;
        }

        var times = new List<uint>();
        var readings = new List<float[]>();
        var classes = new List<int>();
        var targets = new List<float[]>();
        var unknown = new UnknownLabels();
        double first = 0;
        foreach (var cells in csv.Rows())
        {
            if ((long)(readings.Count + 1) * features.Length > InputLimits.MaxCsvValues)
            {
                throw csv.OverLimit(string.Format(CultureInfo.InvariantCulture, "more than {0:N0} input values ({1:N0} rows of {2:N0})", InputLimits.MaxCsvValues, readings.Count + 1, features.Length));
            }

            double t = Cell(cells, time, csv);
            if (double.IsNaN(t))
            {
                diagnostics.Report(DiagnosticDescriptors.RecordingTimeMissing, new SourceLocation(csvPath, csv.Line, time + 1), $"a row has no time in column '{timeColumn}'");
                return null;
            }

            first = times.Count == 0 ? t : first;
            double ms = Math.Floor(((t - first) / perMs) + 0.5);
            if (Math.Abs(ms) > uint.MaxValue)
            {
                diagnostics.Report(DiagnosticDescriptors.RecordingTimeMissing, new SourceLocation(csvPath, csv.Line, time + 1), $"the time {t.ToString(CultureInfo.InvariantCulture)} {timeUnit} is more than 49 days from the first row's: is --time-unit {timeUnit} right?");
                return null;
            }

            times.Add(unchecked((uint)(long)ms));
            readings.Add(features.Select(c => (float)Cell(cells, c, csv)).ToArray());
            if (rule is not null)
            {
                string label = rule.Label(cells);
                int cls = IndexOf(m.Output.Labels, label);
                classes.Add(cls);
                if (cls < 0)
                {
                    unknown.Add(label);
                }
            }
            else
            {
                targets.Add(Targets(targetColumns!, cells, csv));
            }
        }

        if (times.Count == 0)
        {
            diagnostics.Report(DiagnosticDescriptors.EvaluationMalformed, new SourceLocation(csvPath), "no data rows");
            return null;
        }

        if (rule is not null && unknown.Count == times.Count)
        {
            unknown.ReportNoneKnown(m, csvPath, diagnostics);
            return null;
        }

        return new Recording(times.ToArray(), readings.ToArray(), classes.ToArray(), targets.ToArray(), unknown.Seen);
    }

    private static int[]? TargetColumns(ModelManifest m, CsvFile csv, DiagnosticBag diagnostics)
    {
        int[] cols = m.Output.Names.Select(csv.Column).ToArray();
        int missing = Array.IndexOf(cols, -1);
        if (missing < 0)
        {
            return cols;
        }

        diagnostics.Report(DiagnosticDescriptors.EvaluationLabelMissing, new SourceLocation(csv.Path, 1, 1),
            $"the model's output '{m.Output.Names[missing]}' has no column of that name for the regression target", ColumnList(csv.Header));
        return null;
    }

    private static float[] Targets(int[] cols, string[] cells, CsvFile csv) =>
        cols.Select(c =>
        {
            double v = Cell(cells, c, csv);
            return double.IsNaN(v)
                ? throw new DiagnosticException(DiagnosticDescriptors.EvaluationMalformed, new SourceLocation(csv.Path, csv.Line, c + 1), "the regression target is empty")
                : (float)v;
        }).ToArray();

    /// <summary>A cell as a number: NaN if missing or blank; TL1107 if it is not a finite number.</summary>
    private static double Cell(string[] cells, int column, CsvFile csv)
    {
        string cell = column < cells.Length ? cells[column].Trim() : string.Empty;
        if (cell.Length == 0)
        {
            return double.NaN;
        }

        if (cell.Length <= InputLimits.MaxCsvNumberChars && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && !double.IsNaN(v) && !double.IsInfinity(v))
        {
            return v;
        }

        string shown = cell.Length <= InputLimits.MaxCsvNumberChars ? cell : cell.Substring(0, InputLimits.MaxCsvNumberChars) + "…";
        throw new DiagnosticException(DiagnosticDescriptors.EvaluationMalformed, new SourceLocation(csv.Path, csv.Line, column + 1), $"'{shown}' is not a finite number");
    }

    public static EvaluationResult Score(string engine, ModelManifest m, LabelledData data, Func<float[], float[]> predict, Action<int>? progress = null)
    {
        int n = data.Inputs.Count;
        if (m.Output.IsClassification)
        {
            int c = m.Output.Count;
            var confusion = new int[c, c];
            int correct = 0;
            for (int i = 0; i < n; i++)
            {
                int best = m.ClassOf(predict(data.Inputs[i]));
                confusion[data.Classes[i], best]++;
                correct += best == data.Classes[i] ? 1 : 0;
                progress?.Invoke(i + 1);
            }

            var f1s = new List<double>();
            for (int k = 0; k < c; k++)
            {
                int tp = confusion[k, k];
                int fn = Enumerable.Range(0, c).Sum(j => confusion[k, j]) - tp;
                int fp = Enumerable.Range(0, c).Sum(j => confusion[j, k]) - tp;
                if (tp + fn + fp > 0)
                {
                    f1s.Add(tp == 0 ? 0 : 2.0 * tp / ((2.0 * tp) + fp + fn));
                }
            }

            return new EvaluationResult(engine, n, (double)correct / n, f1s.Average(), 0, 0, true) { Confusion = confusion };
        }

        var errors = new double[n];
        for (int i = 0; i < n; i++)
        {
            var y = predict(data.Inputs[i]);
            errors[i] = Math.Sqrt(y.Zip(data.Targets[i], (a, b) => ((double)a - b) * ((double)a - b)).Sum());
            progress?.Invoke(i + 1);
        }

        var sorted = errors.OrderBy(e => e).ToArray();
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
        return new EvaluationResult(engine, n, 0, 0, errors.Average(), median, false);
    }

    internal static int IndexOf(IReadOnlyList<string> list, string s)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] == s)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>How a row's label is spelled from its cells: a template over columns (<c>B{BUILDINGID}F{FLOOR}</c>) or a column's name.</summary>
internal sealed class LabelRule
{
    private readonly string _template;
    private readonly List<(string Text, int Column)> _refs;

    private LabelRule(string template, List<(string Text, int Column)> refs)
    {
        _template = template;
        _refs = refs;
    }

    /// <summary>The rule of <paramref name="spec"/> (null: the column <c>label</c>), or null with TL1112 if the header lacks a column it names.</summary>
    public static LabelRule? Create(ModelManifest m, string? spec, CsvFile csv, DiagnosticBag diagnostics)
    {
        var loc = new SourceLocation(csv.Path, 1, 1);
        string labels = DatasetEvaluation.ColumnList(m.Output.Labels, 50);
        if (spec is null)
        {
            if (csv.Column("label") >= 0)
            {
                return new LabelRule("{label}", new List<(string, int)> { ("{label}", csv.Column("label")) });
            }

            diagnostics.Report(DiagnosticDescriptors.EvaluationLabelMissing, loc,
                $"the model is a classifier and the file has no column 'label': name it with --label (its labels: {labels})", DatasetEvaluation.ColumnList(csv.Header));
            return null;
        }

        string template = spec.IndexOf('{') < 0 ? "{" + spec + "}" : spec;
        var refs = Regex.Matches(template, "\\{([^}]+)\\}").Cast<Match>().Select(x => (Text: x.Value, Column: csv.Column(x.Groups[1].Value), Name: x.Groups[1].Value)).ToList();
        var bad = refs.FirstOrDefault(r => r.Column < 0);
        if (bad.Text is not null)
        {
            diagnostics.Report(DiagnosticDescriptors.EvaluationLabelMissing, loc,
                $"--label '{spec}' names the column '{bad.Name}', which the file does not have", DatasetEvaluation.ColumnList(csv.Header));
            return null;
        }

        return new LabelRule(template, refs.Select(r => (r.Text, r.Column)).ToList());
    }

    public string Label(string[] cells) =>
        _refs.Aggregate(_template, (t, r) => t.Replace(r.Text, r.Column < cells.Length ? cells[r.Column].Trim() : string.Empty));
}

/// <summary>Labels that are not the model's: how many rows had one, and the first few distinct ones.</summary>
internal sealed class UnknownLabels
{
    private const int Shown = 5;
    private readonly List<string> _seen = new();

    public int Count { get; private set; }

    public IReadOnlyList<string> Seen => _seen;

    public void Add(string label)
    {
        Count++;
        if (_seen.Count < Shown && !_seen.Contains(label))
        {
            _seen.Add(label.Length > 40 ? label.Substring(0, 40) + "…" : label);
        }
    }

    public void ReportNoneKnown(ModelManifest m, string path, DiagnosticBag diagnostics) =>
        diagnostics.Report(DiagnosticDescriptors.EvaluationLabelsUnknown, new SourceLocation(path),
            string.Join(", ", _seen.Select(s => "'" + s + "'")) + (Count > _seen.Count ? $", … ({Count} rows)" : string.Empty),
            string.Join(", ", m.Output.Labels.Take(6).Select(s => "'" + s + "'")) + (m.Output.Labels.Count > 6 ? $", … ({m.Output.Labels.Count})" : string.Empty));
}
