using System.Collections.Generic;
using TinyLoc.Compiler.Ops;

namespace TinyLoc.Compiler.IR;

/// <summary>
/// How a node's code is laid out: loops over const tables, straight-line with weights as immediates, or
/// (<see cref="Wide"/>) loops over a table of weights stored pre-extended as int16 pairs.
/// </summary>
public enum LayerForm
{
    Looped,
    Unrolled,

    /// <summary>
    /// Looped, with the int8 weights stored as the two int16 halves of SMLAD operands (twice the weights' flash),
    /// so the Cortex-M DSP loop does no SXTB16 on them (<see cref="Ops.QLinearWide"/>). Only where the C takes its
    /// DSP kernels: C# and the portable C of the same file run the <see cref="Looped"/> code and table.
    /// </summary>
    Wide,
}

/// <summary>
/// One operation's place in the graph: its name, its op (a typed record in <c>Ops/</c> holding the op's
/// attributes: weights, quantisation constants, shapes), its input and output value names, the state-dict
/// prefix it came from, and its form.
/// </summary>
public sealed record Node(string Name, Op Op, IReadOnlyList<string> Inputs, string Output, string Source)
{
    public LayerForm Form { get; init; } = LayerForm.Looped;

    /// <summary>
    /// Where the node runs and why, from <see cref="Passes.TimeFusion"/> (the size report's schedule column): in a
    /// time-fused loop one step at a time, or over the whole window and the reason; empty before that pass.
    /// </summary>
    public string Schedule { get; init; } = string.Empty;
}
