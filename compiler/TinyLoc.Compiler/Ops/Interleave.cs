using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// <c>interleave</c> (no parameters): n sequences of the same shape <c>[T, H]</c> merged by
/// time into <c>[n·T, H]</c>, row <c>n·t + i</c> = row t of input i (MDCSA's branch merge,
/// <c>s[3t+i] = d_{k_i}[t]</c>). One input is a copy. Exact: it only moves floats.
/// </summary>
public sealed record Interleave : Op
{
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.Barrier("interleaves whole windows");

    public static readonly Interleave Instance = new();

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        if (node.Inputs.Count == 0)
        {
            throw OpChecks.Fail(node, "takes at least one input, has none");
        }

        var first = OpChecks.Matrix(node, graph, 0);
        for (int i = 1; i < node.Inputs.Count; i++)
        {
            var v = OpChecks.Matrix(node, graph, i);
            if (v.Shape[0] != first.Shape[0] || v.Shape[1] != first.Shape[1])
            {
                throw OpChecks.Fail(node, $"all inputs must have the same shape: '{first.Name}' is [{first.Shape[0]}, {first.Shape[1]}] but '{v.Name}' is [{v.Shape[0]}, {v.Shape[1]}]");
            }
        }

        return (DType.Float32, new[] { node.Inputs.Count * first.Shape[0], first.Shape[1] });
    }

    public override void Evaluate(Node node, Evaluator ev)
    {
        var (n, t, h) = Dims(node, ev.Graph);
        float[] y = ev.F32(node.Output);
        for (int i = 0; i < n; i++)
        {
            float[] x = ev.F32(node.Inputs[i]);
            for (int s = 0; s < t; s++)
            {
                for (int c = 0; c < h; c++)
                {
                    y[(((n * s) + i) * h) + c] = x[(s * h) + c];
                }
            }
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var (n, t, h) = Dims(node, ctx.Graph);
        var w = ctx.W;
        for (int i = 0; i < n; i++)
        {
            // Input i's rows go to rows n·t + i: element (t, c) to n·h·t + i·h + c.
            string dst = i == 0 ? $"{n * h} * t + c" : $"{n * h} * t + {i * h} + c";
            w.Open($"for (int t = 0; t < {t}; t++)");
            w.Open($"for (int c = 0; c < {h}; c++)");
            w.Line($"{ctx.At(node.Output, dst)} = {ctx.At(node.Inputs[i], $"{h} * t + c")};");
            w.Close();
            w.Close();
        }
    }

    public override string Describe(Node node) => "n=" + node.Inputs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override NodeCost Cost(Node node, Graph graph, CostModel costs) => new(0, 0, 0, costs.ElementwiseCodeBytes * (long)node.Inputs.Count);

    /// <summary>Inputs, rows per input, columns.</summary>
    private static (int N, int T, int H) Dims(Node node, Graph graph)
    {
        var x = graph[node.Inputs.First()];
        return (node.Inputs.Count, x.Shape[0], x.Shape[1]);
    }
}
