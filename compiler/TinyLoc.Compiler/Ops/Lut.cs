using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Ops;

/// <summary>The <c>lut</c> op: <c>y = table[x + 128]</c> (int8 tanh, sigmoid, silu).</summary>
/// <remarks>A 256-entry int8 → int8 table computed at compile time from a float function.</remarks>
public sealed record Lut(string Function, sbyte[] Table) : Op
{
    /// <summary>Row by row: each output row reads the same row of its inputs only.</summary>
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.PerRow;

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph) => (DType.Int8, OpChecks.Single(node, graph, DType.Int8).Shape);

    public override void Evaluate(Node node, Evaluator ev)
    {
        var t = Table;
        sbyte[] x = ev.I8(node.Inputs[0]), y = ev.I8(node.Output);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = t[x[i] + 128];
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        string t = ctx.Table(ctx.TableName(node, "lut"), DType.Int8, Table, v => Fmt.Int(v), $"{Function} on int8 codes: y = table[x + 128]");
        int n = ctx.Graph[node.Output].Elements;
        ctx.W.Open($"for (int i = 0; i < {n}; i++)");
        ctx.W.Line($"{ctx.At(node.Output, "i")} = {t}[{ctx.At(node.Inputs[0], "i")} + 128];");
        ctx.W.Close();
    }

    public override string Describe(Node node) => "fn=" + Function;

    public override NodeCost Cost(Node node, Graph graph, CostModel costs) => new(0, 0, 256, costs.ElementwiseCodeBytes);
}
