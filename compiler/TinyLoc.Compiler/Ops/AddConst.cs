using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>A constant tensor of the input's element count (row-major, as the input).</summary>
public sealed record ConstParams(float[] Values);

/// <summary>The <c>addconst</c> op: <c>y[i] = x[i] + Values[i]</c>, the values a const table (MDCSA's positional encoding).</summary>
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
        var c = node.P<ConstParams>().Values;
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = x[i] + c[i];
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var p = node.P<ConstParams>();
        string c = ctx.Table(Linear.TableName(node, "c"), DType.Float32, p.Values.Select(ctx.D.Lit).ToList());
        ctx.W.Open($"for (int i = 0; i < {p.Values.Length}; i++)");
        ctx.W.Line($"{ctx.At(node.Output, "i")} = {ctx.At(node.Inputs[0], "i")} + {c}[i];");
        ctx.W.Close();
    }

    public override string Describe(Node node) => $"const=f32[{node.P<ConstParams>().Values.Length}]";

    public override NodeCost Cost(Node node, Graph graph) => new(0, 0, node.P<ConstParams>().Values.Length * 4L, CostModel.ElementwiseCodeBytes);
}
