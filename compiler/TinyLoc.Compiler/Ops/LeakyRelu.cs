using TinyLoc.Compiler.Emit;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <c>leaky_relu</c> op: <c>y = x &gt; 0 ? x : x · Alpha</c>, PyTorch's and ONNX's order (one rounding on the
/// negative side); its own op because the slope is a parameter, which <see cref="Activation"/> values do not carry.
/// </summary>
public sealed record LeakyRelu(float Alpha) : ElementwiseUnary
{
    protected override float Apply(float x) => x > 0.0f ? x : x * Alpha;

    protected override string Expr(string v, EmitContext ctx) => $"{v} > 0.0f ? {v} : {v} * {ctx.D.Lit(Alpha)}";

    public override string Describe(IR.Node node) => "alpha=" + Util.Fmt.Float(Alpha);
}
