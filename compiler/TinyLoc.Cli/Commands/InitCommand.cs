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
    private const string Help =
        "Write a NAME.tinyloc.json for a checkpoint. The family (mlp, cnn1d, mamba, mdcsa; with or without CRF) and every " +
        "hyper-parameter its tensors fix come from the tensor names and shapes; an .onnx model is family onnx, its input's " +
        "dims fix the features and the window ([1, F], [1, T, F], or [1, F, T] into a Conv).\n\n" +
        "What a checkpoint cannot tell is asked for (error TL1207 naming the option): the RSSI range (--rssi-range), " +
        "what the outputs are (--labels/--labels-file for a classifier, --outputs for a regression; --unit alone with two " +
        "outputs means x,y), and for cnn1d, mamba and mdcsa the window (--window). " +
        "Written with a warning (TL1208) when not given: --features (rssi_1..rssi_N), --missing (none), --activation " +
        "for mlp and cnn1d (relu). The scheme is static with --calibration, else dynamic (no calibration needed).\n\n" +
        "Examples:\n" +
        "  tinyloc init uji.pt --labels-file classes.txt --rssi-range -104,0 --missing 100 --features-file waps.txt\n" +
        "  tinyloc init house_a_mamba.pt --window 20 --labels hall,kitchen,bed,living --rssi-range -100,-40 --missing none\n" +
        "  tinyloc init cnn.onnx --labels hall,kitchen,bed,living,bath --rssi-range -93,-38 --missing none";

    public static Command Create()
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A PyTorch .pt/.pth state_dict or a .safetensors file (mlp, cnn1d, mamba or mdcsa), or an .onnx model (its input fixes the features and window)." };
        var output = new Option<string?>("--out", "-o") { Description = "Where to write the manifest (default: CHECKPOINT's stem + .tinyloc.json beside it). Paths in it are relative to its folder." };
        var name = new Option<string?>("--name") { Description = "Model name (lower snake case; the C prefix). Default: from the file name." };
        var labels = new Option<string?>("--labels") { Description = "Comma-separated class labels, in output order: makes a classifier (required for a CRF model)." };
        var labelsFile = new Option<string?>("--labels-file") { Description = "A text file with one class label per line, in output order." };
        var outputs = new Option<string?>("--outputs") { Description = "Comma-separated names of regression outputs: makes a regression." };
        var unit = new Option<string?>("--unit") { Description = "Unit of the regression outputs, e.g. m (with two outputs and no --outputs: x,y, with a warning)." };
        var features = new Option<string?>("--features") { Description = "Comma-separated input feature names (CSV column names). Default rssi_1..rssi_N, with a warning." };
        var featuresFile = new Option<string?>("--features-file") { Description = "A text file with one input feature name per line." };
        var range = new Option<string?>("--rssi-range") { Description = "Raw RSSI range MIN,MAX in dBm the model was trained to min-max normalise. Required." };
        var missing = new Option<string?>("--missing") { Description = "The raw value that means 'not received' (e.g. 100 for UJIIndoorLoc), or none. Default none, with a warning." };
        var window = new Option<int?>("--window") { Description = "Steps T per window. Required for cnn1d, mamba and mdcsa (at most 160); for an mlp, the steps of a flattened [T·F] input (default 1)." };
        var pool = new Option<int?>("--pool") { Description = "cnn1d max-pool size; inferred from the head's width when only one size fits the window." };
        var activation = new Option<string?>("--activation") { Description = "Hidden activation of mlp and cnn1d: relu, tanh, sigmoid or silu (a state_dict does not record it). Default relu, with a warning." };
        activation.AcceptOnlyFromAmong(ModelManifest.Activations);
        var scheme = new Option<string?>("--scheme") { Description = "quantization.scheme to write: none, static, dynamic, llm-int8 or auto. Default: static with --calibration, else dynamic." };
        scheme.AcceptOnlyFromAmong("none", "static", "dynamic", "llm-int8", "auto");
        var calibration = new Option<string?>("--calibration") { Description = "A CSV of representative raw inputs for static int8 calibration." };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing manifest." };
        var cmd = new Command("init", Help);
        cmd.Arguments.Add(checkpoint);
        Common.Add(cmd, output, name, labels, labelsFile, outputs, unit, features, featuresFile, range, missing, window, pool, activation, scheme, calibration, force);
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

            float? lo = null, hi = null;
            if (r.GetValue(range) is string rangeText)
            {
                var rangeParts = Common.List(rangeText)!.Select(s => float.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out float v) ? v : float.NaN).ToList();
                if (rangeParts.Count != 2 || !(rangeParts[0] < rangeParts[1]))
                {
                    bag.Report(DiagnosticDescriptors.ManifestInvalidValue, new SourceLocation("--rssi-range"), "input.rssi_range", rangeText, "MIN,MAX with MIN < MAX, e.g. -104,0");
                    Common.Print(bag);
                    return Common.Failed;
                }

                (lo, hi) = (rangeParts[0], rangeParts[1]);
            }

            float? missingValue = null;
            string? missingText = r.GetValue(missing);
            if (missingText is not null && missingText != "none")
            {
                if (!float.TryParse(missingText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out float mv) || !float.IsFinite(mv))
                {
                    bag.Report(DiagnosticDescriptors.ManifestInvalidValue, new SourceLocation("--missing"), "input.missing_value", missingText, "a number such as 100 or -200, or none");
                    Common.Print(bag);
                    return Common.Failed;
                }

                missingValue = mv;
            }

            var labelList = Common.List(r.GetValue(labels));
            var featureList = Common.List(r.GetValue(features));
            if (!ReadLines(r.GetValue(labelsFile), ref labelList, bag) || !ReadLines(r.GetValue(featuresFile), ref featureList, bag))
            {
                Common.Print(bag);
                return Common.Failed;
            }

            var weights = CheckpointReader.Read(ckpt, bag);
            var options = new InitOptions
            {
                Name = r.GetValue(name),
                Labels = labelList,
                OutputNames = Common.List(r.GetValue(outputs)),
                Unit = r.GetValue(unit),
                Features = featureList,
                RssiMin = lo,
                RssiMax = hi,
                MissingValue = missingValue,
                MissingValueGiven = missingText is not null,
                Window = r.GetValue(window),
                Pool = r.GetValue(pool),
                Activation = r.GetValue(activation),
                Scheme = r.GetValue(scheme),
                Calibration = r.GetValue(calibration),
            };
            string? json = weights is null ? null : ManifestInference.Infer(weights, path, options, bag);
            Common.Print(bag);
            if (json is null || !Common.WriteFile(path, json))
            {
                return Common.Failed;
            }

            var console = Common.Console();
            console.MarkupLine($"[green]wrote[/] {Markup.Escape(path)}");
            string dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            if (ManifestInference.Relative(dir, Path.GetFullPath(ckpt)).StartsWith("../", System.StringComparison.Ordinal))
            {
                console.MarkupLine("[yellow]note:[/] the checkpoint lies outside the manifest's folder: compile with --allow-outside-paths, or move the manifest beside it.");
            }

            if (options.Calibration is null && (options.Scheme ?? "dynamic") == "dynamic")
            {
                console.MarkupLine("Scheme dynamic (int8 weights, no calibration data needed); for static int8 pass --calibration CSV (a CSV of raw inputs) to init or compile.");
            }
            else if (options.Calibration is null && options.Scheme == "static")
            {
                console.MarkupLine("[yellow]note:[/] scheme static without calibration data: pass --calibration CSV (a CSV of raw inputs) to compile.");
            }

            return Common.Ok;
        });
        return cmd;
    }

    private static bool ReadLines(string? file, ref System.Collections.Generic.IReadOnlyList<string>? into, DiagnosticBag bag)
    {
        if (file is null)
        {
            return true;
        }

        try
        {
            into = File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            return true;
        }
        catch (IOException e)
        {
            bag.Report(DiagnosticDescriptors.FileNotReadable, new SourceLocation(file), e.Message);
            return false;
        }
    }
}
