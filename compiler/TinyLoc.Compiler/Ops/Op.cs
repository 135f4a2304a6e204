using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The contract every op fulfils, one op per file: a sealed record whose members are the op's attributes (so a
/// node's parameters are typed, and a pass changes one with <c>op with { … }</c>), which validates and infers the
/// output type, evaluates with exactly the arithmetic of the emitted code, emits C and C# (one body, two dialects),
/// and estimates its cost. Register new ops in <see cref="OpRegistry"/>.
/// </summary>
public abstract record Op
{
    /// <summary>The op's name in IR dumps, reports and diagnostics, from <see cref="OpRegistry"/>.</summary>
    public string Name => OpRegistry.NameOf(GetType());

    /// <summary>True if the op has an unrolled form (weights as immediates).</summary>
    public virtual bool CanUnroll => false;

    /// <summary>True if this node may take the unrolled form (<see cref="CanUnroll"/>, and whatever else the op requires).</summary>
    public virtual bool CanUnrollNode(Node node, Graph graph) => CanUnroll;

    /// <summary>True if this node may take the <see cref="LayerForm.Wide"/> form (an int8 layer with the DSP kernel).</summary>
    public virtual bool CanWidenNode(Node node, Graph graph) => false;

    /// <summary>Checks the inputs and returns the output value's type and shape (name and kind are the node's).</summary>
    public abstract (DType Type, int[] Shape) InferOutput(Node node, Graph graph);

    /// <summary>Runs the node on the evaluator's buffers.</summary>
    public abstract void Evaluate(Node node, Evaluator ev);

    /// <summary>Writes the node's code (C or C#, as the context's dialect says).</summary>
    public abstract void Emit(Node node, EmitContext ctx);

    /// <summary>The float activation the node applies at run time (fused or its own), or None.</summary>
    public virtual Activation AppliedActivation => Activation.None;

    /// <summary>
    /// Bytes of the shared int8 scratch buffer the node needs while it runs (shared by all nodes: the largest counts).
    /// Sized here once: the report adds it up (<see cref="Memory.ScratchBuffers"/>) and the emitter reserves exactly this
    /// (<see cref="EmitContext.Scratch"/>).
    /// </summary>
    public virtual int ScratchBytes(Node node, Graph graph) => 0;

    /// <summary>
    /// Bytes (4 per element) of the shared float32 scratch buffer the node needs while it runs (recurrent state,
    /// CRF scores); like the int8 scratch, shared by all nodes, so the largest counts. See <see cref="Memory.ScratchBuffers"/>.
    /// </summary>
    public virtual int ScratchF32Bytes(Node node, Graph graph) => 0;

    /// <summary>The soft-float library routines the node's code needs on a core without an FPU.</summary>
    public virtual SoftFloatUse SoftFloat(Node node) => SoftFloatUse.None;

    /// <summary>Attributes for the IR dump, e.g. <c>act=relu</c>.</summary>
    public virtual string Describe(Node node) => string.Empty;

    /// <summary>
    /// Whether the node can run one time step at a time in a time-fused loop (<see cref="Passes.TimeFusion"/>), when its
    /// input and output are <c>[T, …]</c> windows: row by row, in a step form with a carry, or not (a barrier, and why).
    /// Only ops whose every output row is computed by the same arithmetic from the same inputs in both forms answer
    /// anything but a barrier: a loop changes where values live, never the bits.
    /// </summary>
    public virtual Stepping Stepping(Node node, Graph graph) => Ops.Stepping.Barrier($"{Name} has no step form");

    /// <summary>
    /// Where the node's output may live inside one of its inputs' buffers (<see cref="Memory.MemoryPlanner"/>): a view (the
    /// output is bytes of the input, written by no code: a contiguous slice) or in place (an elementwise op writing each
    /// element over the same element of an input that dies there). Null: a buffer of its own.
    /// </summary>
    public virtual Aliasing? Aliasing(Node node, Graph graph) => null;

    /// <summary>Floats a step form keeps from one time step to the next (its carry, zero before the first step).</summary>
    public virtual int CarryFloats(Node node, Graph graph) => 0;

    /// <summary>Multiply-accumulates of the node over a time-fused loop of <paramref name="steps"/> steps: a call's, once per step, unless a step's work depends on the step.</summary>
    public virtual long LoopMacs(Node node, Graph graph, CostModel costs, int steps) => Cost(node, graph, costs).Macs * steps;

    /// <summary>Work and flash bytes for the node in its current form.</summary>
    public virtual NodeCost Cost(Node node, Graph graph, CostModel costs) => new(0, 0, 0, costs.ElementwiseCodeBytes);
}

/// <summary>Multiply-accumulates per call, and flash bytes: weights, other constant tables, estimated code.</summary>
public readonly record struct NodeCost(long Macs, long WeightBytes, long TableBytes, long CodeBytes)
{
    public long FlashBytes => WeightBytes + TableBytes + CodeBytes;
}
