using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ScottPlot;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.Report;

namespace TinyLoc.Cli.Evaluation;

/// <summary>
/// The pictures of <c>tinyloc evaluate --plots DIR</c>, drawn with ScottPlot (PNG): per scheme, the confusion matrix of
/// a classifier (counts in the cells, colour by the fraction of the true class's samples) and the size breakdown of
/// the compiled model (flash by layer: weights, tables, code; RAM by layer: each node's output buffer, with the
/// totals in the title). Deterministic: the same data draws the same picture.
/// </summary>
internal static class Plots
{
    private const int Width = 900;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The files written for <paramref name="result"/> and <paramref name="report"/> into <paramref name="dir"/>.</summary>
    public static IReadOnlyList<string> Write(string dir, string model, EvaluationResult result, IReadOnlyList<string> labels, SizeReport report)
    {
        Directory.CreateDirectory(dir);
        var files = new List<string>();
        if (result.Confusion is { } confusion)
        {
            string path = Path.Combine(dir, $"{model}.{result.Engine}.confusion.png");
            Confusion(path, $"{model}, {result.Engine}: accuracy {Pct(result.Accuracy)}, macro-F1 {Pct(result.MacroF1)} ({result.Samples:N0} samples)", confusion, labels);
            files.Add(path);
        }

        string size = Path.Combine(dir, $"{model}.{result.Engine}.size.png");
        Size(size, model, result.Engine, report);
        files.Add(size);
        return files;
    }

    private static void Confusion(string path, string title, int[,] counts, IReadOnlyList<string> labels)
    {
        int c = counts.GetLength(0);
        var fraction = new double[c, c];
        for (int t = 0; t < c; t++)
        {
            int total = Enumerable.Range(0, c).Sum(p => counts[t, p]);
            for (int p = 0; p < c; p++)
            {
                // Row r of the heatmap is drawn at the top for r = 0: the true class's row.
                fraction[t, p] = total == 0 ? 0 : (double)counts[t, p] / total;
            }
        }

        var plt = new ScottPlot.Plot();
        var map = plt.Add.Heatmap(fraction);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.ManualRange = new ScottPlot.Range(0, 1);
        plt.Add.ColorBar(map);
        for (int t = 0; t < c; t++)
        {
            for (int p = 0; p < c; p++)
            {
                if (counts[t, p] == 0)
                {
                    continue;
                }

                var text = plt.Add.Text(counts[t, p].ToString(Inv), p, c - 1 - t);
                text.LabelFontSize = c > 30 ? 9 : c > 10 ? 10 : 13;
                text.LabelAlignment = ScottPlot.Alignment.MiddleCenter;
                text.LabelFontColor = fraction[t, p] > 0.6 ? ScottPlot.Colors.Black : ScottPlot.Colors.White;
            }
        }

        var positions = Enumerable.Range(0, c).Select(i => (double)i).ToArray();
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels.ToArray());
        bool crowded = c * labels.Max(l => l.Length) > 90;
        plt.Axes.Bottom.TickLabelStyle.Rotation = crowded ? 90 : 0;
        plt.Axes.Bottom.TickLabelStyle.Alignment = crowded ? ScottPlot.Alignment.MiddleLeft : ScottPlot.Alignment.UpperCenter;
        if (crowded)
        {
            // Room under the plot for the vertical labels, then the axis title.
            plt.Axes.Bottom.MinimumSize = 30 + (7 * labels.Max(l => l.Length));
        }
        plt.HideGrid();
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions.Reverse().ToArray(), labels.ToArray());
        plt.XLabel("predicted (colour: the fraction of the true class's samples)");
        plt.YLabel("true");
        plt.Title(title, size: 14);
        int side = Math.Max(Width, 300 + (20 * c));
        plt.SavePng(path, side, side - 100);
    }

    private static void Size(string path, string model, string scheme, SizeReport r)
    {
        var layers = r.Layers.Where(l => l.FlashBytes > 0 || l.OutputBytes > 0).ToList();
        int n = layers.Count;
        var ticks = Enumerable.Range(0, n).Select(i => (double)(n - 1 - i)).ToArray();
        var names = layers.Select(l => $"{l.Source} ({l.Op})").ToArray();

        // Left: flash by layer (weights, tables, code stacked); right: RAM by layer (the node's output buffer), each on its own scale.
        var flash = new ScottPlot.Plot();
        var parts = new (string Name, Func<LayerSize, double> Of, ScottPlot.Color Color)[]
        {
            ("weights", l => l.WeightBytes, ScottPlot.Colors.SteelBlue),
            ("tables", l => l.TableBytes, ScottPlot.Colors.LightSkyBlue),
            ("code (estimate)", l => l.CodeBytes, ScottPlot.Colors.Gray),
        };
        var bars = new List<ScottPlot.Bar>();
        for (int i = 0; i < n; i++)
        {
            double stacked = 0;
            foreach (var (_, of, color) in parts)
            {
                double v = of(layers[i]);
                bars.Add(new ScottPlot.Bar { Position = ticks[i], ValueBase = stacked, Value = stacked + v, FillColor = color, Size = 0.6 });
                stacked += v;
            }
        }

        flash.Add.Bars(bars).Horizontal = true;
        foreach (var (name, _, color) in parts)
        {
            flash.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = name, FillColor = color });
        }

        flash.Legend.IsVisible = true;
        flash.Legend.Alignment = ScottPlot.Alignment.LowerRight;
        flash.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, names);
        flash.Axes.Margins(left: 0, right: 0.1);
        flash.XLabel("flash bytes");
        flash.Title($"{model}, {scheme}: flash {r.FlashBytes:N0} B (weights {r.WeightBytes:N0}, tables {r.TableBytes:N0}, code ~{r.CodeBytes:N0}, runtime ~{r.RuntimeFlashBytes:N0})", size: 11);

        var ram = new ScottPlot.Plot();
        var buffers = Enumerable.Range(0, n).Select(i => new ScottPlot.Bar { Position = ticks[i], ValueBase = 0, Value = layers[i].OutputBytes, FillColor = ScottPlot.Colors.OrangeRed, Size = 0.6 }).ToList();
        ram.Add.Bars(buffers).Horizontal = true;
        ram.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, names);
        ram.Axes.Margins(left: 0, right: 0.1);
        ram.XLabel("bytes of each node's output buffer");
        ram.Title($"RAM {r.RamBytes:N0} B (arena {r.ArenaBytes:N0}, state {r.StateBytes:N0}, scratch {r.ScratchBytes:N0}, I/O {r.InputBytes + r.OutputBytes:N0}, stack ~{r.StackBytes:N0}, runtime {r.RuntimeStateBytes:N0})", size: 11);

        var both = new ScottPlot.Multiplot();
        both.Reset(flash);
        both.AddPlot(ram);
        both.Layout = new ScottPlot.MultiplotLayouts.Columns();
        both.SavePng(path, 2 * (Width + 100), Math.Max(340, 110 + (n * 34)));
    }

    private static string Pct(double v) => (v * 100).ToString("0.00", Inv) + " %";
}
