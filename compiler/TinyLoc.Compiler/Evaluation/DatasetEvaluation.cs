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

/// <summary>Labelled held-out data: raw inputs with a class index or regression targets per row.</summary>
public sealed record LabelledData(List<float[]> Inputs, List<int> Classes, List<float[]> Targets, int Skipped);

/// <summary>Scores of one engine on one dataset.</summary>
public sealed record EvaluationResult(string Engine, int Samples, double Accuracy, double MacroF1, double MeanError, double MedianError, bool IsClassification);

/// <summary>Loads labelled rows from a dataset CSV and scores a predict function on them (macro-F1 as the paper reports).</summary>
public static class DatasetEvaluation
{
    /// <summary>
    /// Reads a CSV (.gz allowed) whose header names the manifest's features. Classification: the label of
    /// a row is <paramref name="labelTemplate"/> with each <c>{COLUMN}</c> replaced by that cell (e.g.
    /// <c>B{BUILDINGID}F{FLOOR}</c>); rows whose label is not in the manifest are skipped and counted.
    /// Regression: the targets are the columns named like the manifest's outputs.
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

    private static LabelledData? LoadCore(ModelManifest m, string csvPath, string? labelTemplate, DiagnosticBag diagnostics)
    {
        var inputs = Calibration.ReadCsv(csvPath, m.Input.Features, m.Input.Count, m.Input.MissingValue ?? m.Input.RssiMin, diagnostics);
        if (diagnostics.HasErrors)
        {
            return null;
        }

        var classes = new List<int>();
        var targets = new List<float[]>();
        var keep = new List<float[]>();
        int skipped = 0;
        using var csv = new CsvFile(csvPath);
        var loc = new SourceLocation(csvPath, 1, 1);
        if (m.Output.IsClassification)
        {
            string template = labelTemplate ?? "{label}";
            var refs = Regex.Matches(template, "\\{([^}]+)\\}").Cast<Match>().Select(x => (Text: x.Value, Column: csv.Column(x.Groups[1].Value), Name: x.Groups[1].Value)).ToList();
            var bad = refs.FirstOrDefault(r => r.Column < 0);
            if (bad.Text is not null)
            {
                diagnostics.Report(DiagnosticDescriptors.CalibrationMalformed, loc, $"the header has no column '{bad.Name}' (from the label template '{template}')");
                return null;
            }

            int i = 0;
            foreach (var cells in csv.Rows())
            {
                string label = refs.Aggregate(template, (t, r) => t.Replace(r.Text, r.Column < cells.Length ? cells[r.Column].Trim() : string.Empty));
                int cls = IndexOf(m.Output.Labels, label);
                if (cls < 0)
                {
                    skipped++;
                }
                else
                {
                    classes.Add(cls);
                    keep.Add(inputs[i]);
                }

                i++;
            }
        }
        else
        {
            int[] cols = m.Output.Names.Select(csv.Column).ToArray();
            int missing = Array.IndexOf(cols, -1);
            if (missing >= 0)
            {
                diagnostics.Report(DiagnosticDescriptors.CalibrationMalformed, loc, $"the header has no column '{m.Output.Names[missing]}' for the regression target");
                return null;
            }

            int i = 0;
            foreach (var cells in csv.Rows())
            {
                var t = cols.Select(c => float.Parse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
                targets.Add(t);
                keep.Add(inputs[i++]);
            }
        }

        return new LabelledData(keep, classes, targets, skipped);
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

            return new EvaluationResult(engine, n, (double)correct / n, f1s.Average(), 0, 0, true);
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

    private static int IndexOf(IReadOnlyList<string> list, string s)
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
