using System.Collections.Generic;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;

namespace TinyLoc.Compiler.Passes;

/// <summary>
/// The base of every pass that rewrites a graph node by node: <see cref="Rewrite"/> walks the nodes in order and
/// dispatches each on its op's type, here and nowhere else, to the matching <c>Visit…</c> method; a pass
/// overrides the ones it cares about and <see cref="Keep"/>s (or replaces) what it reads. Everything not
/// overridden is kept as it is.
/// </summary>
public abstract class GraphRewriter
{
    private readonly List<Node> _out = new();

    /// <summary>The graph being rewritten.</summary>
    protected Graph Source { get; private set; } = null!;

    /// <summary>The position of the node being visited in <see cref="Source"/>.</summary>
    protected int Index { get; private set; }

    /// <summary>The nodes written so far.</summary>
    protected IReadOnlyList<Node> Written => _out;

    /// <summary>Visits every node of <paramref name="graph"/> in order and returns the nodes written.</summary>
    public IReadOnlyList<Node> Rewrite(Graph graph)
    {
        Source = graph;
        _out.Clear();
        for (Index = 0; Index < graph.Nodes.Count; Index++)
        {
            var n = graph.Nodes[Index];
            switch (n.Op)
            {
                case Normalize op: VisitNormalize(n, op); break;
                case Linear op: VisitLinear(n, op); break;
                case ActivationOp op: VisitActivation(n, op); break;
                default: VisitOther(n); break;
            }
        }

        return _out.ToArray();
    }

    /// <summary>Appends <paramref name="node"/> to the rewritten graph.</summary>
    protected void Keep(Node node) => _out.Add(node);

    /// <summary>Replaces the last node written (a fusion folds the current node into it).</summary>
    protected void ReplaceLast(Node node) => _out[_out.Count - 1] = node;

    protected virtual void VisitNormalize(Node node, Normalize op) => VisitOther(node);

    protected virtual void VisitLinear(Node node, Linear op) => VisitOther(node);

    protected virtual void VisitActivation(Node node, ActivationOp op) => VisitOther(node);

    /// <summary>Every node no other <c>Visit…</c> method took: kept by default.</summary>
    protected virtual void VisitOther(Node node) => Keep(node);
}
