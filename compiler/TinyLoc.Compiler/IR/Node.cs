using System.Collections.Generic;
using TinyLoc.Compiler.Ops;

namespace TinyLoc.Compiler.IR;

/// <summary>How a node's code is laid out: straight-line with weights as immediates, or loops over const tables.</summary>
public enum LayerForm
{
    Looped,
    Unrolled,
}

/// <summary>
/// One operation's place in the graph: its name, its op (a typed record in <c>Ops/</c> holding the op's
/// attributes: weights, quantisation constants, shapes), its input and output value names, the state-dict
/// prefix it came from, and its form.
/// </summary>
public sealed record Node(string Name, Op Op, IReadOnlyList<string> Inputs, string Output, string Source)
{
    public LayerForm Form { get; init; } = LayerForm.Looped;
}
