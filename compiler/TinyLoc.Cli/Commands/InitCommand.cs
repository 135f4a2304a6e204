using System.CommandLine;
using System.IO;
using System.Linq;
using Spectre.Console;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Import;
using TinyLoc.Compiler.Manifest;

namespace TinyLoc.Cli.Commands;

/// <summary><c>tinyloc init</c>: write a starting manifest inferred from a checkpoint.</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A PyTorch .pt/.pth state_dict or a .safetensors file of an MLP." };
        var output = new Option<string?>("--out", "-o") { Description = "Where to write the manifest (default: CHECKPOINT's stem + .tinyloc.json beside it)." };
        var name = new Option<string?>("--name") { Description = "Model name (lower snake case; the C prefix). Default: from the file name." };
        var labels = new Option<string?>("--labels") { Description = "Comma-separated class labels, in output order: makes a classifier." };
        var labelsFile = new Option<string?>("--labels-file") { Description = "A text file with one class label per line, in output order." };
        var outputs = new Option<string?>("--outputs") { Description = "Comma-separated names of regression outputs (default x,y for two outputs)." };
        var unit = new Option<string?>("--unit") { Description = "Unit of the regression outputs, e.g. m." };
        var features = new Option<string?>("--features") { Description = "Comma-separated input feature names (CSV column names); default rssi_1..rssi_N." };
        var range = new Option<string>("--rssi-range") { Description = "Raw RSSI range MIN,MAX in dBm for min-max normalisation.", DefaultValueFactory = _ => "-100,0" };
        var missing = new Option<float?>("--missing") { Description = "The raw value that means 'not received' (e.g. 100 for UJIIndoorLoc)." };
        var activation = new Option<string>("--activation") { Description = "Hidden activation: relu, tanh, sigmoid or silu (a state_dict does not record it).", DefaultValueFactory = _ => "relu" };
        activation.AcceptOnlyFromAmong(ModelManifest.Activations);
        var calibration = new Option<string?>("--calibration") { Description = "A CSV of representative raw inputs for static int8 calibration." };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing manifest." };
        var cmd = new Command("init", "Write a NAME.tinyloc.json for a checkpoint: layers and sizes from its tensors; what a checkpoint cannot tell (labels, RSSI range, activation) from the options.\n\nExample:\n  tinyloc init uji.pt --labels-file classes.txt --rssi-range -104,0 --missing 100");
        cmd.Arguments.Add(checkpoint);
        Common.Add(cmd, output, name, labels, labelsFile, outputs, unit, features, range, missing, activation, calibration, force);
        cmd.SetAction(r =>
        {
            var bag = new DiagnosticBag();
            string ckpt = r.GetValue(checkpoint)!;
            string stem = Path.GetFileNameWithoutExtension(ckpt);
            string path = r.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(ckpt)) ?? ".", stem + ".tinyloc.json");
            if (File.Exists(path) && !r.GetValue(force))
            {
                bag.Report(DiagnosticDescriptors.OutputNotWritable, new SourceLocation(path), path, "it exists (pass --force to overwrite)");
                Common.Print(bag);
                return Common.Failed;
            }

            var rangeParts = Common.List(r.GetValue(range))!.Select(s => float.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out float v) ? v : float.NaN).ToList();
            if (rangeParts.Count != 2 || !(rangeParts[0] < rangeParts[1]))
            {
                bag.Report(DiagnosticDescriptors.ManifestInvalidValue, new SourceLocation("--rssi-range"), "input.rssi_range", r.GetValue(range)!, "MIN,MAX with MIN < MAX, e.g. -104,0");
                Common.Print(bag);
                return Common.Failed;
            }

            var labelList = Common.List(r.GetValue(labels));
            if (r.GetValue(labelsFile) is string lf)
            {
                try
                {
                    labelList = File.ReadAllLines(lf).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
                }
                catch (IOException e)
                {
                    bag.Report(DiagnosticDescriptors.FileNotReadable, new SourceLocation(lf), e.Message);
                    Common.Print(bag);
                    return Common.Failed;
                }
            }

            var weights = CheckpointReader.Read(ckpt, bag);
            string? json = weights is null ? null : ManifestInference.Infer(weights, path, new InitOptions
            {
                Name = r.GetValue(name),
                Labels = labelList,
                OutputNames = Common.List(r.GetValue(outputs)),
                Unit = r.GetValue(unit),
                Features = Common.List(r.GetValue(features)),
                RssiMin = rangeParts[0],
                RssiMax = rangeParts[1],
                MissingValue = r.GetValue(missing),
                Activation = r.GetValue(activation)!,
                Calibration = r.GetValue(calibration),
            }, bag);
            Common.Print(bag);
            if (json is null || !Common.WriteFile(path, json))
            {
                return Common.Failed;
            }

            AnsiConsole.MarkupLine($"[green]wrote[/] {Markup.Escape(path)}");
            AnsiConsole.MarkupLine("Check the activation, labels and RSSI range; for static int8 add quantization.calibration (a CSV of raw inputs) or pass --calibration to compile.");
            return Common.Ok;
        });
        return cmd;
    }
}
