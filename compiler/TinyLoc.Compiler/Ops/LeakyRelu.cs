using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <c>leaky_relu</c> op: <c>y = x &gt; 0 ? x : x · Alpha</c>, PyTorch's and ONNX's order (one rounding on the
/// negative side); its own op because the slope is a parameter, which <see cref="Activation"/> values do not carry.
/// </summary>
public sealed record LeakyRelu(float Alpha) : Op
{
    /// <summary>Row by row: each output row reads the same row of its input only.</summary>
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.PerRow;

    /// <summary>In place: each output element is computed from the same element of the input alone.</summary>
    public override Aliasing? Aliasing(Node node, Graph graph) => Ops.Aliasing.InPlace();

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph) => (DType.Float32, OpChecks.Single(node, graph, DType.Float32).Shape);

    public override void Evaluate(Node node, Evaluator ev)
    {
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v > 0.0f ? v : v * Alpha;
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        int n = ctx.Graph[node.Output].Elements;
        ctx.W.Open($"for (int i = 0; i < {n}; i++)");
        ctx.W.Line($"float v = {ctx.At(node.Inputs[0], "i")};");
        ctx.W.Line($"{ctx.At(node.Output, "i")} = v > 0.0f ? v : v * {ctx.D.Lit(Alpha)};");
        ctx.W.Close();
    }

    public override string Describe(Node node) => "alpha=" + Util.Fmt.Float(Alpha);
}
