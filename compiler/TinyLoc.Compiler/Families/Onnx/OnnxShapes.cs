using System;
using System.Collections.Generic;
using System.Linq;

namespace TinyLoc.Compiler.Families.Onnx;

/// <summary>
/// The dims arithmetic of ONNX's shape operators (Reshape, Flatten, Squeeze, Unsqueeze, Transpose) and of
/// broadcasting, shared by constant folding and by run-time tensors. A call that the operator's rules reject throws
/// <see cref="OnnxShapeException"/> with the reason, which the caller turns into TL2004 naming the node.
/// </summary>
internal static class OnnxShapes
{
    public static int Product(IEnumerable<int> dims) => dims.Aggregate(1, (a, b) => a * b);

    public static string Text(IEnumerable<int> dims) => "[" + string.Join(", ", dims) + "]";

    /// <summary>Row-major strides of <paramref name="dims"/>.</summary>
    public static int[] Strides(int[] dims)
    {
        var s = new int[dims.Length];
        int acc = 1;
        for (int d = dims.Length - 1; d >= 0; d--)
        {
            s[d] = acc;
            acc *= dims[d];
        }

        return s;
    }

    /// <summary><paramref name="axis"/> made non-negative for a tensor of <paramref name="rank"/> dims.</summary>
    public static int Axis(long axis, int rank)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
        {
            throw new OnnxShapeException($"axis {axis} is out of range for {rank} dims");
        }

        return (int)a;
    }

    /// <summary>
    /// A Slice or Shape bound: <paramref name="index"/> counted from the end of a dim of <paramref name="n"/> when
    /// negative, then clamped to [<paramref name="lo"/>, <paramref name="hi"/>].
    /// </summary>
    public static long Clamp(long index, int n, long lo, long hi) => Math.Min(Math.Max(index < 0 ? index + n : index, lo), hi);

    /// <summary>Reshape's target dims: 0 copies the input's dim (unless <paramref name="allowZero"/>), −1 takes what is left.</summary>
    public static int[] Reshape(int[] input, IReadOnlyList<long> shape, bool allowZero)
    {
        var dims = new int[shape.Count];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.Count; i++)
        {
            long d = shape[i];
            if (d == -1)
            {
                if (infer >= 0)
                {
                    throw new OnnxShapeException("the shape has two -1 dims");
                }

                infer = i;
                continue;
            }

            if (d == 0 && !allowZero)
            {
                if (i >= input.Length)
                {
                    throw new OnnxShapeException($"dim {i} copies the input's, which has only {input.Length}");
                }

                d = input[i];
            }

            if (d < 0 || d > int.MaxValue)
            {
                throw new OnnxShapeException($"dim {d} is not a size");
            }

            dims[i] = (int)d;
            known *= d;
        }

        long elements = Product(input);
        if (infer >= 0)
        {
            if (known == 0 || elements % known != 0)
            {
                throw new OnnxShapeException($"{elements} elements do not fill {Text(shape.Select(s => (int)s))}");
            }

            dims[infer] = (int)(elements / known);
        }
        else if (known != elements)
        {
            throw new OnnxShapeException($"{elements} elements do not make {Text(dims)}");
        }

        return dims;
    }

    /// <summary>Flatten's two dims: the product of the dims before <paramref name="axis"/>, and of the rest.</summary>
    public static int[] Flatten(int[] input, long axis)
    {
        int a = axis == input.Length ? input.Length : Axis(axis, input.Length);
        return new[] { Product(input.Take(a)), Product(input.Skip(a)) };
    }

    /// <summary>Squeeze: drop the listed dims (each must be 1), or every dim of 1 when none is listed.</summary>
    public static int[] Squeeze(int[] input, IReadOnlyList<long>? axes)
    {
        if (axes is null || axes.Count == 0)
        {
            return input.Where(d => d != 1).ToArray();
        }

        var drop = new HashSet<int>(axes.Select(a => Axis(a, input.Length)));
        foreach (int a in drop.Where(a => input[a] != 1))
        {
            throw new OnnxShapeException($"dim {a} is {input[a]}, not 1");
        }

        return input.Where((_, i) => !drop.Contains(i)).ToArray();
    }

    /// <summary>Unsqueeze: insert dims of 1 at the listed positions of the output.</summary>
    public static int[] Unsqueeze(int[] input, IReadOnlyList<long> axes)
    {
        int rank = input.Length + axes.Count;
        var ones = new HashSet<int>(axes.Select(a => Axis(a, rank)));
        if (ones.Count != axes.Count)
        {
            throw new OnnxShapeException("an axis is listed twice");
        }

        var dims = new int[rank];
        int next = 0;
        for (int i = 0; i < rank; i++)
        {
            dims[i] = ones.Contains(i) ? 1 : input[next++];
        }

        return dims;
    }

    /// <summary>Transpose's permutation (the reverse when none is given), checked.</summary>
    public static int[] Permutation(int rank, IReadOnlyList<long>? perm)
    {
        if (perm is null || perm.Count == 0)
        {
            return Enumerable.Range(0, rank).Reverse().ToArray();
        }

        var p = perm.Select(a => Axis(a, rank)).ToArray();
        if (p.Length != rank || p.Distinct().Count() != rank)
        {
            throw new OnnxShapeException($"perm {Text(p)} is not a permutation of {rank} dims");
        }

        return p;
    }

    /// <summary>
    /// For each element of the transposed tensor (row-major), the row-major index of the same element in the input:
    /// output dim <c>a</c> is input dim <c>perm[a]</c>.
    /// </summary>
    public static int[] TransposeSource(int[] input, int[] perm)
    {
        var outDims = perm.Select(p => input[p]).ToArray();
        var inStrides = Strides(input);
        int n = Product(input);
        var source = new int[n];
        var index = new int[outDims.Length];
        for (int o = 0; o < n; o++)
        {
            int src = 0;
            for (int a = 0; a < outDims.Length; a++)
            {
                src += index[a] * inStrides[perm[a]];
            }

            source[o] = src;
            for (int a = outDims.Length - 1; a >= 0; a--)
            {
                if (++index[a] < outDims[a])
                {
                    break;
                }

                index[a] = 0;
            }
        }

        return source;
    }

    /// <summary>NumPy broadcasting of two shapes.</summary>
    public static int[] Broadcast(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
            {
                throw new OnnxShapeException($"{Text(a)} and {Text(b)} do not broadcast");
            }

            dims[i] = da == 1 ? db : da;
        }

        return dims;
    }

    /// <summary>The values of a tensor of <paramref name="dims"/> broadcast (NumPy rules) to <paramref name="to"/>, row-major.</summary>
    public static double[] Expand(double[] values, int[] dims, int[] to)
    {
        if (!Broadcast(dims, to).SequenceEqual(to))
        {
            throw new OnnxShapeException($"{Text(dims)} does not broadcast to {Text(to)}");
        }

        int n = Product(to);
        var result = new double[n];
        var strides = Strides(dims);
        int offset = to.Length - dims.Length;
        var index = new int[to.Length];
        for (int o = 0; o < n; o++)
        {
            int src = 0;
            for (int d = 0; d < dims.Length; d++)
            {
                src += dims[d] == 1 ? 0 : index[d + offset] * strides[d];
            }

            result[o] = values[src];
            for (int a = to.Length - 1; a >= 0; a--)
            {
                if (++index[a] < to[a])
                {
                    break;
                }

                index[a] = 0;
            }
        }

        return result;
    }
}

/// <summary>An ONNX shape rule that a node breaks; its message is the reason.</summary>
internal sealed class OnnxShapeException : Exception
{
    public OnnxShapeException(string message)
        : base(message)
    {
    }
}
