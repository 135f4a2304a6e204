using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Import;
using TinyLoc.Compiler.Import.Onnx;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Ops;

namespace TinyLoc.Compiler.Families.Onnx;

/// <summary>
/// Lowers an ONNX graph to the IR, node by node in file order, through one table of operator handlers
/// (<see cref="Handlers"/>). Constants fold at compile time (<see cref="OnnxFolding"/>); shape operators change only a
/// tensor's dims and element map (<see cref="OnnxTensor"/>); layers become IR ops with their weights laid out for the
/// value's element order; a BatchNormalization, or an Add, Sub, Mul or Div by a per-channel constant, folds into the
/// Gemm or Conv before it when that layer's output goes nowhere else. Anything else is one TL2004 naming the node,
/// its operator and the reason.
/// </summary>
internal sealed class OnnxLowering
{
    private readonly ModelManifest _manifest;
    private readonly OnnxModel _model;
    private readonly SourceLocation _location;
    private readonly Dictionary<string, OnnxConstant> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OnnxTensor> _tensors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _uses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _valueUses = new(StringComparer.Ordinal);
    private readonly List<Node> _nodes = new();
    private readonly List<Value> _values = new();
    /// <summary>IR value names taken: the input's, and <c>output</c>, which the static scheme's last dequantize writes.</summary>
    private readonly HashSet<string> _names = new(StringComparer.Ordinal) { "input", "input.norm", "output" };
    private OnnxNode _node = null!;

    public OnnxLowering(ModelManifest manifest, OnnxModel model, SourceLocation location)
    {
        _manifest = manifest;
        _model = model;
        _location = location;
    }

    private delegate void Handler(OnnxLowering l);

    /// <summary>The operators lowered on run-time tensors, one handler each (constants fold instead: <see cref="OnnxFolding"/>).</summary>
    private static readonly Dictionary<string, Handler> Handlers = new(StringComparer.Ordinal)
    {
        ["Identity"] = l => l.Alias(l.Tensor(0), l.Tensor(0).Dims),
        ["Dropout"] = l => l.Dropout(),
        ["Relu"] = l => l.Activate(Activation.Relu),
        ["Tanh"] = l => l.Activate(Activation.Tanh),
        ["Sigmoid"] = l => l.Activate(Activation.Sigmoid),
        ["Elu"] = l => l.Elu(),
        ["LeakyRelu"] = l => l.Unary(new LeakyRelu(l._node.Attribute("alpha")?.F ?? 0.01f)),
        ["Softplus"] = l => l.Activate(Activation.Softplus),
        ["Softmax"] = l => l.Softmax(),
        ["Gemm"] = l => l.Gemm(),
        ["MatMul"] = l => l.MatMul(),
        ["Add"] = l => l.Arithmetic(),
        ["Sub"] = l => l.Arithmetic(),
        ["Mul"] = l => l.Arithmetic(),
        ["Div"] = l => l.Arithmetic(),
        ["BatchNormalization"] = l => l.BatchNormalization(),
        ["Conv"] = l => l.Conv(),
        ["MaxPool"] = l => l.Pool(average: false),
        ["AveragePool"] = l => l.Pool(average: true),
        ["GlobalAveragePool"] = l => l.GlobalAveragePool(),
        ["LayerNormalization"] = l => l.LayerNormalization(),
        ["Flatten"] = l => l.Alias(l.Tensor(0), OnnxShapes.Flatten(l.Tensor(0).Dims, l.Int("axis", 1))),
        ["Reshape"] = l => l.Alias(l.Tensor(0), OnnxShapes.Reshape(l.Tensor(0).Dims, l.Ints(1, "shape"), l.Int("allowzero", 0) != 0)),
        ["Squeeze"] = l => l.Alias(l.Tensor(0), OnnxShapes.Squeeze(l.Tensor(0).Dims, l.OptionalInts(1, "axes"))),
        ["Unsqueeze"] = l => l.Alias(l.Tensor(0), OnnxShapes.Unsqueeze(l.Tensor(0).Dims, l.Ints(1, "axes"))),
        ["Transpose"] = l => l.Transpose(),
        ["Shape"] = l => l.ShapeOf(),
        ["Constant"] = l => l.ConstantNode(),
        ["Pad"] = l => l.Pad(),
        ["Slice"] = l => l.Slice(),
    };

    /// <summary>Every operator the importer takes (lowered or folded), for messages and the README.</summary>
    public static IEnumerable<string> Operators => Handlers.Keys.Concat(OnnxFolding.Operators).Distinct().OrderBy(o => o, StringComparer.Ordinal);

    public Graph Lower()
    {
        var g = _model.Graph;
        if (_model.Opset < 7 || _model.Opset > 22)
        {
            throw new DiagnosticException(DiagnosticDescriptors.OnnxNotSupported, _location, $"opset {_model.Opset} (opsets 7 to 22 are read; torch.onnx.export writes 13 to 18)");
        }

        foreach (var c in g.Initializers)
        {
            _constants[c.Name] = c;
        }

        foreach (var name in g.Nodes.SelectMany(n => n.Inputs).Concat(g.Outputs.Select(o => o.Name)))
        {
            _uses[name] = _uses.TryGetValue(name, out int u) ? u + 1 : 1;
        }

        var inputs = g.Inputs.Where(i => !_constants.ContainsKey(i.Name)).ToList();
        if (inputs.Count != 1 || g.Outputs.Count != 1)
        {
            throw Unsupported("graph", "Graph", $"the graph has {inputs.Count} run-time inputs and {g.Outputs.Count} outputs; a model here takes one window and gives one output");
        }

        Input(inputs[0]);
        foreach (var node in g.Nodes)
        {
            _node = node;
            Lower(node);
        }

        return Finish(g.Outputs[0]);
    }

    /// <summary>The current node's (first) output name.</summary>
    private string Output => _node.Outputs.Count > 0 && _node.Outputs[0].Length > 0 ? _node.Outputs[0] : throw Fail("the node has no output");

    private void Lower(OnnxNode node)
    {
        if (node.Domain.Length > 0 && node.Domain != "ai.onnx")
        {
            throw Fail($"operators of domain '{Emit.Naming.CommentText(node.Domain)}' are not read (only the default ONNX domain)");
        }

        var present = node.Inputs.Where(i => i.Length > 0).ToList();
        foreach (var i in present.Where(i => !_constants.ContainsKey(i) && !_tensors.ContainsKey(i)))
        {
            throw Fail($"reads '{Emit.Naming.CommentText(i)}', which no earlier node produces (the nodes must be in topological order)");
        }

        try
        {
            if (node.OpType != "Constant" && present.All(_constants.ContainsKey) && OnnxFolding.Operators.Contains(node.OpType))
            {
                var inputs = node.Inputs.Select(i => i.Length > 0 ? _constants[i] : null).ToList();
                Constant(OnnxFolding.Fold(node, inputs, _model.Opset, AttributeInts));
                return;
            }

            if (!Handlers.TryGetValue(node.OpType, out var handler))
            {
                throw Fail($"the operator is not supported (README 'ONNX' lists the {Operators.Count()} operators the importer takes)");
            }

            handler(this);
        }
        catch (OnnxShapeException e)
        {
            throw Fail(e.Message);
        }
        catch (DiagnosticException e) when (e.Diagnostic.Descriptor == DiagnosticDescriptors.ShapeMismatch)
        {
            throw Fail(e.Diagnostic.Message);
        }
        catch (Exception e) when (e is not DiagnosticException)
        {
            // The last resort, as the readers' CheckpointFile.Guard: a node a handler did not foresee names itself.
            throw Fail($"the importer cannot read it ({e.GetType().Name}: {e.Message})");
        }
    }

    // ---- inputs, outputs, names ----

    private void Input(OnnxValueInfo info)
    {
        if (info.ElementType != 1)
        {
            throw Unsupported(info.Name, "input", $"the input is of ONNX element type {info.ElementType}, not float32 (1)");
        }

        var dims = new int[info.Dims.Count];
        for (int d = 0; d < dims.Length; d++)
        {
            long? v = info.Dims[d];
            if (v is null && d == 0)
            {
                dims[d] = 1; // a symbolic batch dimension ('batch_size' of dynamic_axes): one window at a time
            }
            else if (v is null || v < 1 || v > int.MaxValue)
            {
                throw Unsupported(info.Name, "input", $"dim {d} of the input is {(v is null ? "'" + Emit.Naming.CommentText(info.Symbols[d]) + "' (dynamic)" : v.Value.ToString(CultureInfo.InvariantCulture))}; export with a fixed shape");
            }
            else
            {
                dims[d] = (int)v.Value;
            }
        }

        int t = _manifest.Input.Window, f = _manifest.Input.Features.Count;
        int elements = OnnxShapes.Product(dims);
        if (elements != t * f)
        {
            throw Unsupported(info.Name, "input", $"the input is {OnnxShapes.Text(dims)} ({elements} values) but the manifest's input is a window of {t} × {f} features ({t * f})");
        }

        // A window fed channel-first ([1, F, T], as nn.Conv1d takes it) is held time-major like every window here.
        var inner = dims.SkipWhile(d => d == 1).ToArray();
        bool channelFirst = t > 1 && f > 1 && inner.Length == 2 && inner[0] == f && inner[1] == t && (t != f || _model.Graph.FeedsConvolution(info.Name));
        int[] shape = t > 1 ? new[] { t, f } : new[] { f };
        _values.Add(new Value("input", DType.Float32, shape, ValueKind.Input));
        string value = "input";
        if (_manifest.Input.Normalisation == "minmax")
        {
            var np = NormalizeParams.Create(_manifest.Input.RssiMin, _manifest.Input.RssiMax, _manifest.Input.MissingValue);
            value = Add(new Normalize(np), "input.norm", "input", "input");
        }

        Bind(info.Name, new OnnxTensor(value, dims, channelFirst ? OnnxTensor.TimeMajorMap(f, t) : null));
    }

    private Graph Finish(OnnxValueInfo info)
    {
        if (!_tensors.TryGetValue(info.Name, out var y))
        {
            throw Unsupported(info.Name, "output", "the output is a constant or is never produced");
        }

        if (!y.RowMajor)
        {
            throw Unsupported(info.Name, "output", $"the output {y.DimsText} is laid out channel-first; end the model with a Flatten and a Linear, or transpose it to [1, L, C]");
        }

        if (_nodes.Count == 0 || _nodes[_nodes.Count - 1].Output != y.Value)
        {
            throw Unsupported(info.Name, "output", "the output is not the last value the graph computes");
        }

        if (y.Elements != _manifest.Output.Count)
        {
            throw Unsupported(info.Name, "output", $"the output is {y.DimsText} ({y.Elements} values) but the manifest's output has {_manifest.Output.Count}");
        }

        return Passes.ShapeInference.Run(_values[0], _nodes);
    }

    /// <summary>Adds an IR node, types its output, and returns the output value's name.</summary>
    private string Add(Op op, string output, string source, params string[] inputs)
    {
        var node = new Node($"n{_nodes.Count}_{Emit.Naming.Identifier(output)}", op, inputs, output, source);
        var partial = new Graph(_values, _nodes, "input", "input");
        var (type, shape) = op.InferOutput(node, partial);
        _nodes.Add(node);
        _values.Add(new Value(output, type, shape, ValueKind.Intermediate));
        return output;
    }

    private Value ValueOf(string name) => _values.First(v => v.Name == name);

    /// <summary>
    /// A fresh IR value name from an ONNX name: readable, short, used once, and without dots (the schemes name their
    /// int8 copies <c>NAME.q</c>).
    /// </summary>
    private string Fresh(string onnxName)
    {
        string basis = new string(onnxName.Select(c => c < 128 && (char.IsLetterOrDigit(c) || c is '_' or '/' or ':' or '-') ? c : '_').Take(48).ToArray());
        basis = basis.Length == 0 ? "v" : basis;
        string name = basis;
        for (int k = 2; !_names.Add(name); k++)
        {
            name = basis + "~" + k.ToString(CultureInfo.InvariantCulture);
        }

        return name;
    }

    private void Bind(string onnxName, OnnxTensor t)
    {
        _tensors[onnxName] = t;
        _valueUses[t.Value] = (_valueUses.TryGetValue(t.Value, out int u) ? u : 0) + (_uses.TryGetValue(onnxName, out int n) ? n : 0);
    }

    private void Constant(OnnxConstant c) => _constants[c.Name] = c;

    private string Source => _node.Name.Length > 0 ? _node.Name : _node.OpType;

    // ---- reading the node ----

    private OnnxTensor Tensor(int i)
    {
        string name = i < _node.Inputs.Count ? _node.Inputs[i] : string.Empty;
        var t = _tensors.TryGetValue(name, out var found) ? found
            : throw Fail(name.Length == 0 ? $"input {i} is missing" : $"input {i} ('{Emit.Naming.CommentText(name)}') must be computed at run time here; a constant is not supported in that place");
        if (t.Pad != (0, 0) && _node.OpType is not ("Conv" or "AveragePool"))
        {
            throw Fail("it reads a padded window; a Pad is supported right before a Conv or an AveragePool only");
        }

        return t;
    }

    private OnnxConstant? OptionalConstant(int i)
    {
        string name = i < _node.Inputs.Count ? _node.Inputs[i] : string.Empty;
        if (name.Length == 0)
        {
            return null;
        }

        return _constants.TryGetValue(name, out var c) ? c
            : throw Fail($"input {i} ('{Emit.Naming.CommentText(name)}') must be a constant (an initialiser); weights computed at run time are not supported");
    }

    private OnnxConstant Const(int i) => OptionalConstant(i) ?? throw Fail($"input {i} is missing");

    private long Int(string name, long fallback) => _node.Attribute(name)?.I ?? fallback;

    private IReadOnlyList<long>? AttributeInts(string name) => _node.Attribute(name)?.Ints;

    /// <summary>An int list from input <paramref name="input"/> (opset 13 on) or from the attribute of the older opsets.</summary>
    private IReadOnlyList<long> Ints(int input, string attribute) => OptionalInts(input, attribute) ?? throw Fail($"no '{attribute}'");

    private IReadOnlyList<long>? OptionalInts(int input, string attribute) =>
        OptionalConstant(input) is { } c ? c.Values.Select(v => (long)v).ToArray() : _node.Attribute(attribute)?.Ints;

    private int[] AttributeList(string name, int rank, int fallback)
    {
        var a = _node.Attribute(name)?.Ints;
        if (a is null || a.Count == 0)
        {
            return Enumerable.Repeat(fallback, rank).ToArray();
        }

        return a.Select(v => v is >= 0 and <= 1 << 20 ? (int)v : throw Fail($"'{name}' holds {v}")).ToArray();
    }

    // ---- handlers ----

    private void Alias(OnnxTensor x, int[] dims)
    {
        if (OnnxShapes.Product(dims) != x.Elements)
        {
            throw Fail($"{x.DimsText} cannot become {OnnxShapes.Text(dims)}");
        }

        Bind(Output, x with { Dims = dims });
        _valueUses[x.Value]--; // the alias consumed one use and passed its own on
    }

    private void Dropout()
    {
        if (_node.Outputs.Count > 1 && _node.Outputs[1].Length > 0 && _uses.ContainsKey(_node.Outputs[1]))
        {
            throw Fail("its mask output is used; at inference Dropout is the identity");
        }

        if (OptionalConstant(2) is { } training && training.Values.Any(v => v != 0))
        {
            throw Fail("training_mode is true; export the model in eval mode (model.eval())");
        }

        Alias(Tensor(0), Tensor(0).Dims);
    }

    private void Activate(Activation act) => Unary(new ActivationOp(act));

    private void Unary(Op op)
    {
        var x = Tensor(0);
        Bind(Output, x with { Value = Add(op, Fresh(Output), Source, x.Value) });
    }

    private void Elu()
    {
        if (_node.Attribute("alpha") is { } a && a.F != 1.0f)
        {
            throw Fail($"alpha is {a.F.ToString("R", CultureInfo.InvariantCulture)}; only ELU with alpha 1 is supported");
        }

        Activate(Activation.Elu);
    }

    private void Softmax()
    {
        var x = Tensor(0);
        long axis = Int("axis", _model.Opset >= 13 ? -1 : 1);
        int a = OnnxShapes.Axis(axis, x.Dims.Length);
        bool last = x.Dims.Skip(a + 1).All(d => d == 1) && (_model.Opset >= 13 || x.Dims.Take(a).All(d => d == 1));
        if (!last || !RowsAreLast(x, x.Dims[a]))
        {
            throw Fail($"softmax over axis {axis} of {x.DimsText}: only the last axis of a tensor held row by row is supported");
        }

        Bind(Output, new OnnxTensor(Add(Ops.Softmax.Instance, Fresh(Output), Source, x.Value), x.Dims, null));
    }

    /// <summary>True when <paramref name="x"/> lies in its value row-major with rows of <paramref name="width"/> as the value's last dim (or flat).</summary>
    private bool RowsAreLast(OnnxTensor x, int width)
    {
        var shape = ValueOf(x.Value).Shape;
        return x.RowMajor && (shape[shape.Length - 1] == width || x.Elements == width);
    }

    private void Gemm()
    {
        var a = Tensor(0);
        var b = Const(1);
        var c = OptionalConstant(2);
        float alpha = _node.Attribute("alpha")?.F ?? 1.0f, beta = _node.Attribute("beta")?.F ?? 1.0f;
        if (Int("transA", 0) != 0 || a.Dims.Length != 2 || a.Dims[0] != 1 || b.Dims.Length != 2)
        {
            throw Fail($"Gemm of {a.DimsText} by {b.DimsText}{(Int("transA", 0) != 0 ? " with transA" : string.Empty)}: one row of features times a weight matrix is supported");
        }

        bool transB = Int("transB", 0) != 0;
        int k = a.Dims[1], n = transB ? b.Dims[0] : b.Dims[1];
        if ((transB ? b.Dims[1] : b.Dims[0]) != k)
        {
            throw Fail($"the weight {b.DimsText}{(transB ? " (transposed)" : string.Empty)} does not take {k} inputs");
        }

        var w = new float[n * k];
        for (int o = 0; o < n; o++)
        {
            for (int i = 0; i < k; i++)
            {
                double v = transB ? b.Values[(o * k) + i] : b.Values[(i * n) + o];
                w[(o * k) + a.At(i)] = alpha == 1.0f ? (float)v : (float)(alpha * (float)v);
            }
        }

        var bias = new float[n];
        if (c is not null)
        {
            var cv = OnnxShapes.Expand(c.Values, c.Dims, new[] { 1, n });
            for (int o = 0; o < n; o++)
            {
                bias[o] = beta == 1.0f ? (float)cv[o] : (float)(beta * (float)cv[o]);
            }
        }

        Bind(Output, new OnnxTensor(Add(new Linear(n, k, w, bias, Activation.None), Fresh(Output), Source, a.Value), new[] { 1, n }, null));
    }

    private void MatMul()
    {
        var a = Tensor(0);
        if (OptionalConstant(1) is not { } b || _tensors.ContainsKey(_node.Inputs[1]))
        {
            throw Fail("MatMul of two run-time tensors (attention) is not imported; only a tensor times a constant weight matrix");
        }

        int k = a.Dims[a.Dims.Length - 1];
        if (b.Dims.Length != 2 || b.Dims[0] != k)
        {
            throw Fail($"{a.DimsText} times {b.DimsText}: the weight must be a matrix [{k}, N]");
        }

        int n = b.Dims[1], rows = a.Elements / k;
        if (rows > 1 && !RowsAreLast(a, k))
        {
            throw Fail($"{a.DimsText} is held channel-first; a MatMul over its rows needs them time-major (transpose to [1, L, C] before it)");
        }

        var w = new float[n * k];
        for (int o = 0; o < n; o++)
        {
            for (int i = 0; i < k; i++)
            {
                w[(o * k) + (rows == 1 ? a.At(i) : i)] = (float)b.Values[(i * n) + o];
            }
        }

        var dims = a.Dims.Take(a.Dims.Length - 1).Concat(new[] { n }).ToArray();
        Bind(Output, new OnnxTensor(Add(new Linear(n, k, w, new float[n], Activation.None), Fresh(Output), Source, a.Value), dims, null));
    }

    private void Arithmetic()
    {
        string op = _node.OpType;
        bool firstRuntime = _tensors.ContainsKey(_node.Inputs[0]);
        bool secondRuntime = _node.Inputs.Count > 1 && _tensors.ContainsKey(_node.Inputs[1]);
        if (firstRuntime && secondRuntime)
        {
            var a = Tensor(0);
            var b = Tensor(1);
            if (op is "Sub" or "Div" || !a.Dims.SequenceEqual(b.Dims) || !(a.Map ?? Array.Empty<int>()).SequenceEqual(b.Map ?? Array.Empty<int>()))
            {
                throw Fail($"{op} of two run-time tensors ({a.DimsText}, {b.DimsText}): only Add and Mul of tensors of the same shape and layout are supported");
            }

            Op binary = op == "Add" ? Ops.Add.Instance : Ops.Mul.Instance;
            Bind(Output, a with { Value = Add(binary, Fresh(Output), Source, a.Value, b.Value) });
            return;
        }

        var x = Tensor(firstRuntime ? 0 : 1);
        var c = Const(firstRuntime ? 1 : 0);
        var at = Spread(x, c);
        switch (op)
        {
            case "Add":
                Bind(Output, Plus(x, at));
                break;
            case "Sub" when firstRuntime:
                Bind(Output, Plus(x, at.Select(v => -v).ToArray()));
                break;
            case "Sub":
                Bind(Output, x with { Value = Add(new AddConst(at, -1.0f), Fresh(Output), Source, x.Value) });
                break;
            case "Mul":
                Bind(Output, Times(x, at));
                break;
            case "Div" when firstRuntime:
                Bind(Output, Times(x, at.Select(v => 1.0f / v).ToArray()));
                break;
            default:
                throw Fail("a constant divided by a run-time tensor is not supported");
        }
    }

    /// <summary>The constant broadcast over <paramref name="x"/>, in the order of x's value.</summary>
    private float[] Spread(OnnxTensor x, OnnxConstant c)
    {
        var dims = OnnxShapes.Broadcast(x.Dims, c.Dims);
        if (!dims.SequenceEqual(x.Dims))
        {
            throw Fail($"the constant {c.DimsText} would grow the run-time tensor {x.DimsText} to {OnnxShapes.Text(dims)}");
        }

        var full = OnnxShapes.Expand(c.Values, c.Dims, x.Dims);
        var at = new float[full.Length];
        for (int i = 0; i < full.Length; i++)
        {
            at[x.At(i)] = (float)full[i];
        }

        return at;
    }

    /// <summary>x + c (c in x's value order): into the bias of the layer before, else an addconst.</summary>
    private OnnxTensor Plus(OnnxTensor x, float[] c)
    {
        if (Producer(x, c) is not { } p)
        {
            return x with { Value = Add(new AddConst(c), Fresh(Output), Source, x.Value) };
        }

        Replace(p.Index, p.Layer.Absorb(Enumerable.Repeat(1.0f, p.Layer.Channels).ToArray(), c));
        _valueUses[x.Value]--; // folded: the sum is the layer's own output
        return x;
    }

    /// <summary>x · s (s in x's value order): into the layer before, else a scale (one factor) or a diagonal Linear (one per channel).</summary>
    private OnnxTensor Times(OnnxTensor x, float[] s)
    {
        if (Producer(x, s) is { } p)
        {
            Replace(p.Index, p.Layer.Absorb(s, new float[p.Layer.Channels]));
            _valueUses[x.Value]--;
            return x;
        }

        if (s.All(v => v == s[0]))
        {
            return x with { Value = Add(new AddConst(new float[s.Length], s[0]), Fresh(Output), Source, x.Value) };
        }

        var shape = ValueOf(x.Value).Shape;
        int width = shape[shape.Length - 1];
        if (!PerChannel(s, width))
        {
            throw Fail($"a constant that differs along the rows of {x.DimsText} multiplies it; only one factor per channel is supported");
        }

        var diagonal = new float[width * width];
        for (int ch = 0; ch < width; ch++)
        {
            diagonal[(ch * width) + ch] = s[ch];
        }

        return x with { Value = Add(new Linear(width, width, diagonal, new float[width], Activation.None), Fresh(Output), Source, x.Value) };
    }

    private static bool PerChannel(float[] c, int width) => c.Select((v, i) => v == c[i % width]).All(b => b);

    /// <summary>
    /// The Linear or Conv1d that computed x, when x goes nowhere else and <paramref name="c"/> has one value per output
    /// channel of it (the same in every row): a constant can then fold into its weights and bias.
    /// </summary>
    private (int Index, IAbsorbsAffine Layer)? Producer(OnnxTensor x, float[] c)
    {
        int index = _nodes.FindLastIndex(n => n.Output == x.Value);
        if (index < 0 || !_valueUses.TryGetValue(x.Value, out int uses) || uses != 1 || _nodes[index].Op is not IAbsorbsAffine layer)
        {
            return null;
        }

        return PerChannel(c, layer.Channels) && ValueOf(x.Value).Shape.Last() == layer.Channels ? (index, layer) : null;
    }

    private void Replace(int index, Op op) => _nodes[index] = _nodes[index] with { Op = op };

    private void BatchNormalization()
    {
        var x = Tensor(0);
        if (Int("training_mode", 0) != 0 || _node.Outputs.Skip(1).Any(o => o.Length > 0 && _uses.ContainsKey(o)))
        {
            throw Fail("training mode; export the model in eval mode (model.eval())");
        }

        if (x.Dims.Length < 2)
        {
            throw Fail($"{x.DimsText} has no channel axis");
        }

        var scale = Const(1);
        var bias = Const(2);
        var mean = Const(3);
        var variance = Const(4);
        int channels = x.Dims[1];
        if (new[] { scale, bias, mean, variance }.Any(p => p.Values.Length != channels))
        {
            throw Fail($"scale, bias, mean and var must have {channels} values, one per channel");
        }

        double eps = _node.Attribute("epsilon")?.F ?? 1e-5f;
        var mul = new double[channels];
        var add = new double[channels];
        for (int ch = 0; ch < channels; ch++)
        {
            float s = (float)(scale.Values[ch] / Math.Sqrt(variance.Values[ch] + eps));
            mul[ch] = s;
            add[ch] = (float)(bias.Values[ch] - (mean.Values[ch] * s));
        }

        var dims = new[] { channels }.Concat(Enumerable.Repeat(1, x.Dims.Length - 2)).ToArray();
        var scaled = Times(x, Spread(x, new OnnxConstant("scale", dims, mul, false, ElementType.Float32)));
        _valueUses[scaled.Value] = (_valueUses.TryGetValue(scaled.Value, out int u) ? u : 0) + 1; // the shift reads it next
        Bind(Output, Plus(scaled, Spread(scaled, new OnnxConstant("shift", dims, add, false, ElementType.Float32))));
    }

    private void Conv()
    {
        var x = TimeMajor(Tensor(0));
        var w = Const(1);
        var b = OptionalConstant(2);
        int c = x.Dims[1], l = x.Dims[2], groups = (int)Int("group", 1);
        if (w.Dims.Length != 3 || groups < 1 || c % groups != 0 || w.Dims[1] != c / groups || w.Dims[0] % groups != 0)
        {
            throw Fail($"the weight {w.DimsText} with {groups} group(s) does not fit {c} input channels (1-D convolutions [out, in/groups, kernel] only)");
        }

        int o = w.Dims[0], k = w.Dims[2];
        if (AttributeList("dilations", 1, 1).Any(d => d != 1))
        {
            throw Fail("dilated convolutions are not supported");
        }

        var (stride, padLeft, padRight) = Window(k, l, x.Pad);
        var bias = b is null ? new float[o] : b.Values.Select(v => (float)v).ToArray();
        BindSteps(new Conv1d(c, o, k, stride, padLeft, padRight, groups, w.Values.Select(v => (float)v).ToArray(), bias, Activation.None), x);
    }

    private void Pool(bool average)
    {
        var x = TimeMajor(Tensor(0));
        int c = x.Dims[1], l = x.Dims[2];
        var kernel = AttributeList("kernel_shape", 1, 0);
        if (kernel.Length != 1 || kernel[0] < 1 || Int("ceil_mode", 0) != 0 || AttributeList("dilations", 1, 1).Any(d => d != 1) || _node.Outputs.Count > 1)
        {
            throw Fail("1-D pooling with one kernel size, no dilation, ceil_mode 0 and one output is supported");
        }

        int k = kernel[0];
        var (stride, padLeft, padRight) = Window(k, l, x.Pad);
        if (!average)
        {
            if (padLeft != 0 || padRight != 0)
            {
                throw Fail("MaxPool with padding is not supported");
            }

            BindSteps(new MaxPool1d(k, stride), x);
            return;
        }

        if ((padLeft != x.Pad.Before || padRight != x.Pad.After) && Int("count_include_pad", 0) == 0)
        {
            throw Fail("AveragePool with padding that is not counted (count_include_pad 0) is not supported");
        }

        AverageAsConv(x, k, stride, padLeft, padRight);
    }

    private void GlobalAveragePool()
    {
        var x = TimeMajor(Tensor(0));
        AverageAsConv(x, x.Dims[2], 1, 0, 0);
    }

    /// <summary>An average over k steps is a depthwise convolution with every weight 1/k.</summary>
    private void AverageAsConv(OnnxTensor x, int k, int stride, int padLeft, int padRight)
    {
        int c = x.Dims[1];
        BindSteps(new Conv1d(c, c, k, stride, padLeft, padRight, c, Enumerable.Repeat(1.0f / k, c * k).ToArray(), new float[c], Activation.None), x);
    }

    /// <summary>A convolution's or pooling's output: [1, C, L'] held time-major, L' as the op's shape inference gives it.</summary>
    private void BindSteps(Op op, OnnxTensor x)
    {
        string y = Add(op, Fresh(Output), Source, x.Value);
        var shape = ValueOf(y).Shape; // [L', C]
        Bind(Output, new OnnxTensor(y, new[] { 1, shape[1], shape[0] }, OnnxTensor.TimeMajorMap(shape[1], shape[0])));
    }

    /// <summary>
    /// Stride and padding of a 1-D window of <paramref name="k"/> over <paramref name="l"/> steps (auto_pad too), plus
    /// the zero steps a Pad before it left <paramref name="pending"/>.
    /// </summary>
    private (int Stride, int PadLeft, int PadRight) Window(int k, int l, (int Before, int After) pending)
    {
        var (s, left, right) = OwnWindow(k, l + pending.Before + pending.After);
        return (s, left + pending.Before, right + pending.After);
    }

    private (int Stride, int PadLeft, int PadRight) OwnWindow(int k, int l)
    {
        var strides = AttributeList("strides", 1, 1);
        var pads = AttributeList("pads", 2, 0);
        if (strides.Length != 1 || pads.Length != 2 || strides[0] < 1)
        {
            throw Fail("strides and pads must be those of one spatial axis");
        }

        string auto = _node.Attribute("auto_pad")?.S ?? "NOTSET";
        int s = strides[0];
        if (auto is "SAME_UPPER" or "SAME_LOWER")
        {
            int outSteps = (l + s - 1) / s;
            int total = Math.Max(0, ((outSteps - 1) * s) + k - l);
            return auto == "SAME_UPPER" ? (s, total / 2, total - (total / 2)) : (s, total - (total / 2), total / 2);
        }

        return auto == "VALID" ? (s, 0, 0) : auto == "NOTSET" ? (s, pads[0], pads[1]) : throw Fail($"auto_pad '{Emit.Naming.CommentText(auto)}' is not known");
    }

    /// <summary>A [1, C, L] tensor held time-major, as the IR's conv and pooling ops need.</summary>
    private OnnxTensor TimeMajor(OnnxTensor x)
    {
        var shape = ValueOf(x.Value).Shape;
        if (!x.TimeMajor || shape.Length != 2 || shape[0] != x.Dims[2] || shape[1] != x.Dims[1])
        {
            throw Fail($"{x.DimsText} must be a [1, channels, steps] tensor held time-major (a window, or the output of a Conv or pooling)");
        }

        return x;
    }

    /// <summary>
    /// Contiguous columns of each row: the last axis of a tensor held row by row, or the channels of a time-major
    /// [1, C, L] window (its value's last axis); any other slice of a run-time tensor is refused.
    /// </summary>
    private void Slice()
    {
        var x = Tensor(0);
        var starts = Ints(1, "starts");
        var ends = Ints(2, "ends");
        var axes = OptionalInts(3, "axes") ?? Enumerable.Range(0, starts.Count).Select(i => (long)i).ToArray();
        var steps = OptionalInts(4, "steps") ?? Enumerable.Repeat(1L, starts.Count).ToArray();
        if (ends.Count != starts.Count || axes.Count != starts.Count || steps.Count != starts.Count)
        {
            throw Fail("starts, ends, axes and steps differ in length");
        }

        int rank = x.Dims.Length;
        var sliced = starts.Select((st, i) =>
        {
            int a = OnnxShapes.Axis(axes[i], rank), n = x.Dims[a];
            return (Axis: a, Start: (int)OnnxShapes.Clamp(st, n, 0, n), End: (int)OnnxShapes.Clamp(ends[i], n, 0, n), Step: steps[i]);
        }).Where(c => !(c.Start == 0 && c.End == x.Dims[c.Axis] && c.Step == 1)).ToList();
        if (sliced.Count != 1 || sliced[0].Step != 1)
        {
            throw Fail($"a slice of the run-time tensor {x.DimsText} over {sliced.Count} axes or with a step: one axis, step 1, is supported");
        }

        var (axis, start, end, _) = sliced[0];
        int width = x.Dims[axis];
        if (end <= start)
        {
            throw Fail($"the slice [{start}, {end}) of axis {axis} is empty");
        }

        var dims = (int[])x.Dims.Clone();
        dims[axis] = end - start;
        bool lastOfRows = axis == rank - 1 && RowsAreLast(x, width);
        bool channels = axis == 1 && rank == 3 && x.TimeMajor && ValueOf(x.Value).Shape.Last() == width;
        if (!lastOfRows && !channels)
        {
            throw Fail($"a slice of axis {axis} of {x.DimsText}: only the last axis of a tensor held row by row, or the channels of a [1, C, L] window, are supported");
        }

        string y = Add(new Ops.Slice(start, end - start), Fresh(Output), Source, x.Value);
        Bind(Output, new OnnxTensor(y, dims, channels ? OnnxTensor.TimeMajorMap(dims[1], dims[2]) : null));
    }

    /// <summary>Zero padding of a window's steps, left for the Conv or AveragePool that reads it.</summary>
    private void Pad()
    {
        var x = TimeMajor(Tensor(0));
        string mode = _node.Attribute("mode")?.S ?? "constant";
        var pads = OptionalInts(1, "pads") ?? throw Fail("no pads");
        double value = OptionalConstant(2)?.Values.FirstOrDefault() ?? _node.Attribute("value")?.F ?? 0.0;
        if (mode != "constant" || value != 0.0 || pads.Count != 6 || pads[0] != 0 || pads[1] != 0 || pads[3] != 0 || pads[4] != 0 || pads[2] < 0 || pads[5] < 0 || pads[2] > 1 << 16 || pads[5] > 1 << 16)
        {
            throw Fail("only zero padding of the steps of a [1, C, L] window is supported");
        }

        Bind(Output, x with { Pad = (x.Pad.Before + (int)pads[2], x.Pad.After + (int)pads[5]) });
        _valueUses[x.Value]--;
    }

    private void LayerNormalization()
    {
        var x = Tensor(0);
        int width = x.Dims[x.Dims.Length - 1];
        if (OnnxShapes.Axis(Int("axis", -1), x.Dims.Length) != x.Dims.Length - 1 || !RowsAreLast(x, width) || _node.Outputs.Skip(1).Any(o => o.Length > 0 && _uses.ContainsKey(o)))
        {
            throw Fail("LayerNormalization over the last axis of a tensor held row by row, with one output, is supported");
        }

        var scale = Const(1).Values.Select(v => (float)v).ToArray();
        var bias = OptionalConstant(2)?.Values.Select(v => (float)v).ToArray();
        float eps = _node.Attribute("epsilon")?.F ?? 1e-5f;
        Bind(Output, x with { Value = Add(new LayerNorm(new NormParams(width, eps, scale, bias)), Fresh(Output), Source, x.Value) });
    }

    private void ShapeOf()
    {
        var x = Tensor(0);
        Constant(OnnxFolding.ShapeOf(Output, x.Dims, _node.Attribute("start")?.I, _node.Attribute("end")?.I));
        _valueUses[x.Value]--; // reads the dims, not the data
    }

    private void Transpose()
    {
        var x = Tensor(0);
        var perm = OnnxShapes.Permutation(x.Dims.Length, _node.Attribute("perm")?.Ints);
        var source = OnnxShapes.TransposeSource(x.Dims, perm);
        var y = new OnnxTensor(x.Value, perm.Select(p => x.Dims[p]).ToArray(), source.Select(x.At).ToArray());
        Bind(Output, y.RowMajor ? y with { Map = null } : y);
        _valueUses[x.Value]--;
    }

    private void ConstantNode()
    {
        var a = _node.Attributes.FirstOrDefault() ?? throw Fail("a Constant node with no value");
        OnnxConstant c = a.Name switch
        {
            "value" when a.T is not null => a.T with { Name = Output },
            "value_float" => new OnnxConstant(Output, Array.Empty<int>(), new double[] { a.F }, false, ElementType.Float32),
            "value_floats" => new OnnxConstant(Output, new[] { a.Floats.Count }, a.Floats.Select(v => (double)v).ToArray(), false, ElementType.Float32),
            "value_int" => new OnnxConstant(Output, Array.Empty<int>(), new double[] { a.I }, true, ElementType.Int64),
            "value_ints" => new OnnxConstant(Output, new[] { a.Ints.Count }, a.Ints.Select(v => (double)v).ToArray(), true, ElementType.Int64),
            _ => throw Fail($"a Constant's '{Emit.Naming.CommentText(a.Name)}' value is not read (tensors, floats and ints are)"),
        };
        Constant(c);
    }

    // ---- diagnostics ----

    private DiagnosticException Fail(string why) =>
        Unsupported(_node.Name.Length > 0 ? _node.Name : "#" + _model.Graph.Nodes.ToList().IndexOf(_node).ToString(CultureInfo.InvariantCulture), _node.OpType, why);

    private DiagnosticException Unsupported(string node, string op, string why) =>
        new(DiagnosticDescriptors.OnnxNodeNotSupported, _location, Emit.Naming.CommentText(node), Emit.Naming.CommentText(op), why);
}
