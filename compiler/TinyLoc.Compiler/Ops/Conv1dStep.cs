using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <c>conv1d_step</c> op: one time step of a causal <see cref="Conv1d"/> in a time-fused loop. Input the step's row
/// <c>x [1, In]</c>, output <c>y [1, Out]</c>; the carry holds the previous Kernel − 1 input rows, oldest first (zero
/// before the first step). Output step t sums exactly as the layer form does: from the bias, taps j ascending (taps j
/// &lt; Kernel − 1 − t fall in the left padding and are skipped, as there), input channels inner; the last tap reads the
/// new row. Then the history moves up one row and the new row goes last.
/// </summary>
public sealed record Conv1dStep(Conv1d Conv) : Op
{
    /// <summary>Floats of the history: Kernel − 1 rows of In.</summary>
    private int History => (Conv.Kernel - 1) * Conv.InChannels;

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        var (type, shape) = Conv.InferOutput(node, graph);
        if (shape[0] != 1)
        {
            throw OpChecks.Fail(node, $"a step reads one row, '{node.Inputs[0]}' has {graph[node.Inputs[0]].Shape[0]}");
        }

        return (type, new[] { 1, shape[1] });
    }

    public override void Evaluate(Node node, Evaluator ev)
    {
        var c = Conv;
        int k = c.Kernel, step = ev.Step;
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        float[] hist = k > 1 ? ev.F32(StepLoop.CarryOf(node)) : System.Array.Empty<float>(); // a kernel of 1 keeps no history
        for (int o = 0; o < c.OutChannels; o++)
        {
            // Taps before Kernel − 1 − step are the left padding; the last tap is the new row, the others the history.
            y[o] = c.Output(o, j => step + j >= k - 1, (j, ch) => j == k - 1 ? x[ch] : hist[(j * c.InChannels) + ch]);
        }

        if (k > 1)
        {
            System.Array.Copy(hist, c.InChannels, hist, 0, History - c.InChannels);
            System.Array.Copy(x, 0, hist, History - c.InChannels, c.InChannels);
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var c = Conv;
        var w = ctx.W;
        int k = c.Kernel, icg = c.InPerGroup, inCh = c.InChannels;
        var (tw, tb) = c.Tables(node, ctx);
        string carry = StepLoop.CarryOf(node), x = node.Inputs[0];
        string c0 = c.Groups == 1 ? "0" : c.OutPerGroup == 1 ? (icg == 1 ? "o" : $"o * {icg}") : $"o / {c.OutPerGroup} * {icg}";
        string Plus(string a, string b) => b == "0" ? a : a == "0" ? b : $"{a} + {b}";
        string wi(string j) => icg == 1 ? $"o * {k} + {j}" : $"(o * {k} + {j}) * {icg}";
        w.Open($"for (int o = 0; o < {c.OutChannels}; o++)");
        w.Line($"float acc = {tb}[o];");
        if (k > 1)
        {
            // Taps 0 … Kernel − 2 read the history; at step t the first Kernel − 1 − t of them are the left padding.
            w.Open($"for (int j = 0; j < {k - 1}; j++)");
            w.Line($"if (step + j < {k - 1}) {{ continue; }}");
            Tap(wi("j"), i => ctx.At(carry, Plus($"j * {inCh}", Plus(c0, i))));
            w.Close();
        }

        Tap(wi((k - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), i => ctx.At(x, Plus(c0, i)));
        w.Line($"{ctx.At(node.Output, "o")} = {ActivationOp.Expr(c.Act, "acc", ctx)};");
        w.Close();
        if (k > 1)
        {
            w.Line("/* The history moves up one row; the new row goes last. */");
            if (k > 2)
            {
                w.Open($"for (int i = 0; i < {History - inCh}; i++)");
                w.Line($"{ctx.At(carry, "i")} = {ctx.At(carry, $"i + {inCh}")};");
                w.Close();
            }

            w.Open($"for (int i = 0; i < {inCh}; i++)");
            w.Line($"{ctx.At(carry, $"{History - inCh} + i")} = {ctx.At(x, "i")};");
            w.Close();
        }

        // One tap: acc += W[o][tap][c] · input(c) over the group's input channels.
        void Tap(string weightIndex, System.Func<string, string> input)
        {
            if (icg == 1)
            {
                w.Line($"acc += {tw}[{weightIndex}] * {input("0")};");
                return;
            }

            w.Open($"for (int c = 0; c < {icg}; c++)");
            w.Line($"acc += {tw}[{weightIndex} + c] * {input("c")};");
            w.Close();
        }
    }

    public override int CarryFloats(Node node, Graph graph) => History;

    public override Activation AppliedActivation => Conv.Act;

    public override SoftFloatUse SoftFloat(Node node) => SoftFloatUse.FloatKernel;

    public override string Describe(Node node) => Conv.Describe(node) + " step";

    /// <summary>As the layer form counts: taps in the left padding (the first Kernel − 1 steps) do no work.</summary>
    public override long LoopMacs(Node node, Graph graph, CostModel costs, int steps)
    {
        long taps = 0;
        for (int t = 0; t < steps; t++)
        {
            taps += System.Math.Min(t + 1, Conv.Kernel);
        }

        return taps * Conv.OutChannels * Conv.InPerGroup;
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs) =>
        new((long)Conv.OutChannels * Conv.InPerGroup * Conv.Kernel, Conv.Weight.Length * 4L, Conv.Bias.Length * 4L, costs.LoopedConvCodeBytes);
}
