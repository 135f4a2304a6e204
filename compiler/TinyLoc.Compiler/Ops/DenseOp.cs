using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// What every dense (fully connected) layer shares, float or quantised: <c>Out × In</c> weights applied to each
/// row of its one input (<c>[T, In] → [T, Out]</c>, or a flat <c>[In] → [Out]</c>), an activation, the unrolled
/// form for single-row layers, and its multiply-accumulate count. <see cref="Linear"/>, <see cref="QLinear"/>,
/// <see cref="DLinear"/> and <see cref="LLinear"/> are the four.
/// </summary>
public abstract record DenseOp(int Out, int In, Activation Act) : Op
{
    /// <summary>Weights that are not zero (the unrolled form's terms).</summary>
    public abstract int NonZeroWeights { get; }

    /// <summary>The element type of the output (the input's is the same).</summary>
    protected virtual DType OutputType => DType.Float32;

    public override bool CanUnroll => true;

    /// <summary>
    /// Single-row layers only. A per-step layer (over [T, In]) stays looped: its weights are read T times per
    /// call either way, and unrolled per-row code made gcc with ASan and UBSan take minutes (3.5 CPU-minutes
    /// for MDCSA H16 L3, where the unrolled MLPs take seconds): every input is then read through a row base,
    /// which ASan must instrument, instead of at a constant arena index, which it need not.
    /// </summary>
    public override bool CanUnrollNode(Node node, Graph graph) => CanUnroll && Rows(node, graph) == 1;

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph) => OpChecks.Dense(node, graph, OutputType, In, Out);

    public override Activation AppliedActivation => Act;

    /// <summary>
    /// False for a float bias of zeros only (a layer trained with <c>bias=False</c>): the code then has no bias
    /// table and adds nothing, and the evaluator does the same.
    /// </summary>
    protected static bool AnyNonZero(float[] bias) => System.Array.Exists(bias, v => v != 0.0f);

    /// <summary>How many rows the layer runs over (1 for a flat input).</summary>
    public int Rows(Node node, Graph graph) => OpChecks.Rows(graph, node, In);

    /// <summary>Multiply-accumulates per call.</summary>
    public long Macs(Node node, Graph graph) => (long)Out * In * Rows(node, graph);
}
