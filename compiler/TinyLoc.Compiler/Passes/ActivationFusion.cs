using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;

namespace TinyLoc.Compiler.Passes;

/// <summary>
/// Folds a float activation into the op that feeds it (a linear layer or convolution: <see cref="IFusesActivation"/>)
/// when nothing else reads that op's output: the op computes <c>act(acc)</c> and writes the activation's output
/// value directly.
/// </summary>
public sealed class ActivationFusion : GraphRewriter
{
    public static Graph Run(Graph graph) => graph.With(new ActivationFusion().Rewrite(graph));

    protected override void VisitActivation(Node node, ActivationOp op)
    {
        var prev = Written.Count > 0 ? Written[Written.Count - 1] : null;
        bool fusable = prev is { Op: IFusesActivation { Act: Activation.None } f }
            && ReferenceEquals(Source.Nodes[Index - 1], prev)
            && node.Inputs[0] == prev.Output && Source.LastUse(prev.Output) == Index;
        if (fusable)
        {
            ReplaceLast(prev! with { Output = node.Output, Op = ((IFusesActivation)prev.Op).WithActivation(op.Fn) });
            return;
        }

        Keep(node);
    }
}
