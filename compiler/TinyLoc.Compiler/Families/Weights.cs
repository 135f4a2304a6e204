using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Import;

namespace TinyLoc.Compiler.Families;

/// <summary>
/// A family's view of the checkpoint: takes tensors by name and expected shape (a missing tensor or a
/// wrong shape is a diagnostic that throws), remembers which were used, and at the end warns about
/// unused tensors and lists the known-dead ones that were dropped.
/// </summary>
public sealed class Weights
{
    private readonly StateDict _dict;
    private readonly string _family;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public Weights(StateDict dict, string family)
    {
        _dict = dict;
        _family = family;
    }

    public SourceLocation Location => new(_dict.Path);

    /// <summary>The tensor's values; <paramref name="shape"/> must match exactly.</summary>
    public float[] Need(string name, params int[] shape)
    {
        if (!_dict.TryGet(name, out var t))
        {
            string have = string.Join(", ", _dict.Tensors.Take(12).Select(x => x.Name)) + (_dict.Tensors.Count > 12 ? ", …" : string.Empty);
            throw new DiagnosticException(DiagnosticDescriptors.MissingTensor, Location, _family, name, have);
        }

        if (!t.Shape.SequenceEqual(shape))
        {
            throw new DiagnosticException(DiagnosticDescriptors.TensorShapeMismatch, Location, name, t.ShapeText, Shape(shape));
        }

        _used.Add(name);
        return t.Values;
    }

    /// <summary>The tensor if the checkpoint has it (shape checked), else null.</summary>
    public float[]? Maybe(string name, params int[] shape) => _dict.TryGet(name, out _) ? Need(name, shape) : null;

    /// <summary>Checks the shape of a tensor the model will not read, if the checkpoint has it (it stays unused).</summary>
    public void CheckShape(string name, params int[] shape)
    {
        if (_dict.TryGet(name, out var t) && !t.Shape.SequenceEqual(shape))
        {
            throw new DiagnosticException(DiagnosticDescriptors.TensorShapeMismatch, Location, name, t.ShapeText, Shape(shape));
        }
    }

    /// <summary>A tensor whose shape the family learns from the checkpoint (e.g. a Conv1d's channels and kernel).</summary>
    public CheckpointTensor Any(string name, int rank)
    {
        if (!_dict.TryGet(name, out var t))
        {
            Need(name);
        }

        if (t.Shape.Length != rank)
        {
            throw new DiagnosticException(DiagnosticDescriptors.TensorShapeMismatch, Location, name, t.ShapeText, $"a {rank}-d tensor");
        }

        _used.Add(name);
        return t;
    }

    /// <summary>
    /// Ends the import: tensors matching <paramref name="isDead"/> are dropped quietly (returned, for the
    /// report); any other unused tensor gets a warning.
    /// </summary>
    public IReadOnlyList<CheckpointTensor> Finish(DiagnosticBag diagnostics, Func<string, bool> isDead)
    {
        var dead = new List<CheckpointTensor>();
        foreach (var t in _dict.Tensors.Where(t => !_used.Contains(t.Name)))
        {
            if (isDead(t.Name))
            {
                dead.Add(t);
            }
            else
            {
                diagnostics.Report(DiagnosticDescriptors.UnusedTensor, Location, t.Name, _family);
            }
        }

        return dead;
    }

    public static string Shape(int[] shape) => "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}
