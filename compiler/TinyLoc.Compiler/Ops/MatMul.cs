using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The float <c>matmul</c> op of two tensors: A <c>[M, K]</c> and B → <c>[M, N]</c>,
/// <c>y[m,n] = (Σ_k A[m,k]·B[k,n]) · Scale</c>, summed from 0 in k order one rounding at a time, the scale applied
/// once after the sum. Looped code, no weights (both operands are activations).
/// </summary>
/// <remarks>
/// <c>matmul</c>'s parameters: B is <c>[N, K]</c> and used transposed (attention scores q·kᵀ) when
/// <paramref name="TransposeB"/>, else <c>[K, N]</c> (P·V); every sum is multiplied by <paramref name="Scale"/>
/// once at the end (1 = no multiply; 1/√H for attention scores).
/// </remarks>
public sealed record MatMul(bool TransposeB, float Scale) : Op
{
    /// <summary>Row by row: row i of the product is row i of A times the whole of B (attention's keys or values, made before the loop).</summary>
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.PerRowReadingWhole($"row by row, reading '{node.Inputs[1]}' whole", 1);

    public override string ToString() => $"transpose_b={(TransposeB ? "true" : "false")} scale={Fmt.Float(Scale)}";

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        OpChecks.Arity(node, 2);
        var a = OpChecks.Matrix(node, graph, 0);
        var b = OpChecks.Matrix(node, graph, 1);
        int k = a.Shape[1];
        int bk = TransposeB ? b.Shape[1] : b.Shape[0];
        int n = TransposeB ? b.Shape[0] : b.Shape[1];
        if (bk != k)
        {
            string layout = TransposeB ? "[N, K] (transpose_b)" : "[K, N]";
            throw OpChecks.Fail(node, $"'{a.Name}' is [{a.Shape[0]}, {k}] so '{b.Name}' must be {layout} with K = {k}, but it is [{b.Shape[0]}, {b.Shape[1]}]");
        }

        return (DType.Float32, new[] { a.Shape[0], n });
    }

    public override void Evaluate(Node node, Evaluator ev)
    {
        var (m, k, n) = Dims(node, ev.Graph);
        float[] a = ev.F32(node.Inputs[0]), b = ev.F32(node.Inputs[1]), y = ev.F32(node.Output);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float acc = 0.0f;
                for (int kk = 0; kk < k; kk++)
                {
                    float bv = TransposeB ? b[(j * k) + kk] : b[(kk * n) + j];
                    acc = acc + (a[(i * k) + kk] * bv);
                }

                if (Scale != 1.0f)
                {
                    acc = acc * Scale;
                }

                y[(i * n) + j] = acc;
            }
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var (m, k, n) = Dims(node, ctx.Graph);
        var w = ctx.W;
        string bIndex = TransposeB ? $"{k} * j + kk" : $"{n} * kk + j";
        w.Open($"for (int i = 0; i < {m}; i++)");
        w.Open($"for (int j = 0; j < {n}; j++)");
        w.Line("float acc = 0.0f;");
        w.Open($"for (int kk = 0; kk < {k}; kk++)");
        w.Line($"acc += {ctx.At(node.Inputs[0], $"{k} * i + kk")} * {ctx.At(node.Inputs[1], bIndex)};");
        w.Close();
        if (Scale != 1.0f)
        {
            w.Line($"acc = acc * {ctx.D.Lit(Scale)};");
        }

        w.Line($"{ctx.At(node.Output, $"{n} * i + j")} = acc;");
        w.Close();
        w.Close();
    }

    public override SoftFloatUse SoftFloat(Node node) => SoftFloatUse.FloatKernel;

    public override string Describe(Node node) => ToString();

    public override NodeCost Cost(Node node, Graph graph, CostModel costs)
    {
        var (m, k, n) = Dims(node, graph);
        return new NodeCost((long)m * k * n, 0, 0, costs.MatMulCodeBytes);
    }

    /// <summary>M, K, N of a checked node.</summary>
    private static (int M, int K, int N) Dims(Node node, Graph graph)
    {
        var a = graph[node.Inputs[0]];
        var y = graph[node.Output];
        return (a.Shape[0], a.Shape[1], y.Shape[1]);
    }
}
