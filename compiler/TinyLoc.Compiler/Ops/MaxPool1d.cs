using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <c>maxpool1d</c> op: <c>[T, C]</c> → <c>[⌊(T − Kernel)/Stride⌋ + 1, C]</c>, per channel the maximum of
/// each window, taken as <c>m = x[first]; for later steps: if (v &gt; m) m = v</c>.
/// </summary>
/// <remarks>A pooling window over time: <c>Kernel</c> steps, moved by <c>Stride</c> (no padding).</remarks>
public sealed record MaxPool1d(int Kernel, int Stride) : Op
{
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.Barrier("pools across time steps");

    /// <summary>Output steps for <paramref name="steps"/> input steps: ⌊(T − Kernel) / Stride⌋ + 1 (PyTorch).</summary>
    public int OutSteps(int steps) => ((steps - Kernel) / Stride) + 1;

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        OpChecks.Arity(node, 1);
        var x = OpChecks.Matrix(node, graph, 0);
        if (Kernel < 1 || Stride < 1)
        {
            throw OpChecks.Fail(node, $"kernel {Kernel} and stride {Stride} must be at least 1");
        }

        if (x.Shape[0] < Kernel)
        {
            throw OpChecks.Fail(node, $"'{x.Name}' is {OpChecks.ShapeText(x)}: {x.Shape[0]} steps are fewer than the kernel {Kernel}");
        }

        return (DType.Float32, new[] { OutSteps(x.Shape[0]), x.Shape[1] });
    }

    public override void Evaluate(Node node, Evaluator ev)
    {
        var (steps, ch) = (ev.Graph[node.Output].Shape[0], ev.Graph[node.Output].Shape[1]);
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        for (int t = 0; t < steps; t++)
        {
            for (int c = 0; c < ch; c++)
            {
                float m = x[(t * Stride * ch) + c];
                for (int j = 1; j < Kernel; j++)
                {
                    float v = x[(((t * Stride) + j) * ch) + c];
                    if (v > m)
                    {
                        m = v;
                    }
                }

                y[(t * ch) + c] = m;
            }
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var (steps, ch) = (ctx.Graph[node.Output].Shape[0], ctx.Graph[node.Output].Shape[1]);
        var w = ctx.W;
        w.Open($"for (int t = 0; t < {steps}; t++)");
        w.Open($"for (int c = 0; c < {ch}; c++)");
        w.Line($"int xi = t * {Stride * ch} + c;");
        w.Line($"float m = {ctx.At(node.Inputs[0], "xi")};");
        w.Open($"for (int j = 1; j < {Kernel}; j++)");
        w.Line($"float v = {ctx.At(node.Inputs[0], $"xi + j * {ch}")};");
        w.Line("if (v > m) { m = v; }");
        w.Close();
        w.Line($"{ctx.At(node.Output, $"t * {ch} + c")} = m;");
        w.Close();
        w.Close();
    }

    public override string Describe(Node node)
    {
        return $"kernel={Kernel} stride={Stride}";
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs) => new(0, 0, 0, costs.LoopedPoolCodeBytes);
}
