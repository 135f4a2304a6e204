using System.Collections.Generic;
using System.CommandLine;
using Spectre.Console;
using TinyLoc.Compiler;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.Passes;

namespace TinyLoc.Cli.Commands;

/// <summary><c>tinyloc evaluate</c>: accuracy / macro-F1 or position error of float and int8 on labelled data.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var manifest = Common.Manifest();
        var data = new Option<string>("--data", "-d") { Description = "Labelled CSV (.gz allowed) whose header names the model's features.", Required = true };
        var label = new Option<string?>("--label") { Description = "Classification: how a row's label is spelled from its columns, e.g. \"B{BUILDINGID}F{FLOOR}\" (default {label}). Regression uses the columns named like the outputs." };
        var schemes = new Option<string>("--schemes") { Description = "Comma-separated schemes to compare.", DefaultValueFactory = _ => "none,static,dynamic,llm-int8" };
        var shared = new Common.CompileOptionSet();
        var calib = shared.Calibration;
        var outside = shared.AllowOutsidePaths;
        var cmd = new Command("evaluate", "Score the reference evaluator (bit-exact with the generated code) on labelled held-out data, per scheme.\n\nExample:\n  tinyloc evaluate examples/models/kolakowski_mlp.tinyloc.json --data ../shared/datasets/ble-rss-kolakowski-2021/test_robot_df.csv.gz");
        cmd.Arguments.Add(manifest);
        Common.Add(cmd, data, label, schemes, calib, outside);
        cmd.SetAction(r =>
        {
            var results = new List<EvaluationResult>();
            LabelledData? labelled = null;
            foreach (string scheme in Common.List(r.GetValue(schemes))!)
            {
                var c = Compilation.Create(r.GetValue(manifest)!, new CompileOptions { Scheme = scheme, Unroll = UnrollMode.None, CalibrationCsv = r.GetValue(calib), AllowOutsidePaths = r.GetValue(outside) });
                if (!c.Success)
                {
                    Common.Print(c.Diagnostics);
                    return Common.Failed;
                }

                var bag = new DiagnosticBag();
                labelled ??= DatasetEvaluation.Load(c.Manifest!, r.GetValue(data)!, r.GetValue(label), bag);
                if (labelled is null)
                {
                    Common.Print(bag);
                    return Common.Failed;
                }

                var ev = new Evaluator(c.Graph!);
                EvaluationResult? result = null;
                AnsiConsole.Progress().Start(p =>
                {
                    var task = p.AddTask($"{scheme}", maxValue: labelled.Inputs.Count);
                    result = DatasetEvaluation.Score(scheme, c.Manifest!, labelled, ev.Run, i => task.Value = i);
                });
                results.Add(result!);
            }

            var table = new Table().AddColumn("scheme").AddColumn("samples");
            bool cls = results[0].IsClassification;
            if (cls)
            {
                table.AddColumn("accuracy").AddColumn("macro-F1");
            }
            else
            {
                table.AddColumn("mean error").AddColumn("median error");
            }

            foreach (var res in results)
            {
                table.AddRow(res.Engine, res.Samples.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    cls ? (res.Accuracy * 100).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " %" : res.MeanError.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) + " m",
                    cls ? (res.MacroF1 * 100).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " %" : res.MedianError.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) + " m");
            }

            AnsiConsole.Write(table);
            if (labelled!.Skipped > 0)
            {
                AnsiConsole.MarkupLine($"[yellow]{labelled.Skipped} rows skipped: their label is not one of the model's classes.[/]");
            }

            return Common.Ok;
        });
        return cmd;
    }
}
