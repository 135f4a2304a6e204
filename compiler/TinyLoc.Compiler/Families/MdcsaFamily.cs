using System;
using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Import;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Ops;

namespace TinyLoc.Compiler.Families;

/// <summary>
/// MDCSA (multihead dual convolutional self-attention) + CRF, models.md, with the reference's tensor names
/// (<c>mdsca</c>). Compile-time folds: √H and the positional table into one scaled constant add,
/// 1/√H into the attention products. Tensors the model never reads without accelerometer input (<c>norm2</c>,
/// <c>causal_q2</c>/<c>causal_k2</c>, <c>ffn.context</c>, <c>hidden2bin</c>) are dropped and listed in the report.
/// </summary>
public sealed class MdcsaFamily : ModelFamily<MdcsaArchitecture>
{
    /// <summary>Rows of the positional table <c>rssi_pe.pe [1, 160, H]</c>: the longest window the model takes.</summary>
    public const int PositionalRows = 160;

    /// <summary>True for a tensor the forward pass never reads (dead without accelerometer input, or training-only).</summary>
    public static bool IsDead(string name) =>
        name.Contains(".norm2.") || name.Contains(".causal_q2.") || name.Contains(".causal_k2.") || name.Contains(".ffn.context.") || name.StartsWith("hidden2bin.", StringComparison.Ordinal);

    /// <summary>Every tensor of the model with its shape, dead ones included (the paper counts them); buffers excluded.</summary>
    public static IEnumerable<(string Name, int[] Shape)> Schema(int f, int c, MdcsaArchitecture a, bool crf)
    {
        int h = a.Hidden;
        yield return ("rssi_encoder.weight", new[] { h, f });
        yield return ("rssi_encoder.bias", new[] { h });
        foreach (int k in a.Kernels)
        {
            string p = $"mdsca.dcsa{k}.";
            foreach (string norm in new[] { "norm1", "norm2", "ffn.gate_norm.add_norm.norm" })
            {
                yield return (p + norm + ".weight", new[] { h });
                yield return (p + norm + ".bias", new[] { h });
            }

            foreach (string conv in new[] { "causal_q1", "causal_k1", "causal_q2", "causal_k2" })
            {
                yield return (p + conv + ".weight", new[] { h, h, k });
                yield return (p + conv + ".bias", new[] { h });
            }

            yield return (p + "ffn.fc1.weight", new[] { 4 * h, h });
            yield return (p + "ffn.fc1.bias", new[] { 4 * h });
            yield return (p + "ffn.fc2.weight", new[] { 4 * h, 4 * h });
            yield return (p + "ffn.fc2.bias", new[] { 4 * h });
            yield return (p + "ffn.gate_norm.glu.fc.weight", new[] { 2 * h, 4 * h });
            yield return (p + "ffn.gate_norm.glu.fc.bias", new[] { 2 * h });
            yield return (p + "ffn.context.weight", new[] { 4 * h, h });
        }

        yield return ("mdsca.conv1d.weight", new[] { h, h, a.MergeKernel });
        yield return ("mdsca.conv1d.bias", new[] { h });
        yield return ("mdsca.norm.weight", new[] { h });
        yield return ("mdsca.norm.bias", new[] { h });
        yield return ("hidden2loc.weight", new[] { c, h });
        yield return ("hidden2loc.bias", new[] { c });
        if (crf)
        {
            foreach (var t in MambaFamily.CrfSchema(c))
            {
                yield return t;
            }
        }
    }

    protected override Graph? Build(ModelManifest m, MdcsaArchitecture a, StateDict dict, DiagnosticBag diagnostics)
    {
        int f = m.Input.Features.Count, c = m.Output.Count, h = a.Hidden, t = m.Input.Window;
        var w = new Weights(dict, Name);
        foreach (var (name, shape) in Schema(f, c, a, a.Crf))
        {
            if (IsDead(name))
            {
                w.CheckShape(name, shape);
            }
            else
            {
                w.Need(name, shape);
            }
        }

        var b = new SequenceBuilder(w);
        float sqrtH = (float)Math.Sqrt(h);
        float invSqrtH = (float)(1.0 / Math.Sqrt(h));
        if (t > PositionalRows)
        {
            throw new DiagnosticException(DiagnosticDescriptors.ManifestInvalidValue, new SourceLocation(m.ManifestPath, 0, 0, "input.window"), "input.window", t, $"at most {PositionalRows} steps (the rows of rssi_pe.pe)");
        }

        // √H scales the encoder's output in the positional add, not its weights: folded into the weights it
        // would change their int8 rounding under the dynamic scheme (√H is inexact for most H).
        string enc = b.Linear(b.Input(m), "rssi_encoder", h, f, bias: true);
        float[] pe = w.Need("rssi_pe.pe", 1, PositionalRows, h).Take(t * h).ToArray();
        string e = b.Add(new AddConst(pe, sqrtH), "e", "rssi_pe.pe", enc);

        var branches = new List<string>();
        foreach (int k in a.Kernels)
        {
            string p = $"mdsca.dcsa{k}.";
            string q = b.Act(Conv(b, e, p + "causal_q1", h, h, k, 1, k - 1), Activation.Tanh, p + "causal_q1");
            string kk = b.Act(Conv(b, e, p + "causal_k1", h, h, k, 1, k - 1), Activation.Tanh, p + "causal_k1");
            string s = b.Add(new MatMul(true, invSqrtH), p + "scores", p + "causal_q1", q, kk);
            string pr = b.Add(Softmax.Instance, p + "attn", p + "causal_q1", s);
            string av = b.Add(new MatMul(false, 1.0f), p + "a", p + "causal_q1", pr, e);
            string x1 = LayerNorm(b, b.Add(Add.Instance, p + "res1", p + "norm1", av, e), p + "norm1", h, p + "x1");
            string f1 = b.Act(b.Linear(x1, p + "ffn.fc1", 4 * h, h, bias: true), Activation.Elu, p + "ffn.fc1");
            string f2 = b.Linear(f1, p + "ffn.fc2", 4 * h, 4 * h, bias: true);
            string g = b.Linear(f2, p + "ffn.gate_norm.glu.fc", 2 * h, 4 * h, bias: true);
            string glu = b.Add(Glu.Instance, p + "ffn.glu", p + "ffn.gate_norm.glu.fc", g);
            string res2 = b.Add(Add.Instance, p + "res2", p + "ffn.gate_norm.add_norm", glu, x1);
            branches.Add(LayerNorm(b, res2, p + "ffn.gate_norm.add_norm.norm", h, p.TrimEnd('.')));
        }

        string merged = branches.Count == 1 ? branches[0] : b.Add(Interleave.Instance, "mdsca.merge", "mdsca", branches.ToArray());
        string ms = b.Add(new MatMul(true, invSqrtH), "mdsca.scores", "mdsca", merged, merged);
        string mp = b.Add(Softmax.Instance, "mdsca.attn", "mdsca", ms);
        string sa = b.Add(new MatMul(false, 1.0f), "mdsca.a", "mdsca", mp, merged);
        int rows = SequenceBuilder.Rows(t * branches.Count, a.MergeKernel, a.MergeStride, 2 * a.MergePadding);
        if (rows < 1)
        {
            throw new DiagnosticException(DiagnosticDescriptors.ManifestInvalidValue, new SourceLocation(m.ManifestPath, 0, 0, "input.window"), "input.window", t, $"a window long enough for the merge convolution (kernel {a.MergeKernel}, stride {a.MergeStride}) to yield at least one row");
        }

        string cm = Conv(b, sa, "mdsca.conv1d", h, h, a.MergeKernel, a.MergeStride, a.MergePadding, a.MergePadding);
        string cn = LayerNorm(b, cm, "mdsca.norm", h, "mdsca.norm");
        string emissions = b.Linear(cn, "hidden2loc", c, h, bias: true, output: "emissions");
        if (a.Crf)
        {
            b.Crf(emissions, c, m.Output.DecodesPath);
        }

        Dropped = w.Finish(diagnostics, IsDead);
        return b.Finish(m);
    }

    private static string Conv(SequenceBuilder b, string x, string prefix, int inCh, int outCh, int k, int stride, int padLeft, int padRight = 0)
    {
        var p = new Conv1d(inCh, outCh, k, stride, padLeft, padRight, 1, b.Weights.Need(prefix + ".weight", outCh, inCh, k), b.Weights.Need(prefix + ".bias", outCh), Activation.None);
        return b.Add(p, prefix, prefix, x);
    }

    private static string LayerNorm(SequenceBuilder b, string x, string prefix, int h, string output)
    {
        var p = new NormParams(h, 1e-5f, b.Weights.Need(prefix + ".weight", h), b.Weights.Need(prefix + ".bias", h));
        return b.Add(new LayerNorm(p), output, prefix, x);
    }
}
