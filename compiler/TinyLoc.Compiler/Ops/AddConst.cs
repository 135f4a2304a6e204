using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <c>addconst</c> op: <c>y[i] = x[i] + Values[i]</c>, or <c>(x[i] · Scale) + Values[i]</c> (two roundings,
/// PyTorch's order) when Scale is not 1; the values a const table (MDCSA's <c>·√H + pe</c>).
/// </summary>
/// <remarks>A constant tensor of the input's element count (row-major, as the input), and a scale applied to the input first.</remarks>
public sealed record AddConst(float[] Values, float Scale = 1.0f) : Op
{
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.Barrier("adds a constant of the whole window");

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        OpChecks.Arity(node, 1);
        var x = OpChecks.Float(node, graph, 0);
        if (Values.Length != x.Elements)
        {
            throw OpChecks.Fail(node, $"the constant has {Values.Length} values but '{x.Name}' {OpChecks.ShapeText(x)} has {x.Elements}");
        }

        return (DType.Float32, (int[])x.Shape.Clone());
    }

    public override void Evaluate(Node node, Evaluator ev)
    {
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = (Scale == 1.0f ? x[i] : x[i] * Scale) + Values[i];
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        string c = ctx.Table(ctx.TableName(node, "c"), DType.Float32, Values, ctx.D.Lit, $"[{Values.Length}] float constant added");
        ctx.W.Open($"for (int i = 0; i < {Values.Length}; i++)");
        string x = Scale == 1.0f ? ctx.At(node.Inputs[0], "i") : $"{ctx.At(node.Inputs[0], "i")} * {ctx.D.Lit(Scale)}";
        ctx.W.Line($"{ctx.At(node.Output, "i")} = {x} + {c}[i];");
        ctx.W.Close();
    }

    public override string Describe(Node node) =>
        $"const=f32[{Values.Length}]" + (Scale == 1.0f ? string.Empty : $" scale={Util.Fmt.Float(Scale)}");

    public override NodeCost Cost(Node node, Graph graph, CostModel costs) => new(0, 0, Values.Length * 4L, costs.ElementwiseCodeBytes);
}
