using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <c>step_row</c> op: the first node of a time-fused loop for each window tensor the loop reads, <c>[T, W]</c> →
/// <c>[1, W]</c>, a copy of row <c>step</c> (the loop's variable).
/// </summary>
public sealed record StepRow : Op
{
    public static readonly StepRow Instance = new();

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        OpChecks.Arity(node, 1);
        var x = graph[node.Inputs[0]];
        return (x.Type, OpChecks.WithFirst(x.Shape, 1));
    }

    public override void Evaluate(Node node, Evaluator ev) => StepStore.Copy(ev, node.Inputs[0], ev.Step * Width(node, ev.Graph), node.Output, 0, Width(node, ev.Graph));

    public override void Emit(Node node, EmitContext ctx)
    {
        int width = Width(node, ctx.Graph);
        ctx.W.Open($"for (int i = 0; i < {width}; i++)");
        ctx.W.Line($"{ctx.At(node.Output, "i")} = {ctx.At(node.Inputs[0], $"{width} * step + i")};");
        ctx.W.Close();
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs) => new(0, 0, 0, costs.ElementwiseCodeBytes);

    private static int Width(Node node, Graph graph) => graph[node.Output].Elements;
}
