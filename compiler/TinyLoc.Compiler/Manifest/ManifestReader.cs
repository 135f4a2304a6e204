using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Json;

namespace TinyLoc.Compiler.Manifest;

/// <summary>Reads and validates a manifest; every problem is a diagnostic naming the file, position and field.</summary>
public sealed class ManifestReader
{
    private static readonly Regex NamePattern = new("^[a-z][a-z0-9_]*$", RegexOptions.CultureInvariant);

    private readonly string _path;
    private readonly DiagnosticBag _diagnostics;

    private ManifestReader(string path, DiagnosticBag diagnostics)
    {
        _path = path;
        _diagnostics = diagnostics;
    }

    /// <summary>Reads the manifest at <paramref name="path"/>; null (with errors reported) if it is unusable. Never throws.</summary>
    public static ModelManifest? Read(string path, DiagnosticBag diagnostics, Util.FileSource? files = null)
    {
        string text;
        try
        {
            text = (files ?? Util.FileSource.Disk).ReadAllText(path, Util.InputLimits.MaxJsonBytes, "a manifest");
        }
        catch (DiagnosticException e)
        {
            diagnostics.Add(e.Diagnostic);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            diagnostics.Report(DiagnosticDescriptors.FileNotReadable, new SourceLocation(path), e.Message);
            return null;
        }

        return Parse(path, text, diagnostics);
    }

    /// <summary>Parses manifest text; <paramref name="path"/> locates diagnostics and resolves relative paths.</summary>
    public static ModelManifest? Parse(string path, string text, DiagnosticBag diagnostics)
    {
        var reader = new ManifestReader(path, diagnostics);
        try
        {
            return reader.ParseRoot(JsonParser.Parse(text));
        }
        catch (JsonParseException e)
        {
            diagnostics.Report(e.OverLimit ? DiagnosticDescriptors.JsonOverLimit : DiagnosticDescriptors.ManifestInvalidJson, new SourceLocation(path, e.Line, e.Column), e.Message);
            return null;
        }
        catch (DiagnosticException e)
        {
            diagnostics.Add(e.Diagnostic);
            return null;
        }
    }

    private ModelManifest? ParseRoot(JsonNode root)
    {
        var o = Obj(root, "$");
        Known(o, "$", "tinyloc", "name", "description", "checkpoint", "family", "architecture", "input", "output", "quantization");
        var version = Required(o, "tinyloc", JsonKind.Number);
        if (version.Number != ModelManifest.Version)
        {
            throw Fail(DiagnosticDescriptors.ManifestVersion, version, "tinyloc", version.Number);
        }

        var nameNode = Required(o, "name", JsonKind.String);
        if (!NamePattern.IsMatch(nameNode.String))
        {
            throw Invalid(nameNode, "name", Quote(Emit.Naming.CommentText(nameNode.String)), "lower snake case starting with a letter (it becomes the C prefix), e.g. \"uji_mlp\"");
        }

        if (Emit.Naming.ModelNameProblem(nameNode.String) is { } nameProblem)
        {
            throw Fail(DiagnosticDescriptors.ReservedName, nameNode, "name", nameNode.String, nameProblem);
        }

        string? description = Optional(o, "description", JsonKind.String)?.String;
        var checkpoint = Required(o, "checkpoint", JsonKind.String);
        // An .onnx checkpoint carries its own graph: its family is onnx, and the architecture object may be left out.
        bool onnxFile = checkpoint.String.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);
        var family = onnxFile ? Optional(o, "family", JsonKind.String) : Required(o, "family", JsonKind.String);
        string familyName = family?.String ?? "onnx";
        if (family is not null)
        {
            OneOf(family, "family", Architectures.Families);
            if (onnxFile != (familyName == "onnx"))
            {
                throw Invalid(family, "family", Quote(familyName), onnxFile
                    ? "\"onnx\" (or no family): the checkpoint is an .onnx model, whose graph the compiler reads as it is"
                    : "the family of the state dict's layers (mlp, cnn1d, mamba or mdcsa); family \"onnx\" takes an .onnx checkpoint");
            }
        }

        var archNode = familyName == "onnx" ? Optional(o, "architecture", JsonKind.Object) : Required(o, "architecture", JsonKind.Object);
        var arch = archNode is null ? new OnnxArchitecture() : Architectures.Reader(familyName)!(this, Obj(archNode, "architecture"));
        var input = ParseInput(Obj(Required(o, "input", JsonKind.Object), "input"));
        var output = ParseOutput(Obj(Required(o, "output", JsonKind.Object), "output"));
        var quant = ParseQuantization(Optional(o, "quantization", JsonKind.Object));

        string dir = Path.GetDirectoryName(Path.GetFullPath(_path)) ?? ".";
        string checkpointPath = FullPath(dir, checkpoint, "checkpoint");
        string? calibrationPath = quant.CalibrationPath is null ? null : FullPath(dir, o["quantization"]!["calibration"]!, "quantization.calibration");
        return new ModelManifest(
            _path,
            nameNode.String,
            description,
            checkpointPath,
            familyName,
            arch,
            input,
            output,
            quant with { CalibrationPath = calibrationPath });
    }

    /// <summary>A path from the manifest, made absolute; a diagnostic (not an exception) for NUL or other characters no file system takes.</summary>
    private string FullPath(string dir, JsonNode node, string field)
    {
        string p = node.String;
        if (p.Length == 0 || p.IndexOf('\0') >= 0 || Emit.Naming.UnpairedSurrogateAt(p) is not null)
        {
            throw Invalid(node, field, Quote(Emit.Naming.CommentText(p)), "a non-empty file path without NUL or unpaired surrogates");
        }

        try
        {
            return Path.GetFullPath(Path.Combine(dir, p));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Invalid(node, field, Quote(Emit.Naming.CommentText(p)), "a valid file path (" + e.Message + ")");
        }
    }

    /// <summary>State-dict prefixes of layers: non-empty, distinct, and not a name the graph already uses for the input.</summary>
    private List<string> LayerPrefixes(JsonNode array, string field)
    {
        var layers = Strings(array, field);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < layers.Count; i++)
        {
            string l = layers[i];
            if (l.Length == 0 || l == "input" || l == "input.norm" || !seen.Add(l))
            {
                throw Invalid(array.Items[i], $"{field}[{i}]", Quote(Emit.Naming.CommentText(l)), "a non-empty state-dict prefix, used once, other than \"input\" and \"input.norm\"");
            }
        }

        return layers;
    }

    /// <summary>Text that becomes a string literal in the generated code (a class label).</summary>
    private void Literal(JsonNode array, string field)
    {
        for (int i = 0; i < array.Items.Count; i++)
        {
            if (Emit.Naming.LabelProblem(array.Items[i].String) is { } problem)
            {
                throw Fail(DiagnosticDescriptors.TextNotAllowed, array.Items[i], $"{field}[{i}]", $"{field}[{i}]", problem);
            }
        }
    }

    /// <summary>
    /// The layer prefixes at <c>architecture.KEY</c>: a required, non-empty array (<see cref="LayerPrefixes"/>).
    /// </summary>
    /// <param name="o">The architecture object.</param>
    /// <param name="key">The array's key in it.</param>
    /// <param name="expected">What an empty array is told to hold instead.</param>
    internal List<string> RequiredLayerPrefixes(JsonNode o, string key, string expected)
    {
        string field = "architecture." + key;
        var layers = LayerPrefixes(Required(o, key, JsonKind.Array, "architecture."), field);
        if (layers.Count == 0)
        {
            throw Invalid(o[key]!, field, "[]", expected);
        }

        return layers;
    }

    /// <summary>The layers' activation at <c>architecture.activation</c>: one of <see cref="ModelManifest.Activations"/>, relu when absent.</summary>
    /// <param name="o">The architecture object.</param>
    internal string Activation(JsonNode o)
    {
        var act = Optional(o, "activation", JsonKind.String);
        if (act is not null)
        {
            OneOf(act, "architecture.activation", ModelManifest.Activations);
        }

        return act?.String ?? "relu";
    }

    internal int Int(JsonNode o, string key, int fallback, int min)
    {
        var n = Optional(o, key, JsonKind.Number);
        if (n is null)
        {
            return fallback;
        }

        if (n.Number < min || n.Number != Math.Floor(n.Number) || n.Number > 100000)
        {
            throw Invalid(n, key, n.Number, $"a whole number >= {min}");
        }

        return (int)n.Number;
    }

    private InputSpec ParseInput(JsonNode o)
    {
        Known(o, "input", "features", "window", "rssi_range", "missing_value", "normalisation", "period_ms", "max_fill_ms", "hop", "session_gap_ms");
        var featuresNode = Required(o, "features", JsonKind.Array, "input.");
        var features = Strings(featuresNode, "input.features");
        if (features.Count == 0)
        {
            throw Invalid(featuresNode, "input.features", "[]", "one name per input feature");
        }

        // Feature names are the runtime's beacon ids: C string literals, and each names one input.
        Literal(featuresNode, "input.features");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < features.Count; i++)
        {
            if (!seen.Add(features[i]))
            {
                throw Invalid(featuresNode.Items[i], $"input.features[{i}]", Quote(Emit.Naming.CommentText(features[i])), "a name no other feature has (it is the beacon id the runtime looks up)");
            }
        }

        var windowNode = Optional(o, "window", JsonKind.Number);
        int window = windowNode is null ? 1 : PositiveInt(windowNode, "input.window");
        var norm = Optional(o, "normalisation", JsonKind.String);
        if (norm is not null)
        {
            OneOf(norm, "input.normalisation", ModelManifest.Normalisations);
        }

        // The range only feeds the min-max normalisation: a model that takes its inputs as they are needs none (a cell
        // with no reading is then missing_value, or 0).
        var rangeNode = norm?.String == "none" ? Optional(o, "rssi_range", JsonKind.Array) : Required(o, "rssi_range", JsonKind.Array, "input.");
        if (rangeNode is null)
        {
            return new InputSpec(features, window, 0.0f, 0.0f, Missing(o), "none") { Stream = ParseStream(o, window) };
        }

        var range = Numbers(rangeNode, "input.rssi_range");

        // The generated code computes (v - min) * (1 / (max - min)) in float32: both ends, their difference
        // and its inverse must be finite float32 numbers (and the inverse normal), or the constants cannot be written.
        float lo = range.Count == 2 ? (float)range[0] : 0, hi = range.Count == 2 ? (float)range[1] : 0;
        float inv = 1.0f / (hi - lo);
        if (range.Count != 2 || !(lo < hi) || !Finite(lo) || !Finite(hi) || !Finite(hi - lo) || !Finite(inv) || Math.Abs(inv) < 1.17549435E-38f)
        {
            throw Invalid(rangeNode, "input.rssi_range", "[" + string.Join(", ", range.Select(r => r.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]", "[min, max] in dBm with min < max as float32 numbers, and 1/(max - min) a finite, normal float32, e.g. [-104, 0]");
        }

        return new InputSpec(features, window, (float)range[0], (float)range[1], Missing(o), norm?.String ?? "minmax") { Stream = ParseStream(o, window) };
    }

    /// <summary><c>input.missing_value</c>: a finite float32, or null when absent or null.</summary>
    private float? Missing(JsonNode o)
    {
        var missingNode = o["missing_value"];
        if (missingNode is null || missingNode.Kind == JsonKind.Null)
        {
            return null;
        }

        float missing = (float)Expect(missingNode, JsonKind.Number, "input.missing_value").Number;
        if (!Finite(missing))
        {
            throw Invalid(missingNode, "input.missing_value", missingNode.Number.ToString("R", System.Globalization.CultureInfo.InvariantCulture), "a number that is finite as a float32 (e.g. 100), or null");
        }

        return missing;
    }

    /// <summary>The runtime's row period, fill, hop and session gap (<see cref="StreamSpec"/>).</summary>
    private StreamSpec ParseStream(JsonNode o, int window)
    {
        var d = StreamSpec.Default(window);
        uint periodUs = d.PeriodUs;
        if (Optional(o, "period_ms", JsonKind.Number) is { } periodNode)
        {
            double us = periodNode.Number * 1000;
            if (!(us >= 2 && us <= StreamSpec.MaxMs * 1000.0) || Math.Abs(us - Math.Round(us)) > 1e-6 * Math.Max(1, us))
            {
                throw Invalid(periodNode, "input.period_ms", periodNode.Number, $"the row period in milliseconds, 0.002 to {StreamSpec.MaxMs}, in whole microseconds (e.g. 1000, or 333.333 for 3 rows a second)");
            }

            periodUs = (uint)Math.Round(us);
        }

        int maxFill = d.MaxFillMs;
        if (Optional(o, "max_fill_ms", JsonKind.Number) is { } fillNode)
        {
            maxFill = WholeNumber(fillNode, "input.max_fill_ms", 0, StreamSpec.MaxMs);
        }

        var spec = d with { PeriodUs = periodUs, MaxFillMs = maxFill };
        if (spec.FillRows > StreamSpec.MaxFillRows)
        {
            throw Invalid(o["max_fill_ms"] ?? o, "input.max_fill_ms", maxFill, $"at most {StreamSpec.MaxFillRows} row periods ({StreamSpec.MaxFillRows * spec.PeriodMs} ms with a period of {spec.PeriodMs} ms)");
        }

        int hop = Optional(o, "hop", JsonKind.Number) is { } hopNode ? WholeNumber(hopNode, "input.hop", 1, window) : d.Hop;
        int gap = Optional(o, "session_gap_ms", JsonKind.Number) is { } gapNode ? WholeNumber(gapNode, "input.session_gap_ms", 1, StreamSpec.MaxMs) : d.SessionGapMs;
        return spec with { Hop = hop, SessionGapMs = gap };
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    private int WholeNumber(JsonNode n, string field, int min, int max)
    {
        if (n.Number < min || n.Number > max || n.Number != Math.Floor(n.Number))
        {
            throw Invalid(n, field, n.Number, $"a whole number from {min} to {max}");
        }

        return (int)n.Number;
    }

    private OutputSpec ParseOutput(JsonNode o)
    {
        Known(o, "output", "kind", "labels", "names", "unit", "decode", "vote", "motion_alpha");
        var kind = Required(o, "kind", JsonKind.String, "output.");
        OneOf(kind, "output.kind", new[] { "classification", "regression" });
        if (kind.String == "classification")
        {
            var labelsNode = Required(o, "labels", JsonKind.Array, "output.");
            var labels = Strings(labelsNode, "output.labels");
            Literal(labelsNode, "output.labels");
            if (labels.Count < 2)
            {
                throw Invalid(o["labels"]!, "output.labels", labels.Count, "at least two class labels");
            }

            var decode = Optional(o, "decode", JsonKind.String);
            if (decode is not null)
            {
                OneOf(decode, "output.decode", new[] { "last", "path" });
            }

            if (o["motion_alpha"] is { } alphaNode)
            {
                throw Invalid(alphaNode, "output.motion_alpha", alphaNode.Number, "nothing: a classifier has no position to filter (remove the field)");
            }

            int vote = Optional(o, "vote", JsonKind.Number) is { } voteNode ? WholeNumber(voteNode, "output.vote", 1, OutputSpec.MaxVote) : 1;
            return new OutputSpec(kind.String, labels, Array.Empty<string>(), null) { Decode = decode?.String ?? "last", Vote = vote };
        }

        var names = Strings(Required(o, "names", JsonKind.Array, "output."), "output.names");
        if (names.Count == 0)
        {
            throw Invalid(o["names"]!, "output.names", "[]", "one name per regression output, e.g. [\"x\", \"y\"]");
        }

        if (o["vote"] is { } votesNode)
        {
            throw Invalid(votesNode, "output.vote", votesNode.Number, "nothing: a regression has no classes to vote on (remove the field)");
        }

        var spec = new OutputSpec(kind.String, Array.Empty<string>(), names, Optional(o, "unit", JsonKind.String)?.String);
        if (Optional(o, "motion_alpha", JsonKind.Number) is { } motionNode)
        {
            float alpha = (float)motionNode.Number;
            if (!spec.IsPosition || !(alpha >= 0 && alpha <= 1))
            {
                throw Invalid(motionNode, "output.motion_alpha", motionNode.Number, spec.IsPosition ? "a weight from 0 to 1 (the model's share of the position; 0.8 by default)" : "nothing: only a regression with two outputs (x, y) is filtered with motion (remove the field)");
            }

            spec = spec with { MotionAlpha = alpha };
        }

        return spec;
    }

    private QuantizationSpec ParseQuantization(JsonNode? node)
    {
        if (node is null)
        {
            return new QuantizationSpec("static", null, new Dictionary<string, (float, float)>());
        }

        var o = Obj(node, "quantization");
        Known(o, "quantization", "scheme", "calibration", "activation_ranges");
        var scheme = Optional(o, "scheme", JsonKind.String);
        var ranges = new SortedDictionary<string, (float, float)>(StringComparer.Ordinal);
        var rangesNode = Optional(o, "activation_ranges", JsonKind.Object);
        if (rangesNode is not null)
        {
            foreach (var m in rangesNode.Members)
            {
                string field = "quantization.activation_ranges." + m.Key;
                var pair = Numbers(Expect(m.Value, JsonKind.Array, field), field);
                if (pair.Count != 2 || !(pair[0] <= pair[1]) || !Finite((float)pair[0]) || !Finite((float)pair[1]))
                {
                    throw Invalid(m.Value, field, "[" + string.Join(", ", pair) + "]", "[min, max] with min <= max");
                }

                ranges[m.Key] = ((float)pair[0], (float)pair[1]);
            }
        }

        return new QuantizationSpec(scheme?.String ?? "static", Optional(o, "calibration", JsonKind.String)?.String, ranges);
    }

    private static bool Finite(float v) => !float.IsNaN(v) && !float.IsInfinity(v);

    internal JsonNode Obj(JsonNode node, string field) => Expect(node, JsonKind.Object, field);

    internal void Known(JsonNode o, string where, params string[] fields)
    {
        foreach (var m in o.Members)
        {
            if (Array.IndexOf(fields, m.Key) < 0)
            {
                string path = where == "$" ? m.Key : where + "." + m.Key;
                string hint = Closest(m.Key, fields) is { } c ? $" (did you mean '{c}'?)" : $" (known here: {string.Join(", ", fields)})";
                throw Fail(DiagnosticDescriptors.ManifestUnknownField, m.Value, path, path, hint);
            }
        }
    }

    internal JsonNode Required(JsonNode o, string key, JsonKind kind, string prefix = "")
    {
        var v = o[key];
        if (v is null)
        {
            throw Fail(DiagnosticDescriptors.ManifestMissingField, o, prefix + key, prefix + key);
        }

        return Expect(v, kind, prefix + key);
    }

    internal JsonNode? Optional(JsonNode o, string key, JsonKind kind)
    {
        var v = o[key];
        return v is null ? null : Expect(v, kind, key);
    }

    internal JsonNode Expect(JsonNode v, JsonKind kind, string field)
    {
        if (v.Kind != kind)
        {
            string want = kind switch
            {
                JsonKind.Object => "an object",
                JsonKind.Array => "an array",
                JsonKind.String => "a string",
                JsonKind.Number => "a number",
                JsonKind.Bool => "a boolean",
                _ => "null",
            };
            throw Fail(DiagnosticDescriptors.ManifestWrongType, v, field, field, want, v.KindName);
        }

        return v;
    }

    private List<string> Strings(JsonNode array, string field) =>
        array.Items.Select((n, i) => Expect(n, JsonKind.String, $"{field}[{i}]").String).ToList();

    private List<double> Numbers(JsonNode array, string field) =>
        array.Items.Select((n, i) => Expect(n, JsonKind.Number, $"{field}[{i}]").Number).ToList();

    internal int PositiveInt(JsonNode n, string field)
    {
        if (n.Number < 1 || n.Number != Math.Floor(n.Number) || n.Number > 100000)
        {
            throw Invalid(n, field, n.Number, "a whole number >= 1");
        }

        return (int)n.Number;
    }

    internal void OneOf(JsonNode n, string field, string[] allowed)
    {
        if (Array.IndexOf(allowed, n.String) < 0)
        {
            throw Invalid(n, field, Quote(n.String), "one of " + string.Join(", ", allowed.Select(Quote)));
        }
    }

    internal DiagnosticException Invalid(JsonNode at, string field, object value, string expected) =>
        Fail(DiagnosticDescriptors.ManifestInvalidValue, at, field, field, value, expected);

    private DiagnosticException Fail(DiagnosticDescriptor d, JsonNode at, string field, params object[] args) =>
        new(new Diagnostic(d, new SourceLocation(_path, at.Line, at.Column, field), d.Format(args)));

    private static string Quote(string s) => "\"" + s + "\"";

    private static string? Closest(string key, string[] options) =>
        options.Select(o => (o, d: Distance(key.ToLowerInvariant(), o))).Where(x => x.d <= 2).OrderBy(x => x.d).ThenBy(x => x.o, StringComparer.Ordinal).Select(x => x.o).FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }

        return d[a.Length, b.Length];
    }
}
