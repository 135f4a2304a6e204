using System;
using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Import;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Passes;

namespace TinyLoc.Compiler.Families;

/// <summary>
/// <c>Linear → act → … → Linear</c> (models.md, MLP). Value names: <c>input</c>, <c>input.norm</c>, each
/// Linear's output by its state-dict prefix (<c>fc1</c>, <c>0</c>), each activation's output as
/// <c>fc1.relu</c>. Calibration ranges in manifests use these names.
/// </summary>
public sealed class MlpFamily : ModelFamily<MlpArchitecture>
{
    protected override Graph? Build(ModelManifest manifest, MlpArchitecture architecture, StateDict weights, DiagnosticBag diagnostics)
    {
        var loc = new SourceLocation(weights.Path);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var nodes = new List<Node>();
        var act = Activations.Parse(architecture.Activation);
        string x = "input";
        if (manifest.Input.Normalisation == "minmax")
        {
            var np = NormalizeParams.Create(manifest.Input.RssiMin, manifest.Input.RssiMax, manifest.Input.MissingValue);
            nodes.Add(new Node("n0_normalize", new Normalize(np), new[] { x }, "input.norm", "input"));
            x = "input.norm";
        }

        int inFeatures = manifest.Input.Count;
        var layers = architecture.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            string prefix = layers[i];
            bool last = i == layers.Count - 1;
            var w = Need(weights, prefix + ".weight", diagnostics, loc);
            if (w is null)
            {
                return null;
            }

            used.Add(w.Name);
            int outFeatures = last ? manifest.Output.Count : (w.Shape.Length == 2 ? w.Shape[0] : -1);
            if (w.Shape.Length != 2 || w.Shape[0] != outFeatures || w.Shape[1] != inFeatures)
            {
                string want = $"[{(outFeatures > 0 ? outFeatures.ToString(System.Globalization.CultureInfo.InvariantCulture) : "out")}, {inFeatures}]";
                string why = i == 0 ? " (input features × window)" : last ? " (output count from the manifest)" : " (previous layer's outputs)";
                diagnostics.Report(DiagnosticDescriptors.TensorShapeMismatch, loc, w.Name, w.ShapeText, want + why);
                return null;
            }

            float[] bias = new float[outFeatures];
            if (weights.TryGet(prefix + ".bias", out var b))
            {
                used.Add(b.Name);
                if (b.Shape.Length != 1 || b.Shape[0] != outFeatures)
                {
                    diagnostics.Report(DiagnosticDescriptors.TensorShapeMismatch, loc, b.Name, b.ShapeText, $"[{outFeatures}]");
                    return null;
                }

                bias = b.Values;
            }

            string name = $"n{nodes.Count}_{Identifier(prefix)}";
            nodes.Add(new Node(name, new Linear(outFeatures, inFeatures, w.Values, bias, Activation.None), new[] { x }, prefix, prefix));
            x = prefix;
            if (!last && act != Activation.None)
            {
                string actOut = $"{prefix}.{act.Name()}";
                nodes.Add(new Node($"n{nodes.Count}_{Identifier(prefix)}_{act.Name()}", new ActivationOp(act), new[] { x }, actOut, prefix));
                x = actOut;
            }

            inFeatures = outFeatures;
        }

        foreach (var t in weights.Tensors.Where(t => !used.Contains(t.Name)))
        {
            diagnostics.Report(DiagnosticDescriptors.UnusedTensor, loc, t.Name, Name);
        }

        var input = new Value("input", DType.Float32, new[] { manifest.Input.Count }, ValueKind.Input);
        return ShapeInference.Run(input, nodes);
    }

    /// <summary>
    /// A C/C# identifier fragment from a state-dict prefix: <c>fc1</c>, <c>layers_0</c>, <c>l0</c>, <c>l</c> for an
    /// empty one. Always <c>[A-Za-z_][A-Za-z0-9_]*</c> (every other character becomes <c>_</c>); node names put
    /// <c>nK_</c> before it, so two prefixes that map to the same fragment still give distinct symbols.
    /// </summary>
    public static string Identifier(string prefix) => Emit.Naming.Identifier(prefix);

    private static CheckpointTensor? Need(StateDict weights, string name, DiagnosticBag diagnostics, SourceLocation loc)
    {
        if (weights.TryGet(name, out var t))
        {
            return t;
        }

        string have = string.Join(", ", weights.Tensors.Take(12).Select(x => x.Name)) + (weights.Tensors.Count > 12 ? ", …" : string.Empty);
        diagnostics.Report(DiagnosticDescriptors.MissingTensor, loc, "mlp", name, have);
        return null;
    }
}
