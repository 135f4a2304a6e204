using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <c>step_store</c> op: the last nodes of a time-fused loop, one for each row value read after the loop,
/// <c>[1, W]</c> → <c>[T, W]</c>: writes row <c>step</c> (the loop's variable); after the last step every row is written.
/// </summary>
/// <remarks><c>Steps</c>: the window's rows T.</remarks>
public sealed record StepStore(int Steps) : Op
{
    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        OpChecks.Arity(node, 1);
        var x = graph[node.Inputs[0]];
        return (x.Type, OpChecks.WithFirst(x.Shape, Steps));
    }

    public override void Evaluate(Node node, Evaluator ev)
    {
        int width = ev.Graph[node.Inputs[0]].Elements;
        Copy(ev, node.Inputs[0], 0, node.Output, ev.Step * width, width);
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        int width = ctx.Graph[node.Inputs[0]].Elements;
        ctx.W.Open($"for (int i = 0; i < {width}; i++)");
        ctx.W.Line($"{ctx.At(node.Output, $"{width} * step + i")} = {ctx.At(node.Inputs[0], "i")};");
        ctx.W.Close();
    }

    public override string Describe(Node node) => $"steps={Steps}";

    public override NodeCost Cost(Node node, Graph graph, CostModel costs) => new(0, 0, 0, costs.ElementwiseCodeBytes);

    /// <summary>Copies <paramref name="count"/> elements between two values' buffers, of either element type.</summary>
    internal static void Copy(Evaluator ev, string from, int fromIndex, string to, int toIndex, int count)
    {
        if (ev.Graph[from].Type == DType.Int8)
        {
            System.Array.Copy(ev.I8(from), fromIndex, ev.I8(to), toIndex, count);
        }
        else
        {
            System.Array.Copy(ev.F32(from), fromIndex, ev.F32(to), toIndex, count);
        }
    }
}
