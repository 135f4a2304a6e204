using System.Collections.Generic;
using System.Linq;

namespace TinyLoc.Compiler.Ops;

/// <summary>How a node can run in a time-fused loop (<see cref="Passes.TimeFusion"/>).</summary>
public enum StepKind
{
    /// <summary>Not at all: it needs the whole window at once, so the loops stop before it.</summary>
    Barrier,

    /// <summary>Row by row with its own code: each output row depends on the same row of its inputs only.</summary>
    PerRow,

    /// <summary>In a step form of its own (<see cref="Stepping.StepOp"/>) that keeps a carry from one step to the next.</summary>
    Carried,
}

/// <summary>
/// A node's answer to "can you run one time step at a time?" (<see cref="Op.Stepping"/>): the kind, why (for the size
/// report's schedule column), and for <see cref="StepKind.Carried"/> the step form that replaces the op in a loop.
/// </summary>
/// <remarks>
/// <c>Whole</c>: the inputs (by position) a row reads whole instead of its own row (attention's keys and values); they
/// must be made before the loop.
/// </remarks>
public sealed record Stepping(StepKind Kind, string Why, Op? StepOp = null, IReadOnlyList<int>? Whole = null)
{
    public static Stepping PerRow { get; } = new(StepKind.PerRow, "row by row");

    /// <summary>Row by row, each row reading the inputs at <paramref name="whole"/> whole.</summary>
    public static Stepping PerRowReadingWhole(string why, params int[] whole) => new(StepKind.PerRow, why, null, whole);

    /// <summary>True if input <paramref name="index"/> is read whole.</summary>
    public bool ReadsWhole(int index) => Whole is not null && Whole.Contains(index);

    public static Stepping Barrier(string why) => new(StepKind.Barrier, why);

    public static Stepping Carried(Op stepOp, string why) => new(StepKind.Carried, why, stepOp);
}
