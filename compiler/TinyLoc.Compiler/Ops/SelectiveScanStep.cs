using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <c>selective_scan_step</c> op: one time step of <see cref="SelectiveScan"/> in a time-fused loop. Inputs are the
/// step's rows <c>xa [1, Di]</c>, <c>delta [1, Di]</c>, <c>dbc [1, W]</c>; the state <c>h [Di, N]</c> is the loop's carry
/// (zero before the first step) instead of the float scratch. The arithmetic of each step is the scan's, in its order.
/// </summary>
public sealed record SelectiveScanStep(SelectiveScan Scan) : Op
{
    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph) => Scan.InferOutput(node, graph);

    public override void Evaluate(Node node, Evaluator ev) => Scan.Run(node, ev, ev.F32(StepLoop.CarryOf(node)), 1);

    public override void Emit(Node node, EmitContext ctx)
    {
        string carry = StepLoop.CarryOf(node);
        Scan.EmitSteps(node, ctx, i => ctx.At(carry, i), 1);
    }

    public override int CarryFloats(Node node, Graph graph) => Scan.Channels * Scan.States;

    public override Activation AppliedActivation => Scan.AppliedActivation;

    public override SoftFloatUse SoftFloat(Node node) => Scan.SoftFloat(node);

    public override string Describe(Node node) => Scan.Describe(node);

    public override NodeCost Cost(Node node, Graph graph, CostModel costs) => Scan.Cost(node, graph, costs);
}
