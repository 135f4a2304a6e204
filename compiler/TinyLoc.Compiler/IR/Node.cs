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
/// One operation: an op kind, its input and output value names, its op-specific parameters (weights,
/// quantisation constants) and the state-dict prefix it came from.
/// </summary>
public sealed record Node(string Name, Op Op, IReadOnlyList<string> Inputs, string Output, string Source)
{
    public LayerForm Form { get; init; } = LayerForm.Looped;
}
