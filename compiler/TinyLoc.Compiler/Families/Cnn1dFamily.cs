using System;
using System.Collections.Generic;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Import;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Ops;

namespace TinyLoc.Compiler.Families;

/// <summary>
/// 1-D CNN, models.md: <c>Conv1d(k, stride 1) → act → MaxPool1d(p)</c> per layer, flatten, <c>Linear</c>.
/// Channels and kernels come from the Conv1d weights. The window stays time-major ([T, C]) throughout;
/// PyTorch flattens channel-major ([C, T]), so the head's weight columns are permuted at compile time
/// instead of transposing at run time.
/// </summary>
public sealed class Cnn1dFamily : ModelFamily<Cnn1dArchitecture>
{
    protected override Graph? Build(ModelManifest m, Cnn1dArchitecture a, StateDict dict, DiagnosticBag diagnostics)
    {
        var act = Activations.Parse(a.Activation);
        var w = new Weights(dict, Name);
        var b = new SequenceBuilder(w);
        string x = b.Input(m);
        int t = m.Input.Window, ch = m.Input.Features.Count;
        foreach (string prefix in a.Layers)
        {
            var wt = w.Any(prefix + ".weight", 3);
            int outCh = wt.Shape[0], k = wt.Shape[2];
            if (wt.Shape[1] != ch)
            {
                throw new DiagnosticException(DiagnosticDescriptors.TensorShapeMismatch, w.Location, wt.Name, wt.ShapeText, $"[out, {ch}, kernel] ({ch} input channels: the previous layer's outputs or the features)");
            }

            t = SequenceBuilder.Rows(t, k, 1, 0);
            if (t < 1)
            {
                throw new DiagnosticException(DiagnosticDescriptors.ManifestInvalidValue, new SourceLocation(m.ManifestPath, 0, 0, "input.window"), "input.window", m.Input.Window, $"a window long enough for '{prefix}' (kernel {k}) and the pooling before it");
            }

            var conv = new Conv1d(ch, outCh, k, 1, 0, 0, 1, wt.Values, w.Need(prefix + ".bias", outCh), act);
            x = b.Add(conv, prefix, prefix, x);
            if (a.Pool > 1)
            {
                t = SequenceBuilder.Rows(t, a.Pool, a.Pool, 0);
                x = b.Add(new MaxPool1d(a.Pool, a.Pool), prefix + ".pool", prefix, x);
            }

            ch = outCh;
        }

        int c = m.Output.Count, flat = t * ch;
        float[] head = w.Need(a.Head + ".weight", c, flat);
        var permuted = new float[head.Length];
        for (int o = 0; o < c; o++)
        {
            for (int ti = 0; ti < t; ti++)
            {
                for (int ci = 0; ci < ch; ci++)
                {
                    permuted[(o * flat) + (ti * ch) + ci] = head[(o * flat) + (ci * t) + ti];
                }
            }
        }

        var lp = new Linear(c, flat, permuted, w.Maybe(a.Head + ".bias", c) ?? new float[c], Activation.None);
        b.Add(lp, a.Head, a.Head, x);
        Dropped = w.Finish(diagnostics, _ => false);
        return b.Finish(m);
    }
}
