using System;
using System.Collections.Generic;
using System.Linq;

namespace TinyLoc.Compiler.Import;

/// <summary>Element types a checkpoint tensor can have on disk.</summary>
public enum ElementType
{
    Float32,
    Float64,
    Float16,
    BFloat16,
    Int64,
    Int32,
    Int16,
    Int8,
    UInt8,
    Bool,
}

/// <summary>One named tensor from a checkpoint, converted to float32 in row-major order.</summary>
public sealed class CheckpointTensor
{
    public CheckpointTensor(string name, ElementType storedAs, int[] shape, float[] values)
    {
        Name = name;
        StoredAs = storedAs;
        Shape = shape;
        Values = values;
        if (values.Length != ElementCount(shape))
        {
            throw new ArgumentException($"tensor '{name}': {values.Length} values for shape [{string.Join(", ", shape)}]");
        }
    }

    public string Name { get; }

    /// <summary>The element type in the file (values are always converted to float32).</summary>
    public ElementType StoredAs { get; }

    public int[] Shape { get; }

    public float[] Values { get; }

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    public static int ElementCount(int[] shape) => shape.Aggregate(1, (a, b) => a * b);
}

/// <summary>The tensors of a checkpoint in file order (state-dict order), looked up by name.</summary>
public sealed class StateDict
{
    private readonly Dictionary<string, CheckpointTensor> _byName = new(StringComparer.Ordinal);

    public StateDict(string path, IEnumerable<CheckpointTensor> tensors, Onnx.OnnxModel? onnx = null)
    {
        Path = path;
        Onnx = onnx;
        Tensors = tensors.ToList();
        foreach (var t in Tensors)
        {
            _byName[t.Name] = t;
        }
    }

    /// <summary>The file the tensors came from (as given by the caller; used in diagnostics).</summary>
    public string Path { get; }

    public IReadOnlyList<CheckpointTensor> Tensors { get; }

    /// <summary>For an ONNX file, the computation it carries (its float initialisers are <see cref="Tensors"/>); else null.</summary>
    public Onnx.OnnxModel? Onnx { get; }

    public bool TryGet(string name, out CheckpointTensor tensor) => _byName.TryGetValue(name, out tensor!);
}
