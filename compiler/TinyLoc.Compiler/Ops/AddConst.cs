using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>A constant tensor of the input's element count (row-major, as the input), and a scale applied to the input first.</summary>
public sealed record ConstParams(float[] Values, float Scale = 1.0f);

/// <summary>
/// The <c>addconst</c> op: <c>y[i] = x[i] + Values[i]</c>, or <c>(x[i] · Scale) + Values[i]</c> (two roundings,
/// PyTorch's order) when Scale is not 1; the values a const table (MDCSA's <c>·√H + pe</c>).
/// </summary>
public sealed class AddConst : Op
{
    public static readonly AddConst Instance = new();

    public override string Name => "addconst";

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        var p = node.P<ConstParams>();
        OpChecks.Arity(node, 1);
        var x = OpChecks.Float(node, graph, 0);
        if (p.Values.Length != x.Elements)
        {
            throw OpChecks.Fail(node, $"the constant has {p.Values.Length} values but '{x.Name}' {OpChecks.ShapeText(x)} has {x.Elements}");
        }

        return (DType.Float32, (int[])x.Shape.Clone());
    }

    public override void Evaluate(Node node, Evaluator ev)
    {
        var p = node.P<ConstParams>();
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = (p.Scale == 1.0f ? x[i] : x[i] * p.Scale) + p.Values[i];
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var p = node.P<ConstParams>();
        string c = ctx.Table(Linear.TableName(node, "c"), DType.Float32, p.Values, ctx.D.Lit);
        ctx.W.Open($"for (int i = 0; i < {p.Values.Length}; i++)");
        string x = p.Scale == 1.0f ? ctx.At(node.Inputs[0], "i") : $"{ctx.At(node.Inputs[0], "i")} * {ctx.D.Lit(p.Scale)}";
        ctx.W.Line($"{ctx.At(node.Output, "i")} = {x} + {c}[i];");
        ctx.W.Close();
    }

    public override string Describe(Node node) =>
        $"const=f32[{node.P<ConstParams>().Values.Length}]" + (node.P<ConstParams>().Scale == 1.0f ? string.Empty : $" scale={Util.Fmt.Float(node.P<ConstParams>().Scale)}");

    public override NodeCost Cost(Node node, Graph graph, CostModel costs) => new(0, 0, node.P<ConstParams>().Values.Length * 4L, costs.ElementwiseCodeBytes);
}
