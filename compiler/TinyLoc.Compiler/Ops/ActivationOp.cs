using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>A stand-alone float activation (relu, tanh, sigmoid, silu, elu, softplus, exp); fusion folds it into the layer before it.</summary>
public sealed record ActivationOp(Activation Fn) : ElementwiseUnary
{
    protected override float Apply(float x) => Fn.Apply(x);

    protected override string Expr(string v, EmitContext ctx) => Expr(Fn, v, ctx);

    public override Activation AppliedActivation => Fn;

    public override string Describe(Node node) => "fn=" + Fn.Name();

    /// <summary>The C/C# expression applying <paramref name="act"/> to the float variable <paramref name="v"/>.</summary>
    public static string Expr(Activation act, string v, EmitContext ctx) =>
        act.Helper() is { } helper ? $"{ctx.Use(helper)}({v})"
        : act == Activation.Relu ? $"({v} > 0.0f ? {v} : 0.0f)"
        : v;
}
