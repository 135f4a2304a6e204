using System.Collections.Generic;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Import;
using TinyLoc.Compiler.Json;

namespace TinyLoc.Compiler.Manifest;

/// <summary>What <c>tinyloc init</c> cannot read from a checkpoint and takes from the user instead.</summary>
public sealed record InitOptions
{
    public string? Name { get; init; }

    public IReadOnlyList<string>? Labels { get; init; }

    public IReadOnlyList<string>? OutputNames { get; init; }

    public string? Unit { get; init; }

    public IReadOnlyList<string>? Features { get; init; }

    public float RssiMin { get; init; } = -100;

    public float RssiMax { get; init; } = 0;

    public float? MissingValue { get; init; }

    public string Activation { get; init; } = "relu";

    public string Scheme { get; init; } = "static";

    public string? Calibration { get; init; }
}

/// <summary>Infers an MLP manifest from a checkpoint's tensor names and shapes (<c>tinyloc init</c>).</summary>
public static class ManifestInference
{
    /// <summary>
    /// The Linear layers are the 2-D <c>*.weight</c> tensors in state-dict order whose shapes chain
    /// (each layer's inputs = the previous layer's outputs). Returns the manifest JSON, or null with a diagnostic.
    /// </summary>
    public static string? Infer(StateDict weights, string manifestPath, InitOptions o, DiagnosticBag diagnostics)
    {
        var loc = new SourceLocation(weights.Path);
        var layers = weights.Tensors.Where(t => t.Name.EndsWith(".weight", System.StringComparison.Ordinal) && t.Shape.Length == 2).ToList();
        if (layers.Count == 0)
        {
            diagnostics.Report(DiagnosticDescriptors.CannotInferManifest, loc, "no 2-D '*.weight' tensors (Linear layers) found");
            return null;
        }

        for (int i = 1; i < layers.Count; i++)
        {
            if (layers[i].Shape[1] != layers[i - 1].Shape[0])
            {
                diagnostics.Report(DiagnosticDescriptors.CannotInferManifest, loc, $"'{layers[i].Name}' {layers[i].ShapeText} does not take the {layers[i - 1].Shape[0]} outputs of '{layers[i - 1].Name}'");
                return null;
            }
        }

        int inputs = layers[0].Shape[1];
        int outputs = layers[layers.Count - 1].Shape[0];
        if (o.Labels is not null && o.Labels.Count != outputs)
        {
            diagnostics.Report(DiagnosticDescriptors.CannotInferManifest, loc, $"{o.Labels.Count} labels given but the last layer has {outputs} outputs");
            return null;
        }

        var features = o.Features ?? Enumerable.Range(1, inputs).Select(i => "rssi_" + i).ToList();
        if (features.Count != inputs)
        {
            diagnostics.Report(DiagnosticDescriptors.CannotInferManifest, loc, $"{features.Count} feature names given but the first layer takes {inputs} inputs");
            return null;
        }

        string name = o.Name ?? Sanitize(Path.GetFileNameWithoutExtension(manifestPath).Replace(".tinyloc", string.Empty));
        string manifestDir = Path.GetDirectoryName(Path.GetFullPath(manifestPath)) ?? ".";
        var w = new JsonWriter().BeginObject();
        w.Key("tinyloc").Value(ModelManifest.Version).Key("name").Value(name)
            .Key("description").Value($"MLP {inputs} -> {string.Join(" -> ", layers.Select(l => l.Shape[0]))}")
            .Key("checkpoint").Value(Relative(manifestDir, Path.GetFullPath(weights.Path)))
            .Key("family").Value("mlp");
        w.Key("architecture").BeginObject()
            .Key("layers").Strings(layers.Select(l => l.Name.Substring(0, l.Name.Length - ".weight".Length)))
            .Key("activation").Value(o.Activation).EndObject();
        w.Key("input").BeginObject()
            .Key("features").Strings(features).Key("window").Value(1)
            .Key("rssi_range").Numbers(new double[] { o.RssiMin, o.RssiMax })
            .Key("missing_value").Raw(o.MissingValue is float mv ? Util.Fmt.Float(mv) : "null")
            .Key("normalisation").Value("minmax").EndObject();
        w.Key("output").BeginObject();
        if (o.Labels is not null)
        {
            w.Key("kind").Value("classification").Key("labels").Strings(o.Labels);
        }
        else
        {
            var names = o.OutputNames ?? (outputs == 2 ? new[] { "x", "y" } : Enumerable.Range(0, outputs).Select(i => "out_" + i).ToArray());
            w.Key("kind").Value("regression").Key("names").Strings(names);
            if (o.Unit is not null)
            {
                w.Key("unit").Value(o.Unit);
            }
        }

        w.EndObject();
        w.Key("quantization").BeginObject().Key("scheme").Value(o.Scheme);
        if (o.Calibration is not null)
        {
            w.Key("calibration").Value(Relative(manifestDir, Path.GetFullPath(o.Calibration)));
        }

        w.EndObject();
        return w.EndObject().ToString();
    }

    private static string Sanitize(string s)
    {
        var chars = s.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) && c < 128 ? c : '_').ToArray();
        string r = new string(chars).Trim('_');
        return r.Length == 0 || !char.IsLetter(r[0]) ? "model_" + r : r;
    }

    private static string Relative(string fromDir, string path)
    {
        string from = fromDir.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return path.StartsWith(from, System.StringComparison.Ordinal) ? path.Substring(from.Length).Replace('\\', '/') : path.Replace('\\', '/');
    }
}
