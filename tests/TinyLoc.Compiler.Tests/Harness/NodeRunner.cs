using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// Runs one node in the reference evaluator on arbitrary float inputs (any number of them, any shapes), for op
/// tests that compare the evaluator with an independent implementation. <see cref="InferOutput"/> checks shapes as
/// graph building does.
/// </summary>
public static class NodeRunner
{
    /// <summary>A named float input with its shape and data (row-major).</summary>
    public sealed record Tensor(string Name, int[] Shape, float[] Data);

    public static Tensor T(string name, int[] shape, float[] data) => new(name, shape, data);

    /// <summary>The graph holding <paramref name="inputs"/> and <paramref name="node"/> (throws as shape inference does).</summary>
    public static Graph Graph(Node node, params Tensor[] inputs)
    {
        var values = inputs.Select(t => new Value(t.Name, DType.Float32, t.Shape, ValueKind.Intermediate)).ToList();
        var partial = new Graph(values, System.Array.Empty<Node>(), inputs[0].Name, inputs[0].Name);
        var (type, shape) = node.Op.InferOutput(node, partial);
        values.Add(new Value(node.Output, type, shape, ValueKind.Output));
        return new Graph(values, new[] { node }, inputs[0].Name, node.Output);
    }

    /// <summary>Evaluates <paramref name="node"/> on <paramref name="inputs"/> and returns its output.</summary>
    public static float[] Run(Node node, params Tensor[] inputs)
    {
        var ev = new Evaluator(Graph(node, inputs));
        foreach (var t in inputs)
        {
            t.Data.CopyTo(ev.F32(t.Name), 0);
        }

        node.Op.Evaluate(node, ev);
        return (float[])ev.F32(node.Output).Clone();
    }

    /// <summary>‖a − b‖₂ / ‖b‖₂ (b the reference).</summary>
    public static double NormwiseError(IReadOnlyList<float> actual, IReadOnlyList<double> reference)
    {
        double num = 0, den = 0;
        for (int i = 0; i < reference.Count; i++)
        {
            double d = actual[i] - reference[i];
            num += d * d;
            den += reference[i] * reference[i];
        }

        return System.Math.Sqrt(num) / System.Math.Sqrt(den);
    }
}
