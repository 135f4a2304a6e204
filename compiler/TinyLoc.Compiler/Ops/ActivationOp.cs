using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>A stand-alone float activation (relu, tanh, sigmoid, silu, elu, softplus, exp); fusion folds it into the layer before it.</summary>
public sealed record ActivationOp(Activation Fn) : Op
{
    /// <summary>Row by row: each output row reads the same row of its inputs only.</summary>
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.PerRow;

    /// <summary>In place: each output element is computed from the same element of the input alone.</summary>
    public override Aliasing? Aliasing(Node node, Graph graph) => Ops.Aliasing.InPlace();

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph) => (DType.Float32, OpChecks.Single(node, graph, DType.Float32).Shape);

    public override void Evaluate(Node node, Evaluator ev)
    {
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = Fn.Apply(x[i]);
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        int n = ctx.Graph[node.Output].Elements;
        ctx.W.Open($"for (int i = 0; i < {n}; i++)");
        ctx.W.Line($"float v = {ctx.At(node.Inputs[0], "i")};");
        ctx.W.Line($"{ctx.At(node.Output, "i")} = {Expr(Fn, "v", ctx)};");
        ctx.W.Close();
    }

    public override Activation AppliedActivation => Fn;

    public override string Describe(Node node) => "fn=" + Fn.Name();

    /// <summary>The C/C# expression applying <paramref name="act"/> to the float variable <paramref name="v"/>.</summary>
    public static string Expr(Activation act, string v, EmitContext ctx) =>
        act.Helper() is { } helper ? $"{ctx.Use(helper)}({v})"
        : act == Activation.Relu ? $"({v} > 0.0f ? {v} : 0.0f)"
        : v;
}
