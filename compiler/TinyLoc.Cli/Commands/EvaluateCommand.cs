using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Spectre.Console;
using TinyLoc.Cli.Evaluation;
using TinyLoc.Compiler;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Passes;

namespace TinyLoc.Cli.Commands;

/// <summary><c>tinyloc evaluate</c>: accuracy / macro-F1 or position error of float and int8 on labelled data.</summary>
internal static class EvaluateCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var manifest = Common.Manifest();
        var data = new Option<string>("--data", "-d") { Description = "Labelled CSV (.gz allowed) whose header names the model's features: one row per sample, or a recording (one row per time step with a time column) the runtime makes the model's windows from.", Required = true };
        var label = new Option<string?>("--label")
        {
            Description = "Classification: a row's label, as a column (--label room) or a template over columns (--label \"B{BUILDINGID}F{FLOOR}\"); default: the column 'label'. A window's label is its last row's. Regression uses the columns named like the outputs.",
        };
        var schemes = new Option<string>("--schemes") { Description = "Comma-separated schemes to compare; one that cannot be compiled (e.g. static without calibration) is skipped with its reason.", DefaultValueFactory = _ => "none,static,dynamic,llm-int8" };
        var windows = new Option<string>("--windows")
        {
            Description = "Where the model's inputs come from: runtime (the runtime builds rows and windows from the recording's timestamped readings, by the manifest's period_ms, max_fill_ms, hop and session_gap_ms, as the device does), file (each row is one input: the features, or features x window columns of pre-made windows), or auto (runtime when the model's window is over one row and the header names its features, else file).",
            DefaultValueFactory = _ => "auto",
        };
        windows.AcceptOnlyFromAmong("auto", "runtime", "file");
        var timeColumn = new Option<string>("--time-column") { Description = "The recording's time column (--windows runtime).", DefaultValueFactory = _ => "ts" };
        var timeUnit = new Option<string>("--time-unit") { Description = "The unit of the time column: ns, us, ms or s.", DefaultValueFactory = _ => "ns" };
        timeUnit.AcceptOnlyFromAmong("ns", "us", "ms", "s");
        var plots = new Option<string?>("--plots") { Description = "Write pictures into this folder (PNG): per scheme, the confusion matrix of a classifier (MODEL.SCHEME.confusion.png) and the size breakdown by layer, flash and RAM (MODEL.SCHEME.size.png)." };
        var json = Common.Json("the scores");
        var shared = new Common.CompileOptionSet();
        var calib = shared.Calibration;
        var outside = shared.AllowOutsidePaths;
        var cmd = new Command("evaluate", "Score the reference evaluator (bit-exact with the generated code) on labelled held-out data, per scheme.\n\nExamples:\n  tinyloc evaluate examples/models/kolakowski_mlp.tinyloc.json --data ../shared/datasets/ble-rss-kolakowski-2021/test_robot_df.csv.gz\n  tinyloc evaluate examples/models/uji_mlp.tinyloc.json --data validationData.csv.gz --label \"B{BUILDINGID}F{FLOOR}\"\n  tinyloc evaluate examples/models/kolakowski_mamba.tinyloc.json --data robot_rooms.csv.gz --label room --schemes none,dynamic");
        cmd.Arguments.Add(manifest);
        Common.Add(cmd, data, label, schemes, windows, timeColumn, timeUnit, plots, json, calib, outside);
        cmd.SetAction(r =>
        {
            bool asJson = r.GetValue(json);
            var console = Common.Console();
            var results = new List<EvaluationResult>();
            var skippedSchemes = new List<(string Scheme, string Reason)>();
            var pictures = new List<string>();
            LabelledData? labelled = null;
            string source = "file";
            var diagnostics = new DiagnosticBag();
            int Finish(int exit)
            {
                if (asJson)
                {
                    Console.Out.Write(Json(r.GetValue(data)!, source, results, labelled, skippedSchemes, pictures, diagnostics));
                }
                else
                {
                    PrintTable(console, source, results, labelled, skippedSchemes);
                    if (pictures.Count > 0)
                    {
                        console.MarkupLine(Markup.Escape($"wrote {pictures.Count} pictures: {string.Join(", ", pictures)}"));
                    }
                }

                return exit;
            }

            foreach (string scheme in Common.List(r.GetValue(schemes))!)
            {
                var options = new CompileOptions { Scheme = scheme, Unroll = UnrollMode.None, CalibrationCsv = r.GetValue(calib), AllowOutsidePaths = r.GetValue(outside) };
                var c = Busy(console, asJson, $"compiling {scheme}" + (scheme is "static" or "auto" && r.GetValue(calib) is not null ? " (calibrating)" : string.Empty), () => Compilation.Create(r.GetValue(manifest)!, options));
                if (!c.Success)
                {
                    if (c.Manifest is null)
                    {
                        Common.Print(c.Diagnostics);
                        diagnostics.AddRange(c.Diagnostics.Items);
                        return Finish(Common.Failed); // the manifest itself: no scheme can do better
                    }

                    // This scheme cannot be compiled (e.g. static int8 with no ranges): the others still can.
                    skippedSchemes.Add((scheme, c.Diagnostics.Errors.First().ToString()));
                    continue;
                }

                if (labelled is null)
                {
                    var bag = new DiagnosticBag();
                    string from = "file";
                    labelled = Busy(console, asJson, $"loading {Path.GetFileName(r.GetValue(data)!)}", () => Load(c.Manifest!, r.GetValue(data)!, r.GetValue(label), r.GetValue(windows)!, r.GetValue(timeColumn)!, r.GetValue(timeUnit)!, bag, out from));
                    source = from;
                    Common.Print(bag);
                    diagnostics.AddRange(bag.Items);
                    if (labelled is null)
                    {
                        return Finish(Common.Failed);
                    }
                }

                var ev = new Evaluator(c.Graph!);
                if (asJson || !console.Profile.Capabilities.Interactive)
                {
                    results.Add(DatasetEvaluation.Score(scheme, c.Manifest!, labelled, ev.Run));
                }
                else
                {
                    EvaluationResult? result = null;
                    console.Progress().Start(p =>
                    {
                        var task = p.AddTask(scheme, maxValue: labelled.Inputs.Count);
                        result = DatasetEvaluation.Score(scheme, c.Manifest!, labelled, ev.Run, i => task.Value = i);
                    });
                    results.Add(result!);
                }

                if (r.GetValue(plots) is string dir)
                {
                    pictures.AddRange(Plots.Write(dir, c.Manifest!.Name, results[results.Count - 1], c.Manifest.Output.Labels, c.Report!));
                }
            }

            return Finish(results.Count > 0 ? Common.Ok : Common.Failed);
        });
        return cmd;
    }

    /// <summary>Runs <paramref name="work"/> under a spinner saying what it does, on a terminal; as it is otherwise.</summary>
    private static T Busy<T>(IAnsiConsole console, bool asJson, string what, Func<T> work)
    {
        if (asJson || !console.Profile.Capabilities.Interactive)
        {
            return work();
        }

        T result = default!;
        console.Status().Start(Markup.Escape(what + " ..."), _ => result = work());
        return result;
    }

    private static LabelledData? Load(ModelManifest m, string path, string? label, string windows, string timeColumn, string timeUnit, DiagnosticBag bag, out string source)
    {
        bool runtime = windows == "runtime" || (windows == "auto" && m.Input.Window > 1 && DatasetEvaluation.NamesFeatures(m, path));
        source = runtime ? "runtime" : "file";
        if (!runtime)
        {
            return DatasetEvaluation.Load(m, path, label, bag);
        }

        var recording = DatasetEvaluation.LoadRecording(m, path, label, timeColumn, timeUnit, bag);
        if (recording is null)
        {
            return null;
        }

        var built = RecordingWindows.Build(m, recording);
        if (built.Inputs.Count == 0)
        {
            string why = built.Skipped > 0
                ? $"none of the runtime's {built.Skipped} windows ends on a row whose label is one of the model's"
                : $"the runtime made no window of {m.Input.Window} rows from the {recording.TimesMs.Length} rows (row period {m.Input.Stream.PeriodMs.ToString(Inv)} ms, a new window after {m.Input.Stream.SessionGapMs} ms without rows): is --time-unit {timeUnit} right?";
            bag.Report(DiagnosticDescriptors.RecordingTimeMissing, new SourceLocation(path), why);
            return null;
        }

        return built;
    }

    private static string Pct(double v) => (v * 100).ToString("0.00", Inv) + " %";

    private static string Metres(double v) => v.ToString("0.000", Inv) + " m";

    private static void PrintTable(IAnsiConsole console, string source, List<EvaluationResult> results, LabelledData? labelled, List<(string Scheme, string Reason)> skippedSchemes)
    {
        if (results.Count > 0)
        {
            var table = new Table().AddColumn("scheme").AddColumn(source == "runtime" ? "windows" : "samples");
            bool cls = results[0].IsClassification;
            table.AddColumn(cls ? "accuracy" : "mean error").AddColumn(cls ? "macro-F1" : "median error");
            foreach (var res in results)
            {
                table.AddRow(res.Engine, res.Samples.ToString(Inv), cls ? Pct(res.Accuracy) : Metres(res.MeanError), cls ? Pct(res.MacroF1) : Metres(res.MedianError));
            }

            console.Write(table);
        }

        if (labelled is { Skipped: > 0 })
        {
            int total = labelled.Skipped + labelled.Inputs.Count;
            string what = source == "runtime" ? "windows" : "rows";
            console.MarkupLine($"[yellow]warning: {labelled.Skipped} of {total} {what} skipped: their label is not one of the model's (e.g. {Markup.Escape(string.Join(", ", (labelled.UnknownLabels ?? []).Select(l => "'" + l + "'")))}).[/]");
        }

        foreach (var (scheme, reason) in skippedSchemes)
        {
            console.MarkupLine($"[yellow]warning: scheme {Markup.Escape(scheme)} skipped: {Markup.Escape(reason)}[/]");
        }
    }

    private static string Json(string data, string source, List<EvaluationResult> results, LabelledData? labelled, List<(string Scheme, string Reason)> skippedSchemes, List<string> pictures, DiagnosticBag diagnostics) =>
        Common.JsonObject(w =>
        {
            w.WriteString("data", data);
            w.WriteString("windows", source);
            w.WriteNumber("samples", labelled?.Inputs.Count ?? 0);
            w.WriteNumber("skipped_samples", labelled?.Skipped ?? 0);
            w.WriteStartArray("unknown_labels");
            foreach (var l in labelled?.UnknownLabels ?? [])
            {
                w.WriteStringValue(l);
            }

            w.WriteEndArray();
            w.WriteStartArray("schemes");
            foreach (var res in results)
            {
                w.WriteStartObject();
                w.WriteString("scheme", res.Engine);
                w.WriteNumber("samples", res.Samples);
                w.WriteNumber(res.IsClassification ? "accuracy" : "mean_error", Math.Round(res.IsClassification ? res.Accuracy : res.MeanError, 6));
                w.WriteNumber(res.IsClassification ? "macro_f1" : "median_error", Math.Round(res.IsClassification ? res.MacroF1 : res.MedianError, 6));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("plots");
            foreach (var p in pictures)
            {
                w.WriteStringValue(p);
            }

            w.WriteEndArray();
            w.WriteStartArray("skipped_schemes");
            foreach (var (scheme, reason) in skippedSchemes)
            {
                w.WriteStartObject();
                w.WriteString("scheme", scheme);
                w.WriteString("reason", reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            Common.WriteDiagnostics(w, diagnostics);
        });
}
