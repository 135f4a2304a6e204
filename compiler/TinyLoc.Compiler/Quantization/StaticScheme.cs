using System;
using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Numerics;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Passes;

namespace TinyLoc.Compiler.Quantization;

/// <summary>
/// <c>static</c>: full-integer int8 (quantization.md §1). The input is normalised and quantised in one
/// node; every linear layer becomes <c>qlinear</c> (per-channel symmetric weights, folded int32 bias,
/// Q31 multipliers); ReLU becomes the clamp; every other activation a 256-entry table
/// (tanh and sigmoid on TFLite's fixed output scales); the output is dequantised to float.
/// </summary>
public sealed class StaticScheme : IQuantizationScheme
{
    public string Name => "static";

    public string Summary => "int8 weights (per channel) and activations (per tensor), int32 accumulators, no float at run time but the input and output conversion";

    public Graph? Apply(Graph fused, IReadOnlyDictionary<string, (float Min, float Max)> ranges, DiagnosticBag diagnostics, SourceLocation location)
    {
        try
        {
            return Rewrite(fused, ranges, diagnostics, location);
        }
        catch (DiagnosticException e)
        {
            diagnostics.Add(e.Diagnostic);
            return null;
        }
    }

    private static Graph Rewrite(Graph fused, IReadOnlyDictionary<string, (float Min, float Max)> ranges, DiagnosticBag diagnostics, SourceLocation location)
    {
        var quant = new Dictionary<string, QuantParams>(StringComparer.Ordinal);

        QuantParams Range(string value)
        {
            if (!ranges.TryGetValue(value, out var r))
            {
                throw new DiagnosticException(DiagnosticDescriptors.MissingActivationRange, location, value);
            }

            var q = QuantMath.FromRange(r.Min, r.Max, out bool degenerate);
            if (degenerate)
            {
                diagnostics.Report(DiagnosticDescriptors.DegenerateRange, location, value, r.Min, r.Max);
            }

            return q;
        }

        var dense = new DenseOnly();
        dense.Rewrite(fused);
        IntegerRewrite pass = dense.Yes ? new FullInteger(Range, quant, location) : new Islands(Range, quant, location);
        return ShapeInference.Run(fused[fused.Input], pass.Finish(fused), quant);
    }

    /// <summary>True for a graph of only the input normalisation and linear layers (the MLP family): integer end to end.</summary>
    private sealed class DenseOnly : GraphRewriter
    {
        public bool Yes { get; private set; } = true;

        protected override void VisitNormalize(Node node, Normalize op)
        {
        }

        protected override void VisitLinear(Node node, Linear op)
        {
        }

        protected override void VisitOther(Node node) => Yes = false;
    }

    /// <summary>What both rewrites share: the ranges, the quantisation of each int8 value, and each linear layer's replacement.</summary>
    private abstract class IntegerRewrite : GraphRewriter
    {
        protected IntegerRewrite(Func<string, QuantParams> range, Dictionary<string, QuantParams> quant, SourceLocation location)
        {
            Range = range;
            Quant = quant;
            Location = location;
        }

        protected Func<string, QuantParams> Range { get; }

        protected Dictionary<string, QuantParams> Quant { get; }

        protected SourceLocation Location { get; }

        /// <summary>The rewritten nodes of <paramref name="fused"/>.</summary>
        public virtual IReadOnlyList<Node> Finish(Graph fused) => Rewrite(fused);

        /// <summary>
        /// A quantise node of <paramref name="x"/> into the new int8 value <paramref name="q"/> on the range measured
        /// for <paramref name="rangeOf"/> (normalising first when <paramref name="map"/> is given).
        /// </summary>
        protected void QuantizeInto(string name, string x, string q, string rangeOf, NormalizeParams? map, string source)
        {
            var qp = Range(rangeOf);
            Quant[q] = qp;
            Keep(new Node(name, new Quantize(map, 1.0f / qp.Scale, qp.ZeroPoint), new[] { x }, q, source));
        }

        /// <summary>
        /// The layer as <c>qlinear</c> from int8 <paramref name="xq"/>, writing <paramref name="linOut"/> (its range's
        /// name) as <paramref name="qOut"/>, then its activation's table when it is not ReLU or none; returns the
        /// int8 value that holds the result.
        /// </summary>
        protected string Layer(Node n, Linear p, string xq, string linOut, string qOut, string actName, string actOut)
        {
            var qout = Range(linOut);
            Quant[qOut] = qout;
            Keep(n with { Op = QuantizeLinear(n, p, Quant[xq], qout, Location), Inputs = new[] { xq }, Output = qOut });
            if (!LutAct(p))
            {
                return qOut;
            }

            var qact = p.Act.FixedOutputQuant() ?? Range(actName);
            Quant[actOut] = qact;
            Keep(new Node(n.Name + "_" + p.Act.Name(), new Lut(p.Act.Name(), Table(p.Act, qout, qact)), new[] { qOut }, actOut, n.Source));
            return actOut;
        }

        /// <summary>True when the layer's activation becomes a table (anything but ReLU, which is the clamp, and none).</summary>
        protected static bool LutAct(Linear p) => p.Act is not (Activation.None or Activation.Relu);
    }

    /// <summary>
    /// The MLP family: the normalisation (when there is one) and the input quantisation are one node, every
    /// linear layer's int8 output feeds the next, and the last is dequantised to the float output.
    /// </summary>
    private sealed class FullInteger : IntegerRewrite
    {
        private string? _current;

        public FullInteger(Func<string, QuantParams> range, Dictionary<string, QuantParams> quant, SourceLocation location)
            : base(range, quant, location)
        {
        }

        public override IReadOnlyList<Node> Finish(Graph fused)
        {
            Rewrite(fused);
            QuantizeInput();
            Keep(new Node("n_out_dequantize", Dequantize.Instance, new[] { _current! }, "output", "output"));
            return Written;
        }

        protected override void VisitNormalize(Node node, Normalize op)
        {
            if (Index > 0)
            {
                VisitOther(node);
                return;
            }

            QuantizeInto(node.Name.Replace("normalize", "quantize"), Source.Input, node.Output, node.Output, op.Map, node.Source);
            _current = node.Output;
        }

        protected override void VisitLinear(Node node, Linear op)
        {
            QuantizeInput();
            string linOut = LutAct(op) ? node.Source : node.Output;
            _current = Layer(node, op, _current!, linOut, linOut, node.Output, node.Output);
        }

        protected override void VisitOther(Node node) =>
            throw new DiagnosticException(DiagnosticDescriptors.UnsupportedOp, Location, $"op '{node.Op.Name}' ({node.Name})", "by the static scheme");

        /// <summary>Quantises the raw input first when no normalisation did.</summary>
        private void QuantizeInput()
        {
            if (_current is null)
            {
                _current = Source.Input + ".q";
                QuantizeInto("n0_quantize", Source.Input, _current, Source.Input, null, Source.Input);
            }
        }
    }

    /// <summary>
    /// Graphs with ops other than Linear (the sequence families): as in the paper, only the linear layers are
    /// quantised. Each becomes <c>qlinear</c> with its activation as the clamp (ReLU) or a 256-entry table
    /// (any other unary function); its input is quantised where it comes from a float op (the normalisation
    /// is fused into that quantise node when only linear layers read it), and its int8 output feeds the next
    /// linear layer directly or is dequantised for the float ops that read it (norms, convolutions,
    /// attention, the scan, the CRF), which stay float32: their ranges vary per window and their
    /// arithmetic (sums of exponentials, square roots, the scan's recurrence) loses too much in int8.
    /// </summary>
    private sealed class Islands : IntegerRewrite
    {
        private readonly Dictionary<string, string> _int8Of = new(StringComparer.Ordinal);

        public Islands(Func<string, QuantParams> range, Dictionary<string, QuantParams> quant, SourceLocation location)
            : base(range, quant, location)
        {
        }

        protected override void VisitNormalize(Node node, Normalize op)
        {
            if (!OnlyLayersRead(node.Output))
            {
                Keep(node);
                return;
            }

            string qv = node.Output + ".q";
            QuantizeInto(node.Name.Replace("normalize", "quantize"), node.Inputs[0], qv, node.Output, op.Map, node.Source);
            _int8Of[node.Output] = qv;
        }

        protected override void VisitLinear(Node node, Linear op)
        {
            string x = node.Inputs[0];
            if (!_int8Of.TryGetValue(x, out string? xq))
            {
                xq = x + ".q";
                QuantizeInto(node.Name + "_quantize", x, xq, x, null, x);
                _int8Of[x] = xq;
            }

            string linOut = LutAct(op) ? node.Source : node.Output;
            string current = Layer(node, op, xq, linOut, linOut + ".q", node.Output, node.Output + ".q");
            _int8Of[node.Output] = current;
            if (!OnlyLayersRead(node.Output))
            {
                Keep(new Node(node.Name + "_dequantize", Dequantize.Instance, new[] { current }, node.Output, node.Source));
            }
        }

        /// <summary>True when <paramref name="value"/> is read only by dense layers (not the graph's output).</summary>
        private bool OnlyLayersRead(string value) =>
            value != Source.Output && Source.Nodes.Where(c => c.Inputs.Contains(value)).All(c => c.Op is DenseOp);
    }

    private static QLinear QuantizeLinear(Node n, Linear p, QuantParams qin, QuantParams qout, SourceLocation location)
    {
        var w = new sbyte[p.Weight.Length];
        var bias = new int[p.Out];
        var mult = new int[p.Out];
        var shift = new int[p.Out];
        var scales = new float[p.Out];
        for (int o = 0; o < p.Out; o++)
        {
            float sw = QuantMath.WeightScale(p.Weight, o, p.In);
            scales[o] = sw;
            long sumW = 0, sumAbs = 0;
            for (int k = 0; k < p.In; k++)
            {
                sbyte q = QuantMath.QuantizeWeight(p.Weight[(o * p.In) + k], sw);
                w[(o * p.In) + k] = q;
                sumW += q;
                sumAbs += Math.Abs(q);
            }

            long b = QuantMath.QuantizeBias(p.Bias[o], qin.Scale, sw) - ((long)qin.ZeroPoint * sumW);
            long reach = Math.Abs(b) + (sumAbs * 128);
            if (reach > int.MaxValue)
            {
                throw new DiagnosticException(DiagnosticDescriptors.AccumulatorOverflow, location, n.Name, o, reach);
            }

            bias[o] = (int)b;
            double m = (double)qin.Scale * sw / qout.Scale;
            if (!QuantMath.QuantizeMultiplier(m, out mult[o], out shift[o]))
            {
                throw new DiagnosticException(DiagnosticDescriptors.MultiplierOutOfRange, location, n.Name, m, o);
            }
        }

        int lo = QuantMath.QMin, hi = QuantMath.QMax;
        if (p.Act == Activation.Relu)
        {
            lo = Math.Max(lo, qout.ZeroPoint);
        }

        var act = p.Act == Activation.Relu ? Activation.Relu : Activation.None;
        return new QLinear(p.Out, p.In, w, bias, mult, shift, qout.ZeroPoint, lo, hi, act, scales);
    }

    /// <summary>A layer's <c>qlinear</c> constants with only the weights filled in: enough for its cost, which needs no ranges.</summary>
    public Op? LayerAlone(Linear layer) => WeightsOnly(layer);

    public static QLinear WeightsOnly(Linear p)
    {
        var w = new sbyte[p.Weight.Length];
        for (int o = 0; o < p.Out; o++)
        {
            float sw = QuantMath.WeightScale(p.Weight, o, p.In);
            for (int k = 0; k < p.In; k++)
            {
                w[(o * p.In) + k] = QuantMath.QuantizeWeight(p.Weight[(o * p.In) + k], sw);
            }
        }

        return new QLinear(p.Out, p.In, w, new int[p.Out], new int[p.Out], new int[p.Out], 0, QuantMath.QMin, QuantMath.QMax, Activation.None, new float[p.Out]);
    }

    /// <summary>The int8 table of a unary function: dequantise each code, apply the float function, requantise.</summary>
    public static sbyte[] Table(Activation act, QuantParams qin, QuantParams qout)
    {
        var t = new sbyte[256];
        for (int i = 0; i < 256; i++)
        {
            float x = (float)(i - 128 - qin.ZeroPoint) * qin.Scale;
            float y = act.Apply(x);
            t[i] = (sbyte)QuantMath.Clamp(QuantMath.RoundAway(y / (double)qout.Scale) + qout.ZeroPoint, QuantMath.QMin, QuantMath.QMax);
        }

        return t;
    }
}
