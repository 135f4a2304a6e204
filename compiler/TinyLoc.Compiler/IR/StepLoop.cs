using System.Collections.Generic;

namespace TinyLoc.Compiler.IR;

/// <summary>
/// A time-fused loop of a graph (<see cref="Passes.TimeFusion"/>): nodes <see cref="First"/> … <see cref="Last"/> run
/// once per time step, <see cref="Steps"/> times, one step through the whole chain before the next. Inside, values are
/// single rows <c>[1, width]</c>; a <see cref="Ops.StepRow"/> reads row <c>step</c> of a whole-window tensor made before
/// the loop, a <see cref="Ops.StepStore"/> writes row <c>step</c> of one read after it. <see cref="Carries"/> name the
/// float buffers a step form keeps from one step to the next (a causal convolution's history, the scan state): zero
/// before the first step, live for the whole loop.
/// </summary>
public sealed record StepLoop(int First, int Last, int Steps, IReadOnlyList<string> Carries)
{
    /// <summary>The name of a step-form node's carry: its output's name and <c>.carry</c>.</summary>
    public static string CarryOf(Node node) => node.Output + ".carry";

    /// <summary>True if node <paramref name="index"/> runs in this loop.</summary>
    public bool Contains(int index) => First <= index && index <= Last;
}
