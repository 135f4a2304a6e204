using System;
using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Import;
using TinyLoc.Compiler.Import.Onnx;

namespace TinyLoc.Compiler.Families.Onnx;

/// <summary>
/// Constant folding: a node whose inputs are all constants (initialisers, Constant nodes, shapes of run-time tensors,
/// earlier folds) is computed at compile time. Exporters leave such subgraphs behind, above all the
/// <c>Shape → Gather → Unsqueeze → Concat → Reshape</c> chain of <c>x.view(x.size(0), -1)</c>. Float arithmetic is
/// done in double and rounded to float32 once, which gives float32's own correctly rounded result; integer
/// arithmetic is exact.
/// </summary>
internal static class OnnxFolding
{
    /// <summary>The operators folding computes.</summary>
    public static readonly HashSet<string> Operators = new(StringComparer.Ordinal)
    {
        "Identity", "Cast", "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Reshape", "Flatten", "Transpose",
        "Add", "Sub", "Mul", "Div", "Neg", "Sqrt", "Reciprocal", "Slice", "ConstantOfShape", "Range",
    };

    /// <summary>
    /// The node's output, from constant inputs (null for an absent optional input). Throws
    /// <see cref="OnnxShapeException"/> when the node breaks its operator's rules.
    /// </summary>
    public static OnnxConstant Fold(OnnxNode node, IReadOnlyList<OnnxConstant?> inputs, long opset, Func<string, IReadOnlyList<long>?> ints)
    {
        string name = node.Outputs.Count > 0 ? node.Outputs[0] : node.Name;
        OnnxConstant X(int i) => i < inputs.Count && inputs[i] is { } c ? c : throw new OnnxShapeException($"input {i} is missing");
        IReadOnlyList<long> Longs(OnnxConstant c) => c.Values.Select(v => (long)v).ToArray();
        OnnxConstant Make(int[] dims, double[] values, bool integer) => new(name, dims, values, integer, integer ? ElementType.Int64 : ElementType.Float32);
        OnnxConstant Same(OnnxConstant c, int[] dims) => c with { Name = name, Dims = dims };
        var attr = node.Attribute;

        switch (node.OpType)
        {
            case "Identity":
                return Same(X(0), X(0).Dims);
            case "Cast":
            {
                long to = attr("to")?.I ?? 1;
                bool integer = to is not (1 or 10 or 11 or 16);
                var v = X(0).Values.Select(x => integer ? (to == 9 ? (x != 0 ? 1 : 0) : Math.Truncate(x)) : (to == 11 ? x : (double)(float)x)).ToArray();
                return Make(X(0).Dims, v, integer);
            }

            case "Shape":
                return ShapeOf(name, X(0).Dims, attr("start")?.I, attr("end")?.I);
            case "Gather":
                return Gather(name, X(0), X(1), attr("axis")?.I ?? 0);
            case "Unsqueeze":
                return Same(X(0), OnnxShapes.Unsqueeze(X(0).Dims, opset >= 13 ? Longs(X(1)) : ints("axes") ?? Array.Empty<long>()));
            case "Squeeze":
                return Same(X(0), OnnxShapes.Squeeze(X(0).Dims, opset >= 13 ? (inputs.Count > 1 && inputs[1] is { } a ? Longs(a) : null) : ints("axes")));
            case "Reshape":
                return Same(X(0), OnnxShapes.Reshape(X(0).Dims, Longs(X(1)), (attr("allowzero")?.I ?? 0) != 0));
            case "Flatten":
                return Same(X(0), OnnxShapes.Flatten(X(0).Dims, attr("axis")?.I ?? 1));
            case "Transpose":
            {
                var perm = OnnxShapes.Permutation(X(0).Dims.Length, attr("perm")?.Ints);
                var source = OnnxShapes.TransposeSource(X(0).Dims, perm);
                return Same(X(0), perm.Select(p => X(0).Dims[p]).ToArray()) with { Values = source.Select(s => X(0).Values[s]).ToArray() };
            }

            case "Concat":
                return Concat(name, inputs.Where(c => c is not null).Select(c => c!).ToList(), attr("axis")?.I ?? 0);
            case "Add" or "Sub" or "Mul" or "Div":
                return Arithmetic(name, node.OpType, X(0), X(1));
            case "Neg":
                return Same(X(0), X(0).Dims) with { Values = X(0).Values.Select(v => -v).ToArray() };
            case "Sqrt":
                return Same(X(0), X(0).Dims) with { Values = X(0).Values.Select(v => (double)(float)Math.Sqrt(v)).ToArray() };
            case "Reciprocal":
                return Same(X(0), X(0).Dims) with { Values = X(0).Values.Select(v => (double)(float)(1.0 / v)).ToArray() };
            case "Slice":
                return Slice(name, X(0), inputs, opset, ints);
            case "ConstantOfShape":
            {
                var dims = Longs(X(0)).Select(d => d is >= 0 and <= int.MaxValue ? (int)d : throw new OnnxShapeException($"dim {d} is not a size")).ToArray();
                Limit(dims);
                var value = attr("value")?.T;
                double fill = value is { Values.Length: > 0 } ? value.Values[0] : 0.0;
                return Make(dims, Enumerable.Repeat(fill, OnnxShapes.Product(dims)).ToArray(), value?.IsInteger ?? false);
            }

            case "Range":
            {
                double start = X(0).Values.Single(), limit = X(1).Values.Single(), delta = X(2).Values.Single();
                double steps = delta == 0 ? throw new OnnxShapeException("delta is 0") : Math.Max(0, Math.Ceiling((limit - start) / delta));
                Limit(new[] { steps > int.MaxValue ? int.MaxValue : (int)steps });
                return Make(new[] { (int)steps }, Enumerable.Range(0, (int)steps).Select(i => start + (i * delta)).ToArray(), X(0).IsInteger);
            }

            default:
                throw new OnnxShapeException($"{node.OpType} of constants is not folded");
        }
    }

    /// <summary>Shape of a tensor with <paramref name="dims"/>: an int64 vector, sliced by opset 15's start and end.</summary>
    public static OnnxConstant ShapeOf(string name, int[] dims, long? start, long? end)
    {
        int r = dims.Length;
        int s = (int)OnnxShapes.Clamp(start ?? 0, r, 0, r);
        int e = (int)OnnxShapes.Clamp(end ?? r, r, 0, r);
        var v = dims.Skip(s).Take(Math.Max(0, e - s)).Select(d => (double)d).ToArray();
        return new OnnxConstant(name, new[] { v.Length }, v, true, ElementType.Int64);
    }

    private static void Limit(int[] dims)
    {
        long n = dims.Aggregate(1L, (a, b) => a * b);
        if (n > Util.InputLimits.MaxTensorElements)
        {
            throw new OnnxShapeException($"the constant {OnnxShapes.Text(dims)} would have more than {Util.InputLimits.MaxTensorElements:N0} elements");
        }
    }

    private static OnnxConstant Gather(string name, OnnxConstant data, OnnxConstant indices, long axisAttr)
    {
        int axis = OnnxShapes.Axis(axisAttr, data.Dims.Length);
        var dims = data.Dims.Take(axis).Concat(indices.Dims).Concat(data.Dims.Skip(axis + 1)).ToArray();
        Limit(dims);
        int outer = OnnxShapes.Product(data.Dims.Take(axis)), inner = OnnxShapes.Product(data.Dims.Skip(axis + 1)), n = data.Dims[axis];
        var values = new List<double>();
        for (int o = 0; o < outer; o++)
        {
            foreach (double iv in indices.Values)
            {
                long k = (long)iv < 0 ? (long)iv + n : (long)iv;
                if (k < 0 || k >= n)
                {
                    throw new OnnxShapeException($"index {iv} is out of range for a dim of {n}");
                }

                for (int i = 0; i < inner; i++)
                {
                    values.Add(data.Values[(((o * n) + (int)k) * inner) + i]);
                }
            }
        }

        return data with { Name = name, Dims = dims, Values = values.ToArray() };
    }

    private static OnnxConstant Concat(string name, List<OnnxConstant> parts, long axisAttr)
    {
        if (parts.Count == 0)
        {
            throw new OnnxShapeException("nothing to concatenate");
        }

        int rank = parts[0].Dims.Length, axis = OnnxShapes.Axis(axisAttr, rank);
        if (parts.Any(p => p.Dims.Length != rank || p.Dims.Where((d, i) => i != axis && d != parts[0].Dims[i]).Any()))
        {
            throw new OnnxShapeException("the inputs' dims differ off the axis: " + string.Join(", ", parts.Select(p => p.DimsText)));
        }

        var dims = (int[])parts[0].Dims.Clone();
        dims[axis] = parts.Sum(p => p.Dims[axis]);
        Limit(dims);
        int outer = OnnxShapes.Product(dims.Take(axis)), inner = OnnxShapes.Product(dims.Skip(axis + 1));
        var values = new List<double>();
        for (int o = 0; o < outer; o++)
        {
            foreach (var p in parts)
            {
                int chunk = p.Dims[axis] * inner;
                values.AddRange(p.Values.Skip(o * chunk).Take(chunk));
            }
        }

        return parts[0] with { Name = name, Dims = dims, Values = values.ToArray(), IsInteger = parts.All(p => p.IsInteger) };
    }

    private static OnnxConstant Arithmetic(string name, string op, OnnxConstant a, OnnxConstant b)
    {
        var dims = OnnxShapes.Broadcast(a.Dims, b.Dims);
        Limit(dims);
        var x = OnnxShapes.Expand(a.Values, a.Dims, dims);
        var y = OnnxShapes.Expand(b.Values, b.Dims, dims);
        bool integer = a.IsInteger && b.IsInteger;
        var v = new double[x.Length];
        for (int i = 0; i < v.Length; i++)
        {
            double r = op switch
            {
                "Add" => x[i] + y[i],
                "Sub" => x[i] - y[i],
                "Mul" => x[i] * y[i],
                _ when integer && y[i] == 0 => throw new OnnxShapeException("integer division by zero"),
                _ when integer => Math.Truncate(x[i] / y[i]),
                _ => x[i] / y[i],
            };
            v[i] = integer ? r : (float)r;
        }

        return new OnnxConstant(name, dims, v, integer, integer ? ElementType.Int64 : ElementType.Float32);
    }

    private static OnnxConstant Slice(string name, OnnxConstant data, IReadOnlyList<OnnxConstant?> inputs, long opset, Func<string, IReadOnlyList<long>?> ints)
    {
        IReadOnlyList<long>? Input(int i) => i < inputs.Count && inputs[i] is { } c ? c.Values.Select(v => (long)v).ToArray() : null;
        int rank = data.Dims.Length;
        var starts = (opset >= 10 ? Input(1) : ints("starts")) ?? throw new OnnxShapeException("no starts");
        var ends = (opset >= 10 ? Input(2) : ints("ends")) ?? throw new OnnxShapeException("no ends");
        var axes = (opset >= 10 ? Input(3) : ints("axes")) ?? Enumerable.Range(0, starts.Count).Select(i => (long)i).ToArray();
        var steps = (opset >= 10 ? Input(4) : null) ?? Enumerable.Repeat(1L, starts.Count).ToArray();
        if (ends.Count != starts.Count || axes.Count != starts.Count || steps.Count != starts.Count)
        {
            throw new OnnxShapeException("starts, ends, axes and steps differ in length");
        }

        var first = new int[rank];
        var step = Enumerable.Repeat(1, rank).ToArray();
        var dims = (int[])data.Dims.Clone();
        for (int i = 0; i < starts.Count; i++)
        {
            int a = OnnxShapes.Axis(axes[i], rank), n = data.Dims[a];
            long st = steps[i];
            if (st == 0)
            {
                throw new OnnxShapeException("a step is 0");
            }

            long s = st > 0 ? OnnxShapes.Clamp(starts[i], n, 0, n) : OnnxShapes.Clamp(starts[i], n, -1, n - 1);
            long e = st > 0 ? OnnxShapes.Clamp(ends[i], n, 0, n) : OnnxShapes.Clamp(ends[i], n, -1, n - 1);
            long count = st > 0 ? Math.Max(0, (e - s + st - 1) / st) : Math.Max(0, (s - e - st - 1) / -st);
            first[a] = (int)s;
            step[a] = (int)st;
            dims[a] = (int)count;
        }

        var strides = OnnxShapes.Strides(data.Dims);
        int total = OnnxShapes.Product(dims);
        var values = new double[total];
        var index = new int[rank];
        for (int o = 0; o < total; o++)
        {
            int src = 0;
            for (int d = 0; d < rank; d++)
            {
                src += (first[d] + (index[d] * step[d])) * strides[d];
            }

            values[o] = data.Values[src];
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < dims[d])
                {
                    break;
                }

                index[d] = 0;
            }
        }

        return data with { Name = name, Dims = dims, Values = values };
    }
}
