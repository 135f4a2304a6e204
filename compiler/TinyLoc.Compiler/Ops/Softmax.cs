using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <c>softmax</c> op over the last dimension of each row: <c>m = max</c> (first maximum), <c>e = Exp(x − m)</c>
/// (so exp only sees x − m ≤ 0 and the sum is at least 1), <c>sum</c> in order from 0, then
/// <c>y = e · (1 / sum)</c>: one division per row, the rest multiplications.
/// </summary>
public sealed record Softmax : Op
{
    /// <summary>Row by row: each row's softmax reads that row only.</summary>
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.PerRow;

    public static readonly Softmax Instance = new();

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        OpChecks.Arity(node, 1);
        var x = OpChecks.Float(node, graph, 0);
        return (DType.Float32, (int[])x.Shape.Clone());
    }

    public override void Evaluate(Node node, Evaluator ev)
    {
        var (rows, n) = OpChecks.RowsOf(ev.Graph[node.Output]);
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        for (int t = 0; t < rows; t++)
        {
            float m = x[t * n];
            for (int i = 1; i < n; i++)
            {
                float v = x[(t * n) + i];
                if (v > m)
                {
                    m = v;
                }
            }

            float sum = 0.0f;
            for (int i = 0; i < n; i++)
            {
                float e = TlMath.Exp(x[(t * n) + i] - m);
                y[(t * n) + i] = e;
                sum = sum + e;
            }

            float inv = 1.0f / sum;
            for (int i = 0; i < n; i++)
            {
                y[(t * n) + i] = y[(t * n) + i] * inv;
            }
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var (rows, n) = OpChecks.RowsOf(ctx.Graph[node.Output]);
        var w = ctx.W;
        string X(string i) => ctx.At(node.Inputs[0], $"t * {n} + {i}");
        string Y(string i) => ctx.At(node.Output, $"t * {n} + {i}");
        w.Open($"for (int t = 0; t < {rows}; t++)");
        w.Line($"float m = {ctx.At(node.Inputs[0], $"t * {n}")};");
        w.Line("float sum = 0.0f;");
        w.Line("float inv;");
        w.Open($"for (int i = 1; i < {n}; i++)");
        w.Line($"float v = {X("i")};");
        w.Line("if (v > m) { m = v; }");
        w.Close();
        w.Open($"for (int i = 0; i < {n}; i++)");
        w.Line($"float e = {ctx.Use(Helper.Exp)}({X("i")} - m);");
        w.Line($"{Y("i")} = e;");
        w.Line("sum += e;");
        w.Close();
        w.Line("inv = 1.0f / sum;");
        w.Open($"for (int i = 0; i < {n}; i++)");
        w.Line($"{Y("i")} = {Y("i")} * inv;");
        w.Close();
        w.Close();
    }

    /// <summary>exp, once per element (so the stack estimate counts exp's frame).</summary>
    public override Activation AppliedActivation => Activation.Exp;

    public override SoftFloatUse SoftFloat(Node node) => SoftFloatUse.FloatKernel;

    public override NodeCost Cost(Node node, Graph graph, CostModel costs) => new(graph[node.Output].Elements, 0, 0, costs.SoftmaxCodeBytes);
}
