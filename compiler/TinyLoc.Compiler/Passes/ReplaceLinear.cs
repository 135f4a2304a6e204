using System;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;

namespace TinyLoc.Compiler.Passes;

/// <summary>Replaces every float linear layer's op by what <c>replace</c> makes of it; every other node is kept.</summary>
public sealed class ReplaceLinear : GraphRewriter
{
    private readonly Func<Linear, Op> _replace;

    public ReplaceLinear(Func<Linear, Op> replace) => _replace = replace;

    /// <summary>The graph with each linear layer replaced.</summary>
    public static Graph Run(Graph graph, Func<Linear, Op> replace) => graph.With(new ReplaceLinear(replace).Rewrite(graph));

    protected override void VisitLinear(Node node, Linear op) => Keep(node with { Op = _replace(op) });
}
