using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// What <see cref="RmsNorm"/> and <see cref="LayerNorm"/> share: each row of <c>Features</c> values of the one float
/// input is normalised on its own (the shape check, the loop over rows, the weight table, the report line); the
/// two differ only in what they do to a row.
/// </summary>
public abstract record RowNorm(NormParams Norm) : Op
{
    /// <summary>Row by row: each output row reads the same row of its inputs only.</summary>
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.PerRow;

    /// <summary>True if the norm may have a bias (LayerNorm); RMSNorm has none.</summary>
    protected abstract bool TakesBias { get; }

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph) => Norm.Check(node, graph, TakesBias);

    public override void Evaluate(Node node, Evaluator ev)
    {
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        for (int at = 0; at < y.Length; at += Norm.Features)
        {
            Row(x, y, at);
        }
    }

    /// <summary>Normalises <c>x[at .. at + Features)</c> into <c>y</c>, with exactly the arithmetic of the emitted code.</summary>
    protected abstract void Row(float[] x, float[] y, int at);

    public override void Emit(Node node, EmitContext ctx)
    {
        int f = Norm.Features;
        string g = ctx.Table(ctx.TableName(node, "g"), DType.Float32, Norm.Weight, ctx.D.Lit, $"weight[{f}] float");
        ctx.W.Open($"for (int t = 0; t < {ctx.Graph[node.Output].Elements / f}; t++)");
        EmitRow(node, ctx, i => ctx.At(node.Inputs[0], $"t * {f} + {i}"), i => ctx.At(node.Output, $"t * {f} + {i}"), g);
        ctx.W.Close();
    }

    /// <summary>The body of the loop over rows <c>t</c>: <paramref name="x"/> and <paramref name="y"/> give element i of the row.</summary>
    protected abstract void EmitRow(Node node, EmitContext ctx, System.Func<string, string> x, System.Func<string, string> y, string weight);

    public override SoftFloatUse SoftFloat(Node node) => SoftFloatUse.FloatKernel;

    public override string Describe(Node node) =>
        $"features={Norm.Features} eps={Fmt.Float(Norm.Eps)}" + (TakesBias ? $" bias={(Norm.Bias is null ? "none" : "yes")}" : string.Empty);
}
