using System.Linq;

namespace TinyLoc.Compiler.Families.Onnx;

/// <summary>
/// A run-time tensor while an ONNX graph is lowered: the IR value that holds it, its ONNX dims, and where each of its
/// elements lives in that value. ONNX orders a 1-D CNN's tensors channel-first (<c>[1, C, L]</c>); the IR keeps a
/// window time-major (<c>[L, C]</c>), so a tensor's elements may sit in another order than ONNX's. <see cref="Map"/>
/// gives, for each element in ONNX's row-major order, its index in the value (null: the same order). Reshape,
/// Flatten, Squeeze, Unsqueeze and Transpose change only the dims and the map, never the data; a layer that reads
/// the tensor takes its weights in the value's order instead (a Gemm after a Flatten permutes its columns).
/// </summary>
internal sealed record OnnxTensor(string Value, int[] Dims, int[]? Map)
{
    /// <summary>
    /// Zero steps a Pad put before and after a <c>[1, C, L]</c> window (Dims stay the unpadded ones): no data moves,
    /// the Conv or AveragePool that reads the tensor pads instead. Every other reader refuses a padded tensor.
    /// </summary>
    public (int Before, int After) Pad { get; init; }

    public int Elements => Dims.Aggregate(1, (a, b) => a * b);

    public string DimsText => "[" + string.Join(", ", Dims) + "]";

    /// <summary>The value index of the element at ONNX row-major index <paramref name="i"/>.</summary>
    public int At(int i) => Map is null ? i : Map[i];

    /// <summary>True when the elements lie in the value in ONNX's row-major order.</summary>
    public bool RowMajor => Map is null || Map.Select((p, i) => p == i).All(b => b);

    /// <summary>
    /// True when a <c>[1, C, L]</c> tensor lies time-major (element (c, l) at <c>l·C + c</c>), as the IR's conv and
    /// pooling ops read and write it.
    /// </summary>
    public bool TimeMajor
    {
        get
        {
            if (Dims.Length != 3 || Dims[0] != 1)
            {
                return false;
            }

            int c = Dims[1], l = Dims[2];
            for (int ci = 0; ci < c; ci++)
            {
                for (int li = 0; li < l; li++)
                {
                    if (At((ci * l) + li) != (li * c) + ci)
                    {
                        return false;
                    }
                }
            }

            return true;
        }
    }

    /// <summary>The map of a <c>[1, C, L]</c> tensor held time-major (null when C or L is 1: the orders agree).</summary>
    public static int[]? TimeMajorMap(int c, int l)
    {
        if (c == 1 || l == 1)
        {
            return null;
        }

        var map = new int[c * l];
        for (int ci = 0; ci < c; ci++)
        {
            for (int li = 0; li < l; li++)
            {
                map[(ci * l) + li] = (li * c) + ci;
            }
        }

        return map;
    }
}
