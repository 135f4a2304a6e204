using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// What <see cref="ActivationOp"/> and <see cref="LeakyRelu"/> share: one float input, an output of its shape,
/// <c>y[i] = f(x[i])</c>, row by row and in place.
/// </summary>
public abstract record ElementwiseUnary : Op
{
    /// <summary>Row by row: each output row reads the same row of its input only.</summary>
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.PerRow;

    /// <summary>In place: each output element is computed from the same element of the input alone.</summary>
    public override Aliasing? Aliasing(Node node, Graph graph) => Ops.Aliasing.InPlace();

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph) => (DType.Float32, OpChecks.Single(node, graph, DType.Float32).Shape);

    /// <summary>The function, as the emitted code computes it.</summary>
    protected abstract float Apply(float x);

    /// <summary>The C/C# expression of the function of the float variable <paramref name="v"/>.</summary>
    protected abstract string Expr(string v, EmitContext ctx);

    public override void Evaluate(Node node, Evaluator ev)
    {
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = Apply(x[i]);
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        int n = ctx.Graph[node.Output].Elements;
        ctx.W.Open($"for (int i = 0; i < {n}; i++)");
        ctx.W.Line($"float v = {ctx.At(node.Inputs[0], "i")};");
        ctx.W.Line($"{ctx.At(node.Output, "i")} = {Expr("v", ctx)};");
        ctx.W.Close();
    }
}
