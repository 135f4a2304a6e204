using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Families;
using TinyLoc.Compiler.Import;
using TinyLoc.Compiler.Json;

namespace TinyLoc.Compiler.Manifest;

/// <summary>
/// What <c>tinyloc init</c> cannot read from a checkpoint and takes from the user instead. A null field was not
/// given: <see cref="ManifestInference"/> then either asks for it (TL1207, an error naming the option) or writes a
/// stated default and says so (TL1208, a warning).
/// </summary>
public sealed record InitOptions
{
    public string? Name { get; init; }

    /// <summary>Class labels in output order (<c>--labels</c>, <c>--labels-file</c>): a classifier.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>Regression output names (<c>--outputs</c>): a regression.</summary>
    public IReadOnlyList<string>? OutputNames { get; init; }

    public string? Unit { get; init; }

    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>The raw RSSI range (<c>--rssi-range</c>); required: a checkpoint does not record its normalisation.</summary>
    public float? RssiMin { get; init; }

    public float? RssiMax { get; init; }

    /// <summary>The raw 'not received' value; see <see cref="MissingValueGiven"/>.</summary>
    public float? MissingValue { get; init; }

    /// <summary>True when the user said what 'not received' is (<c>--missing V</c> or <c>--missing none</c>).</summary>
    public bool MissingValueGiven { get; init; }

    /// <summary>The hidden activation of <c>mlp</c> and <c>cnn1d</c> (a state_dict does not record it).</summary>
    public string? Activation { get; init; }

    /// <summary>The window T (<c>--window</c>); required for the sequence families.</summary>
    public int? Window { get; init; }

    /// <summary>The max-pool size of <c>cnn1d</c> (<c>--pool</c>); inferred from the head when only one size fits.</summary>
    public int? Pool { get; init; }

    /// <summary>Default: <c>static</c> with <see cref="Calibration"/>, else <c>dynamic</c> (needs no calibration data).</summary>
    public string? Scheme { get; init; }

    public string? Calibration { get; init; }
}

/// <summary>
/// Infers a manifest from a checkpoint's tensor names and shapes (<c>tinyloc init</c>): the family (mlp, cnn1d, mamba,
/// mdcsa, with or without CRF) and every hyper-parameter the tensors fix; the rest from <see cref="InitOptions"/>.
/// </summary>
public static class ManifestInference
{
    /// <summary>The reference MDCSA's merge convolution stride and padding (not recorded in a checkpoint; its kernel is).</summary>
    public const int MdcsaMergeStride = 3;

    /// <summary>Returns the manifest JSON, or null with diagnostics (every missing option at once).</summary>
    public static string? Infer(StateDict weights, string manifestPath, InitOptions o, DiagnosticBag diagnostics)
    {
        var loc = new SourceLocation(weights.Path);
        Model? model;
        try
        {
            model = Recognise(weights);
        }
        catch (DiagnosticException e)
        {
            diagnostics.Add(e.Diagnostic);
            return null;
        }

        if (model is null)
        {
            string have = string.Join(", ", weights.Tensors.Take(4).Select(t => $"'{t.Name}' {t.ShapeText}")) + (weights.Tensors.Count > 4 ? $" and {weights.Tensors.Count - 4} more" : string.Empty);
            diagnostics.Report(DiagnosticDescriptors.NoFamilyMatches, loc, weights.Tensors.Count == 0 ? "no tensors" : have);
            return null;
        }

        int errors = diagnostics.Errors.Count();
        void Ask(string what, string option) => diagnostics.Report(DiagnosticDescriptors.InitNeedsOption, loc, what, option);
        var assumed = new List<object[]>();
        void Assumed(string field, string value, string option) => assumed.Add(new object[] { field, value, option });
        void Invalid(string option, object value, string expected) => diagnostics.Report(DiagnosticDescriptors.ManifestInvalidValue, new SourceLocation(option), option, value, expected);

        // Window: an MLP's inputs are one scan unless told (a flattened window [T·F] looks the same);
        // the sequence families' tensors do not depend on T at all.
        int window = 1;
        if (model.KnownWindow is int known)
        {
            // An ONNX input's dims fix the window.
            if (o.Window is int w && w != known)
            {
                Invalid("--window", w, $"{known}, the steps of the ONNX model's input (or leave --window out)");
            }

            window = known;
        }
        else if (model.Sequence)
        {
            string max = model.MaxWindow is int mw ? $"; at most {mw}, the rows of rssi_pe.pe" : string.Empty;
            if (o.Window is not int w)
            {
                Ask($"the window length T ({model.Family} takes one window x[T, F]; its tensors do not depend on T{max})", "--window T");
            }
            else if (w < 1 || (model.MaxWindow is int m2 && w > m2))
            {
                Invalid("--window", w, model.MaxWindow is int m3 ? $"1 to {m3}, the rows of rssi_pe.pe" : "1 or more");
            }
            else
            {
                window = w;
            }
        }
        else if (o.Window is int w)
        {
            if (w < 1 || model.Inputs % w != 0)
            {
                Invalid("--window", w, $"a divisor of the first layer's {model.Inputs} inputs (the steps of a flattened [T·F] window)");
            }
            else
            {
                window = w;
            }
        }

        int featureCount = model.Sequence ? model.Inputs : model.Inputs / window;
        IReadOnlyList<string> features;
        if (o.Features is not null)
        {
            features = o.Features;
            if (features.Count != featureCount)
            {
                Invalid("--features", $"{features.Count} names", $"{featureCount} names, one per feature the model takes" + (!model.Sequence && window == 1 && featureCount % Math.Max(1, features.Count) == 0 && features.Count > 0 ? $" (for a flattened window of {featureCount / features.Count} steps pass --window {featureCount / features.Count})" : string.Empty));
            }
        }
        else
        {
            features = Enumerable.Range(1, featureCount).Select(i => "rssi_" + i).ToList();
            Assumed("input.features (the CSV column names)", $"rssi_1..rssi_{featureCount}", "--features a,b,...");
        }

        if (o.RssiMin is not float lo || o.RssiMax is not float hi)
        {
            Ask("the raw RSSI range the model was trained to min-max normalise (a wrong range shifts every input)", "--rssi-range MIN,MAX (e.g. -104,0)");
            lo = hi = 0;
        }

        float? missing = o.MissingValue;
        if (!o.MissingValueGiven)
        {
            Assumed("input.missing_value", "null (no raw value means 'not received')", "--missing V (e.g. 100 for UJIIndoorLoc) or --missing none");
        }

        string? activation = null;
        if (model.Family is "mlp" or "cnn1d")
        {
            activation = o.Activation;
            if (activation is null)
            {
                activation = "relu";
                Assumed("architecture.activation", "relu", "--activation relu|tanh|sigmoid|silu");
            }
        }
        else if (o.Activation is not null)
        {
            Invalid("--activation", o.Activation, $"nothing: the {model.Family} family's activations are fixed (the option is for mlp and cnn1d)");
        }

        int c = model.Outputs;
        bool classify;
        IReadOnlyList<string> names = Array.Empty<string>();
        if (o.Labels is not null && (o.OutputNames is not null || o.Unit is not null))
        {
            Invalid("--outputs", string.Join(",", o.OutputNames ?? new[] { "(--unit " + o.Unit + ")" }), "nothing beside --labels: --labels make a classifier, --outputs and --unit a regression");
            classify = true;
        }
        else if (o.Labels is not null)
        {
            classify = true;
            names = o.Labels;
            if (names.Count != c)
            {
                Invalid("--labels", $"{names.Count} labels", $"{c}, one per {(model.Crf ? "CRF tag" : "output")} of the checkpoint's last layer");
            }
        }
        else if (model.Crf)
        {
            classify = true;
            Ask($"the names of the {c} classes the CRF decodes", "--labels a,b,... or --labels-file FILE");
        }
        else if (o.OutputNames is not null)
        {
            classify = false;
            names = o.OutputNames;
            if (names.Count != c)
            {
                Invalid("--outputs", $"{names.Count} names", $"{c}, one per output of the checkpoint's last layer");
            }
        }
        else if (o.Unit is not null && c == 2)
        {
            classify = false;
            names = new[] { "x", "y" };
            Assumed("output.names (a regression, since --unit was given)", "x, y", "--outputs a,b");
        }
        else
        {
            classify = false;
            Ask($"whether the {c} outputs are class scores or regression values, nor their names", "--labels a,b,... (or --labels-file FILE) for a classifier, --outputs a,b,... for a regression");
        }

        if (o.Labels is null && o.OutputNames is not null && model.Crf)
        {
            Invalid("--outputs", string.Join(",", o.OutputNames!), "nothing: a CRF decodes class tags, so pass --labels");
        }

        if (o.Pool is int p0 && model.Family != "cnn1d")
        {
            Invalid("--pool", p0, $"nothing: --pool is for cnn1d, and this checkpoint is {model.Family}");
        }

        if (diagnostics.Errors.Count() > errors)
        {
            return null;
        }

        foreach (var args in assumed)
        {
            diagnostics.Report(DiagnosticDescriptors.InitAssumedValue, loc, args);
        }

        int pool = 1;
        if (model.Family == "cnn1d" && CnnPool(model, window, o.Pool, loc, diagnostics) is int found)
        {
            pool = found;
        }
        else if (model.Family == "cnn1d")
        {
            return null;
        }

        string name = o.Name ?? Sanitize(Path.GetFileNameWithoutExtension(manifestPath).Replace(".tinyloc", string.Empty));
        string manifestDir = Path.GetDirectoryName(Path.GetFullPath(manifestPath)) ?? ".";
        string scheme = o.Scheme ?? (o.Calibration is not null ? "static" : "dynamic");
        var wr = new JsonWriter().BeginObject();
        wr.Key("tinyloc").Value(ModelManifest.Version).Key("name").Value(name)
            .Key("description").Value(model.Describe(window, pool, classify))
            .Key("checkpoint").Value(Relative(manifestDir, Path.GetFullPath(weights.Path)))
            .Key("family").Value(model.Family);
        wr.Key("architecture").BeginObject();
        model.Architecture(wr, activation, pool);
        wr.EndObject();
        wr.Key("input").BeginObject()
            .Key("features").Strings(features).Key("window").Value(window)
            .Key("rssi_range").Numbers(new double[] { lo, hi })
            .Key("missing_value").Raw(missing is float mv ? Util.Fmt.Float(mv) : "null")
            .Key("normalisation").Value("minmax").EndObject();
        wr.Key("output").BeginObject();
        if (classify)
        {
            wr.Key("kind").Value("classification").Key("labels").Strings(names);
            if (model.Crf)
            {
                wr.Key("decode").Value("last");
            }
        }
        else
        {
            wr.Key("kind").Value("regression").Key("names").Strings(names);
            if (o.Unit is not null)
            {
                wr.Key("unit").Value(o.Unit);
            }
        }

        wr.EndObject();
        wr.Key("quantization").BeginObject().Key("scheme").Value(scheme);
        if (o.Calibration is not null)
        {
            wr.Key("calibration").Value(Relative(manifestDir, Path.GetFullPath(o.Calibration)));
        }

        wr.EndObject();
        return wr.EndObject().ToString();
    }

    /// <summary>
    /// The family and hyper-parameters the tensors fix, or null when no family's tensors are there; throws TL1204
    /// when a family's tensors are there but do not fit together.
    /// </summary>
    private static Model? Recognise(StateDict d)
    {
        if (d.Onnx is { } onnx)
        {
            return Onnx(d, onnx);
        }

        bool Has(string n) => d.TryGet(n, out _);
        if (Has("rssi_encoder.weight") || d.Tensors.Any(t => t.Name.StartsWith("mdsca.", StringComparison.Ordinal)))
        {
            return Mdcsa(d);
        }

        if (Has("encoder.weight") && d.Tensors.Any(t => t.Name.StartsWith("layers.", StringComparison.Ordinal) && t.Name.Contains(".mixer.")))
        {
            return Mamba(d);
        }

        if (d.Tensors.Any(t => IsWeight(t) && t.Shape.Length == 3))
        {
            return Cnn1d(d);
        }

        // Linear layers, perhaps with BatchNorm among them (which Mlp refuses by name); anything else is no known family.
        string[] mlpish = { ".weight", ".bias", ".running_mean", ".running_var", ".num_batches_tracked" };
        return d.Tensors.Any(t => IsWeight(t) && t.Shape.Length == 2) && d.Tensors.All(t => mlpish.Any(e => t.Name.EndsWith(e, StringComparison.Ordinal))) ? Mlp(d) : null;
    }

    private static bool IsWeight(CheckpointTensor t) => t.Name.EndsWith(".weight", StringComparison.Ordinal);

    private static string Prefix(string name) => name.Substring(0, name.LastIndexOf('.'));

    private static DiagnosticException Cannot(StateDict d, string what) => new(DiagnosticDescriptors.CannotInferManifest, new SourceLocation(d.Path), what);

    private static CheckpointTensor Need(StateDict d, string family, string name, int rank)
    {
        if (!d.TryGet(name, out var t))
        {
            throw Cannot(d, $"it looks like {family} but has no '{name}'");
        }

        if (t.Shape.Length != rank)
        {
            throw Cannot(d, $"'{name}' has shape {t.ShapeText}; the {family} family needs {rank} dimensions");
        }

        return t;
    }

    /// <summary>Every tensor of <paramref name="schema"/> is in the checkpoint with that shape (optional ones only if present).</summary>
    private static void CheckSchema(StateDict d, string family, string what, IEnumerable<(string Name, int[] Shape)> schema, Func<string, bool> optional)
    {
        foreach (var (n, shape) in schema)
        {
            if (!d.TryGet(n, out var t))
            {
                if (!optional(n))
                {
                    throw Cannot(d, $"it looks like {family} ({what}) but has no '{n}'");
                }
            }
            else if (!t.Shape.SequenceEqual(shape))
            {
                throw Cannot(d, $"'{n}' has shape {t.ShapeText}, but {family} {what} needs [{string.Join(", ", shape)}]");
            }
        }
    }

    private static Model Mlp(StateDict d)
    {
        var layers = d.Tensors.Where(t => IsWeight(t) && t.Shape.Length == 2).ToList();
        for (int i = 1; i < layers.Count; i++)
        {
            if (layers[i].Shape[1] != layers[i - 1].Shape[0])
            {
                throw Cannot(d, $"as an mlp: '{layers[i].Name}' {layers[i].ShapeText} does not take the {layers[i - 1].Shape[0]} outputs of '{layers[i - 1].Name}' (init reads the Linear layers in state-dict order)");
            }
        }

        var prefixes = layers.Select(l => Prefix(l.Name)).ToList();
        var stray = d.Tensors.Where(t => !(layers.Contains(t) || (t.Name.EndsWith(".bias", StringComparison.Ordinal) && prefixes.Contains(Prefix(t.Name)) && t.Shape.Length == 1))).ToList();
        if (stray.Count > 0)
        {
            throw Cannot(d, $"as an mlp of Linear layers: {string.Join(", ", stray.Take(3).Select(t => $"'{t.Name}' {t.ShapeText}"))} belong to no Linear layer (BatchNorm or other layers are not part of the mlp family)");
        }

        int inputs = layers[0].Shape[1], outputs = layers[layers.Count - 1].Shape[0];
        return new Model("mlp", inputs, outputs, false, false, null,
            (w, act, _) => w.Key("layers").Strings(prefixes).Key("activation").Value(act!),
            (t, _, cls) => $"MLP {inputs} -> {string.Join(" -> ", layers.Select(l => l.Shape[0]))}" + (t > 1 ? $" (a flattened window of {t} steps)" : string.Empty) + (cls ? $", {outputs} class scores" : string.Empty));
    }

    /// <summary>
    /// An ONNX model: its input's dims fix the features and, for a window ([1, T, F], or [1, F, T] when it feeds a
    /// Conv or a pooling), the steps; its output's the outputs. The graph itself is the architecture.
    /// </summary>
    private static Model Onnx(StateDict d, Import.Onnx.OnnxModel onnx)
    {
        var g = onnx.Graph;
        var initialised = new HashSet<string>(g.Initializers.Select(i => i.Name), StringComparer.Ordinal);
        var inputs = g.Inputs.Where(i => !initialised.Contains(i.Name)).ToList();
        if (inputs.Count != 1 || g.Outputs.Count != 1)
        {
            throw Cannot(d, $"the ONNX graph has {inputs.Count} run-time inputs and {g.Outputs.Count} outputs; a model here takes one window and gives one output");
        }

        long Product(IEnumerable<long?> dims) => dims.Aggregate(1L, (a, b) => a * (b ?? 1));
        var inner = inputs[0].Dims.Skip(1).SkipWhile(v => v == 1).ToList();
        if (inputs[0].Dims.Count == 0 || inner.Any(v => v is null or < 1 or > 1 << 20) || inner.Count > 2)
        {
            throw Cannot(d, $"the ONNX input '{Emit.Naming.CommentText(inputs[0].Name)}' has dims [{string.Join(", ", inputs[0].Dims.Select(v => v?.ToString(CultureInfo.InvariantCulture) ?? "?"))}]; init reads [1, F] (one scan), [1, T, F] or [1, F, T] (a window) with fixed sizes");
        }

        int outputs = (int)Math.Min(int.MaxValue, Product(g.Outputs[0].Dims));
        string ops = string.Join(", ", g.Nodes.Select(n => n.OpType).Distinct().Take(8));
        string Describe(int t, int f) => $"ONNX graph (opset {onnx.Opset}; {g.Nodes.Count} nodes: {ops}): " + (t > 1 ? $"a window of {t} steps × {f} features" : $"{f} inputs") + $" -> {outputs} outputs";
        if (inner.Count < 2)
        {
            int n = inner.Count == 0 ? 1 : (int)inner[0]!.Value;
            return new Model("onnx", n, outputs, false, false, null, (_, _, _) => { }, (t, _, _) => Describe(t, n / Math.Max(1, t)));
        }

        bool feedsConv = g.FeedsConvolution(inputs[0].Name);
        int steps = (int)(feedsConv ? inner[1]!.Value : inner[0]!.Value), features = (int)(feedsConv ? inner[0]!.Value : inner[1]!.Value);
        return new Model("onnx", features, outputs, false, true, null, (_, _, _) => { }, (_, _, _) => Describe(steps, features)) { KnownWindow = steps };
    }

    private static Model Cnn1d(StateDict d)
    {
        var convs = d.Tensors.Where(t => IsWeight(t) && t.Shape.Length == 3).ToList();
        var heads = d.Tensors.Where(t => IsWeight(t) && t.Shape.Length == 2).ToList();
        if (heads.Count != 1)
        {
            throw Cannot(d, $"it looks like cnn1d (Conv1d weights {string.Join(", ", convs.Select(t => "'" + t.Name + "'"))}) but a cnn1d has one Linear head, and it has {heads.Count} 2-D weights");
        }

        for (int i = 0; i < convs.Count; i++)
        {
            string p = Prefix(convs[i].Name);
            Need(d, "cnn1d", p + ".bias", 1);
            if (i > 0 && convs[i].Shape[1] != convs[i - 1].Shape[0])
            {
                throw Cannot(d, $"as a cnn1d: '{convs[i].Name}' {convs[i].ShapeText} does not take the {convs[i - 1].Shape[0]} channels of '{convs[i - 1].Name}' (grouped or depthwise convolutions are not part of the cnn1d family)");
            }
        }

        var head = heads[0];
        var layers = convs.Select(t => Prefix(t.Name)).ToList();
        int inputs = convs[0].Shape[1], outputs = head.Shape[0];
        return new Model("cnn1d", inputs, outputs, false, true, null,
            (w, act, pool) => w.Key("conv_layers").Strings(layers).Key("pool").Value(pool).Key("activation").Value(act!).Key("head").Value(Prefix(head.Name)),
            (t, pool, cls) => $"1-D CNN: window {t} of {inputs} features -> " + string.Join(" -> ", convs.Select(cv => $"conv {cv.Shape[0]} k{cv.Shape[2]}" + (pool > 1 ? $" -> pool {pool}" : string.Empty))) + $" -> {Prefix(head.Name)} -> {outputs} {(cls ? "class scores" : "outputs")}")
        {
            Convs = convs,
            Head = head,
        };
    }

    /// <summary>The cnn1d max-pool size: the one for which the convolutions leave the head's inputs (TL1207 if several do).</summary>
    private static int? CnnPool(Model model, int window, int? given, SourceLocation loc, DiagnosticBag diagnostics)
    {
        int flat = model.Head!.Shape[1];
        var fits = new List<int>();
        for (int p = 1; p <= Math.Max(1, window); p++)
        {
            if (given is int g && g != p)
            {
                continue;
            }

            int t = window, ch = model.Inputs;
            foreach (var cv in model.Convs!)
            {
                t = t >= cv.Shape[2] ? t - cv.Shape[2] + 1 : 0;
                t = p > 1 ? t / p : t;
                ch = cv.Shape[0];
            }

            if (t > 0 && t * ch == flat)
            {
                fits.Add(p);
            }
        }

        if (fits.Count == 1)
        {
            return fits[0];
        }

        if (fits.Count == 0)
        {
            string option = given is null ? "--window" : "--pool";
            diagnostics.Report(DiagnosticDescriptors.ManifestInvalidValue, new SourceLocation(option), option, given is int g2 ? g2 : window, $"a window{(given is null ? " (with some max-pool size)" : " and max-pool size")} for which {string.Join(" and ", model.Convs!.Select(cv => Prefix(cv.Name)))} leave the {flat} inputs of head '{Prefix(model.Head.Name)}' (rows × {model.Convs![model.Convs.Count - 1].Shape[0]} channels); with window {window}{(given is int g3 ? $" and max-pool size {g3}" : string.Empty)} they do not");
            return null;
        }

        diagnostics.Report(DiagnosticDescriptors.InitNeedsOption, loc, $"the max-pool size (with window {window}, sizes {string.Join(" and ", fits)} both leave the head's {flat} inputs)", "--pool P");
        return null;
    }

    private static Model Mamba(StateDict d)
    {
        var enc = Need(d, "mamba", "encoder.weight", 2);
        int h = enc.Shape[0], f = enc.Shape[1];
        int layers = 0;
        while (d.TryGet($"layers.{layers}.mixer.A_log", out _))
        {
            layers++;
        }

        if (layers == 0)
        {
            throw Cannot(d, "it looks like mamba ('encoder.weight' and 'layers.*.mixer.*') but has no 'layers.0.mixer.A_log'");
        }

        var aLog = Need(d, "mamba", "layers.0.mixer.A_log", 2);
        var conv = Need(d, "mamba", "layers.0.mixer.conv1d.weight", 3);
        int di = aLog.Shape[0], n = aLog.Shape[1], k = conv.Shape[2];
        if (di % h != 0)
        {
            throw Cannot(d, $"'layers.0.mixer.A_log' has {di} inner channels, not a multiple of d_model {h} ('encoder.weight' {enc.ShapeText})");
        }

        var head = Need(d, "mamba", "hidden2loc.weight", 2);
        int c = head.Shape[0];
        bool crf = d.TryGet("crf.transitions", out _);
        var a = new MambaArchitecture(h, layers, n, k, di / h, crf);
        if (d.TryGet("layers.0.mixer.x_proj.weight", out var xp) && xp.Shape.Length == 2 && xp.Shape[0] != MambaFamily.DtRank(h) + (2 * n))
        {
            throw Cannot(d, $"'layers.0.mixer.x_proj.weight' {xp.ShapeText} has dt_rank {xp.Shape[0] - (2 * n)}; the mamba family takes dt_rank = ceil(d_model / 16) = {MambaFamily.DtRank(h)}");
        }

        CheckSchema(d, "mamba", $"d_model {h}, {layers} layer(s), d_state {n}, d_conv {k}, expand {di / h}{(crf ? ", CRF" : string.Empty)}", MambaFamily.Schema(f, c, a, crf), _ => false);
        return new Model("mamba", f, c, crf, true, null,
            (w, _, _) => w.Key("d_model").Value(h).Key("n_layers").Value(layers).Key("d_state").Value(n).Key("d_conv").Value(k).Key("expand").Value(di / h).Key("crf").Value(crf),
            (t, _, cls) => $"Mamba H{h} L{layers}{(crf ? " + CRF" : string.Empty)}: window {t} of {f} features -> {c} {(cls ? "classes" : "outputs")}");
    }

    private static Model Mdcsa(StateDict d)
    {
        var enc = Need(d, "mdcsa", "rssi_encoder.weight", 2);
        int h = enc.Shape[0], f = enc.Shape[1];
        var kernels = new List<int>();
        foreach (var t in d.Tensors)
        {
            if (t.Name.StartsWith("mdsca.dcsa", StringComparison.Ordinal))
            {
                string digits = new(t.Name.Substring("mdsca.dcsa".Length).TakeWhile(char.IsDigit).ToArray());
                if (digits.Length is > 0 and < 6 && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k > 0 && !kernels.Contains(k))
                {
                    kernels.Add(k);
                }
            }
        }

        if (kernels.Count == 0)
        {
            throw Cannot(d, "it looks like mdcsa ('rssi_encoder' or 'mdsca.*') but has no branch 'mdsca.dcsa{k}.*'");
        }

        if (h % 2 != 0)
        {
            throw Cannot(d, $"'rssi_encoder.weight' {enc.ShapeText} gives an odd hidden size {h}; mdcsa's positional table pairs sin and cos");
        }

        var merge = Need(d, "mdcsa", "mdsca.conv1d.weight", 3);
        var head = Need(d, "mdcsa", "hidden2loc.weight", 2);
        int c = head.Shape[0], mk = merge.Shape[2];
        bool crf = d.TryGet("crf.transitions", out _);
        var a = new MdcsaArchitecture(h, kernels, mk, MdcsaMergeStride, 0, crf);
        string what = $"hidden {h}, kernels [{string.Join(", ", kernels)}]{(crf ? ", CRF" : string.Empty)}";
        CheckSchema(d, "mdcsa", what, MdcsaFamily.Schema(f, c, a, crf), MdcsaFamily.IsDead);
        CheckSchema(d, "mdcsa", what, new[] { ("rssi_pe.pe", new[] { 1, MdcsaFamily.PositionalRows, h }) }, _ => false);
        string branches = kernels.Count == 1 ? $"L1 (kernel {kernels[0]})" : $"L{kernels.Count} (kernels {string.Join(", ", kernels)})";
        return new Model("mdcsa", f, c, crf, true, MdcsaFamily.PositionalRows,
            (w, _, _) =>
            {
                w.Key("hidden").Value(h).Key("kernels").Numbers(kernels.Select(k => (double)k));
                w.Key("merge").BeginObject().Key("kernel").Value(mk).Key("stride").Value(MdcsaMergeStride).Key("padding").Value(0).EndObject();
                w.Key("crf").Value(crf);
            },
            (t, _, cls) => $"MDCSA H{h} {branches}{(crf ? " + CRF" : string.Empty)}: window {t} of {f} features -> {c} {(cls ? "classes" : "outputs")}");
    }

    private static string Sanitize(string s)
    {
        var chars = s.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) && c < 128 ? c : '_').ToArray();
        string r = new string(chars).Trim('_');
        return r.Length == 0 || !char.IsLetter(r[0]) ? "model_" + r : r;
    }

    /// <summary><paramref name="path"/> relative to the manifest's folder (with <c>../</c> when it lies outside), '/'-separated.</summary>
    public static string Relative(string fromDir, string path)
    {
        var comparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        char[] seps = { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar };
        string fromFull = Path.GetFullPath(fromDir), toFull = Path.GetFullPath(path);
        if (!string.Equals(Path.GetPathRoot(fromFull), Path.GetPathRoot(toFull), comparison))
        {
            return path.Replace('\\', '/'); // another drive: no relative path exists
        }

        var from = fromFull.Split(seps, StringSplitOptions.RemoveEmptyEntries);
        var to = toFull.Split(seps, StringSplitOptions.RemoveEmptyEntries);

        int common = 0;
        while (common < from.Length && common < to.Length && string.Equals(from[common], to[common], comparison))
        {
            common++;
        }

        return string.Join("/", Enumerable.Repeat("..", from.Length - common).Concat(to.Skip(common)));
    }

    /// <summary>A recognised model: its family, input features F (or an MLP's inputs), outputs C, and how to write it.</summary>
    private sealed record Model(
        string Family,
        int Inputs,
        int Outputs,
        bool Crf,
        bool Sequence,
        int? MaxWindow,
        Action<JsonWriter, string?, int> Architecture,
        Func<int, int, bool, string> Describe)
    {
        public IReadOnlyList<CheckpointTensor>? Convs { get; init; }

        public CheckpointTensor? Head { get; init; }

        /// <summary>The window the checkpoint fixes (an ONNX model's input dims), or null.</summary>
        public int? KnownWindow { get; init; }
    }
}
