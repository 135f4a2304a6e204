using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>The <c>dequantize</c> op: <c>y = (float)(q − zp) · scale</c>, with the input's quantisation.</summary>
public sealed record Dequantize : Op
{
    /// <summary>Row by row: each output row reads the same row of its inputs only.</summary>
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.PerRow;

    public static readonly Dequantize Instance = new();

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph) => (DType.Float32, OpChecks.Single(node, graph, DType.Int8).Shape);

    public override void Evaluate(Node node, Evaluator ev)
    {
        var q = ev.Graph[node.Inputs[0]].Quant!;
        sbyte[] x = ev.I8(node.Inputs[0]);
        float[] y = ev.F32(node.Output);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = (float)(x[i] - q.ZeroPoint) * q.Scale;
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var q = ctx.Graph[node.Inputs[0]].Quant!;
        int n = ctx.Graph[node.Output].Elements;
        ctx.W.Open($"for (int i = 0; i < {n}; i++)");
        ctx.W.Line($"{ctx.At(node.Output, "i")} = (float)({ctx.D.Minus(ctx.At(node.Inputs[0], "i"), q.ZeroPoint)}) * {ctx.D.Lit(q.Scale)};");
        ctx.W.Close();
    }
}
