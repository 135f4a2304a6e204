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
        var nodes = new List<Node>();
        var rename = new Dictionary<string, string>(StringComparer.Ordinal) { [fused.Input] = fused.Input };

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

        if (!fused.Nodes.All(n => n.Op is Linear || n.Op is Normalize))
        {
            return Islands(fused, Range, quant, location);
        }

        int start = 0;
        string current;
        if (fused.Nodes.Count > 0 && fused.Nodes[0].Op is Normalize)
        {
            var norm = fused.Nodes[0];
            var q = Range(norm.Output);
            quant[norm.Output] = q;
            nodes.Add(new Node(norm.Name.Replace("normalize", "quantize"), Quantize.Instance, new[] { fused.Input }, norm.Output, new QuantizeParams(norm.P<NormalizeParams>(), 1.0f / q.Scale, q.ZeroPoint), norm.Source));
            current = norm.Output;
            start = 1;
        }
        else
        {
            var q = Range(fused.Input);
            current = fused.Input + ".q";
            quant[current] = q;
            nodes.Add(new Node("n0_quantize", Quantize.Instance, new[] { fused.Input }, current, new QuantizeParams(null, 1.0f / q.Scale, q.ZeroPoint), fused.Input));
        }

        for (int i = start; i < fused.Nodes.Count; i++)
        {
            var n = fused.Nodes[i];
            if (n.Op is not Linear)
            {
                throw new DiagnosticException(DiagnosticDescriptors.UnsupportedOp, location, $"op '{n.Op.Name}' ({n.Name})", "by the static scheme");
            }

            var p = n.P<LinearParams>();
            var qin = quant[current];
            bool lutAct = p.Act is not (Activation.None or Activation.Relu);
            string linOut = lutAct ? n.Source : n.Output;
            var qout = Range(linOut);
            quant[linOut] = qout;
            nodes.Add(n with { Op = QLinear.Instance, Inputs = new[] { current }, Output = linOut, Params = QuantizeLinear(n, p, qin, qout, location) });
            current = linOut;
            if (lutAct)
            {
                var qact = p.Act switch
                {
                    Activation.Tanh => new QuantParams(1.0f / 128, 0),
                    Activation.Sigmoid => new QuantParams(1.0f / 256, -128),
                    _ => Range(n.Output),
                };
                quant[n.Output] = qact;
                nodes.Add(new Node(n.Name + "_" + p.Act.Name(), Lut.Instance, new[] { current }, n.Output, new LutParams(p.Act.Name(), Table(p.Act, qout, qact)), n.Source));
                current = n.Output;
            }
        }

        nodes.Add(new Node("n_out_dequantize", Dequantize.Instance, new[] { current }, "output", 0, "output"));
        return ShapeInference.Run(fused[fused.Input], nodes, quant);
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
    private static Graph Islands(Graph fused, Func<string, QuantParams> range, Dictionary<string, QuantParams> quant, SourceLocation location)
    {
        var nodes = new List<Node>();
        var int8Of = new Dictionary<string, string>(StringComparer.Ordinal);
        bool OnlyLinearReads(string value) =>
            value != fused.Output && fused.Nodes.Where(c => c.Inputs.Contains(value)).All(c => c.Op is Linear);

        foreach (var n in fused.Nodes)
        {
            if (n.Op is Normalize && OnlyLinearReads(n.Output))
            {
                var qn = range(n.Output);
                string qv = n.Output + ".q";
                quant[qv] = qn;
                nodes.Add(new Node(n.Name.Replace("normalize", "quantize"), Quantize.Instance, n.Inputs, qv, new QuantizeParams(n.P<NormalizeParams>(), 1.0f / qn.Scale, qn.ZeroPoint), n.Source));
                int8Of[n.Output] = qv;
                continue;
            }

            if (n.Op is not Linear)
            {
                nodes.Add(n);
                continue;
            }

            var p = n.P<LinearParams>();
            string x = n.Inputs[0];
            if (!int8Of.TryGetValue(x, out string? xq))
            {
                var qx = range(x);
                xq = x + ".q";
                quant[xq] = qx;
                nodes.Add(new Node(n.Name + "_quantize", Quantize.Instance, new[] { x }, xq, new QuantizeParams(null, 1.0f / qx.Scale, qx.ZeroPoint), x));
                int8Of[x] = xq;
            }

            bool lutAct = p.Act is not (Activation.None or Activation.Relu);
            string linOut = lutAct ? n.Source : n.Output;
            var qout = range(linOut);
            string current = linOut + ".q";
            quant[current] = qout;
            nodes.Add(n with { Op = QLinear.Instance, Inputs = new[] { xq }, Output = current, Params = QuantizeLinear(n, p, quant[xq], qout, location) });
            if (lutAct)
            {
                var qact = p.Act switch
                {
                    Activation.Tanh => new QuantParams(1.0f / 128, 0),
                    Activation.Sigmoid => new QuantParams(1.0f / 256, -128),
                    _ => range(n.Output),
                };
                string actOut = n.Output + ".q";
                quant[actOut] = qact;
                nodes.Add(new Node(n.Name + "_" + p.Act.Name(), Lut.Instance, new[] { current }, actOut, new LutParams(p.Act.Name(), Table(p.Act, qout, qact)), n.Source));
                current = actOut;
            }

            int8Of[n.Output] = current;
            if (!OnlyLinearReads(n.Output))
            {
                nodes.Add(new Node(n.Name + "_dequantize", Dequantize.Instance, new[] { current }, n.Output, 0, n.Source));
            }
        }

        return ShapeInference.Run(fused[fused.Input], nodes, quant);
    }

    private static QLinearParams QuantizeLinear(Node n, LinearParams p, QuantParams qin, QuantParams qout, SourceLocation location)
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

        string act = p.Act == Activation.Relu ? "relu" : "none";
        return new QLinearParams(p.Out, p.In, w, bias, mult, shift, qout.ZeroPoint, lo, hi, act, scales);
    }

    /// <summary>A layer's <c>qlinear</c> constants with only the weights filled in: enough for its cost, which needs no ranges.</summary>
    public static QLinearParams WeightsOnly(LinearParams p)
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

        return new QLinearParams(p.Out, p.In, w, new int[p.Out], new int[p.Out], new int[p.Out], 0, QuantMath.QMin, QuantMath.QMax, "none", new float[p.Out]);
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
