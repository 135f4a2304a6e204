using System.Collections.Generic;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;

namespace TinyLoc.Compiler.Passes;

/// <summary>
/// Folds a float activation into the linear layer or convolution that feeds it (when nothing else reads
/// the layer's output): the layer computes <c>act(acc)</c> and writes the activation's output value directly.
/// </summary>
public static class ActivationFusion
{
    public static Graph Run(Graph graph)
    {
        var nodes = new List<Node>();
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var n = graph.Nodes[i];
            var next = i + 1 < graph.Nodes.Count ? graph.Nodes[i + 1] : null;
            bool feedsOnlyActivation = next is { Op: ActivationOp } && next.Inputs[0] == n.Output && graph.LastUse(n.Output) == i + 1;
            if (feedsOnlyActivation && n.Op is Linear && n.P<LinearParams>().Act == Activation.None)
            {
                nodes.Add(n with { Output = next!.Output, Params = n.P<LinearParams>() with { Act = next.P<Activation>() } });
                i++;
                continue;
            }

            if (feedsOnlyActivation && n.Op is Conv1d && n.P<ConvParams>().Act == Activation.None)
            {
                nodes.Add(n with { Output = next!.Output, Params = n.P<ConvParams>() with { Act = next.P<Activation>() } });
                i++;
                continue;
            }

            nodes.Add(n);
        }

        return graph.With(nodes);
    }
}
