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
/// Mamba (selective state space) + CRF, models.md: <c>e = encoder(x)</c>; L blocks
/// <c>e ← e + Mixer(RMSNorm(e))</c>; <c>emissions = hidden2loc(e)</c> (no bias); CRF. Mixer: in_proj → x | z;
/// causal depthwise conv + SiLU; x_proj → dt | B | C; Δ = softplus(dt_proj(dt)); selective scan with
/// A = −exp(A_log) folded at compile time; y ⊙ SiLU(z); out_proj; residual add.
/// </summary>
public sealed class MambaFamily : ModelFamily<MambaArchitecture>
{
    /// <summary>dt_rank = ceil(H / 16).</summary>
    public static int DtRank(int h) => (h + 15) / 16;

    /// <summary>Every tensor of the model with its shape (the one place the layout is written down).</summary>
    public static IEnumerable<(string Name, int[] Shape)> Schema(int f, int c, MambaArchitecture a, bool crf)
    {
        int h = a.DModel, di = a.Expand * h, n = a.DState, k = a.DConv, r = DtRank(h);
        yield return ("encoder.weight", new[] { h, f });
        yield return ("encoder.bias", new[] { h });
        for (int i = 0; i < a.NLayers; i++)
        {
            string p = $"layers.{i}.";
            yield return (p + "norm.weight", new[] { h });
            yield return (p + "mixer.in_proj.weight", new[] { 2 * di, h });
            yield return (p + "mixer.conv1d.weight", new[] { di, 1, k });
            yield return (p + "mixer.conv1d.bias", new[] { di });
            yield return (p + "mixer.x_proj.weight", new[] { r + (2 * n), di });
            yield return (p + "mixer.dt_proj.weight", new[] { di, r });
            yield return (p + "mixer.dt_proj.bias", new[] { di });
            yield return (p + "mixer.A_log", new[] { di, n });
            yield return (p + "mixer.D", new[] { di });
            yield return (p + "mixer.out_proj.weight", new[] { h, di });
        }

        yield return ("hidden2loc.weight", new[] { c, h });
        if (crf)
        {
            foreach (var t in CrfSchema(c))
            {
                yield return t;
            }
        }
    }

    public static IEnumerable<(string Name, int[] Shape)> CrfSchema(int c)
    {
        yield return ("crf.start_transitions", new[] { c });
        yield return ("crf.end_transitions", new[] { c });
        yield return ("crf.transitions", new[] { c, c });
    }

    protected override Graph? Build(ModelManifest m, MambaArchitecture a, StateDict dict, DiagnosticBag diagnostics)
    {
        int f = m.Input.Features.Count, c = m.Output.Count, h = a.DModel, di = a.Expand * h, n = a.DState, k = a.DConv, r = DtRank(h);
        var w = new Weights(dict, Name);
        foreach (var (name, shape) in Schema(f, c, a, a.Crf))
        {
            w.Need(name, shape);
        }

        var b = new SequenceBuilder(w);
        string e = b.Linear(b.Input(m), "encoder", h, f, bias: true);
        for (int i = 0; i < a.NLayers; i++)
        {
            string p = $"layers.{i}.";
            string mx = p + "mixer.";
            string u = b.Add(new RmsNorm(new NormParams(h, 1e-5f, w.Need(p + "norm.weight", h), null)), p + "norm", p + "norm", e);
            string xz = b.Linear(u, mx + "in_proj", 2 * di, h, bias: false);
            string x = b.Add(new Slice(0, di), mx + "x", mx + "in_proj", xz);
            string z = b.Add(new Slice(di, di), mx + "z", mx + "in_proj", xz);
            var conv = new Conv1d(di, di, k, 1, k - 1, 0, di, w.Need(mx + "conv1d.weight", di, 1, k), w.Need(mx + "conv1d.bias", di), Activation.Silu);
            string xa = b.Add(conv, mx + "conv1d", mx + "conv1d", x);
            string dbc = b.Linear(xa, mx + "x_proj", r + (2 * n), di, bias: false);
            string dt = b.Add(new Slice(0, r), mx + "dt", mx + "x_proj", dbc);
            string delta = b.Act(b.Linear(dt, mx + "dt_proj", di, r, bias: true), Activation.Softplus, mx + "dt_proj");
            float[] aNeg = w.Need(mx + "A_log", di, n).Select(v => -(float)Math.Exp(v)).ToArray();
            var scan = new SelectiveScan(di, n, r, r + n, aNeg, w.Need(mx + "D", di));
            string y = b.Add(scan, mx + "scan", mx.TrimEnd('.'), xa, delta, dbc);
            string gate = b.Act(z, Activation.Silu, mx + "in_proj");
            string gated = b.Add(Mul.Instance, mx + "gated", mx + "out_proj", y, gate);
            string o = b.Linear(gated, mx + "out_proj", h, di, bias: false);
            e = b.Add(Add.Instance, p.TrimEnd('.'), p.TrimEnd('.'), e, o);
        }

        string emissions = b.Linear(e, "hidden2loc", c, h, bias: false, output: "emissions");
        if (a.Crf)
        {
            b.Crf(emissions, c, m.Output.DecodesPath);
        }

        Dropped = w.Finish(diagnostics, _ => false);
        return b.Finish(m);
    }
}
