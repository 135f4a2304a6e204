using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// A float 1-D convolution over time, as nn.Conv1d: <c>Weight</c> in PyTorch's layout <c>[Out, In/Groups, Kernel]</c>,
/// <c>Bias[Out]</c>, zero padding <c>PadLeft</c>/<c>PadRight</c> (causal: PadLeft = Kernel − 1), <c>Groups</c>
/// (depthwise: Groups = In = Out), and a fused activation.
/// </summary>
public sealed record ConvParams(int InChannels, int OutChannels, int Kernel, int Stride, int PadLeft, int PadRight, int Groups, float[] Weight, float[] Bias, Activation Act)
{
    /// <summary>Input channels each output reads (In / Groups).</summary>
    public int InPerGroup => InChannels / Groups;

    /// <summary>Output channels per group (Out / Groups).</summary>
    public int OutPerGroup => OutChannels / Groups;

    /// <summary>Output steps for <paramref name="steps"/> input steps: ⌊(T + PadLeft + PadRight − Kernel) / Stride⌋ + 1 (PyTorch).</summary>
    public int OutSteps(int steps) => ((steps + PadLeft + PadRight - Kernel) / Stride) + 1;

    /// <summary>The first input step output step <paramref name="t"/> reads (tap 0); negative inside the left padding.</summary>
    public int FirstStep(int t) => (t * Stride) - PadLeft;

    /// <summary>
    /// The weights in the order the emitted loops walk them, <c>[Out, Kernel, In/Groups]</c>: for an output channel,
    /// tap by tap, the input channels of the tap contiguous.
    /// </summary>
    public float[] TapMajor()
    {
        int icg = InPerGroup;
        var t = new float[Weight.Length];
        for (int o = 0; o < OutChannels; o++)
        {
            for (int j = 0; j < Kernel; j++)
            {
                for (int c = 0; c < icg; c++)
                {
                    t[(((o * Kernel) + j) * icg) + c] = Weight[(((o * icg) + c) * Kernel) + j];
                }
            }
        }

        return t;
    }
}

/// <summary>
/// The float <c>conv1d</c> op: input <c>[T, In]</c> (time-major) → <c>[T', Out]</c>,
/// <c>y[t,o] = act(B[o] + Σ_j Σ_c W[o,c,j] · x[t·Stride − PadLeft + j, g(o)·In/Groups + c])</c>, summed from the
/// bias with taps j outer and input channels c inner, one rounding per step; taps that fall into the
/// padding are skipped (they would add zero). Dense, causal, strided and depthwise convolutions are all this op.
/// </summary>
public sealed class Conv1d : Op
{
    public static readonly Conv1d Instance = new();

    public override string Name => "conv1d";

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        var p = node.P<ConvParams>();
        OpChecks.Arity(node, 1);
        var x = OpChecks.Matrix(node, graph, 0);
        if (p.Kernel < 1 || p.Stride < 1 || p.PadLeft < 0 || p.PadRight < 0 || p.Groups < 1)
        {
            throw OpChecks.Fail(node, $"kernel {p.Kernel}, stride {p.Stride}, groups {p.Groups} must be at least 1 and the padding ({p.PadLeft}, {p.PadRight}) not negative");
        }

        if (p.InChannels % p.Groups != 0 || p.OutChannels % p.Groups != 0)
        {
            throw OpChecks.Fail(node, $"{p.Groups} groups must divide the {p.InChannels} input and {p.OutChannels} output channels");
        }

        if (x.Shape[1] != p.InChannels)
        {
            throw OpChecks.Fail(node, $"weight expects {p.InChannels} input channels but '{x.Name}' is {OpChecks.ShapeText(x)} ([T, channels], time-major)");
        }

        if (p.Weight.Length != p.OutChannels * p.InPerGroup * p.Kernel || p.Bias.Length != p.OutChannels)
        {
            throw OpChecks.Fail(node, $"weight has {p.Weight.Length} values and bias {p.Bias.Length}, need [{p.OutChannels}, {p.InPerGroup}, {p.Kernel}] and [{p.OutChannels}]");
        }

        if (x.Shape[0] + p.PadLeft + p.PadRight < p.Kernel)
        {
            throw OpChecks.Fail(node, $"{x.Shape[0]} steps with padding ({p.PadLeft}, {p.PadRight}) are shorter than the kernel {p.Kernel}");
        }

        return (DType.Float32, new[] { p.OutSteps(x.Shape[0]), p.OutChannels });
    }

    public override void Evaluate(Node node, Evaluator ev)
    {
        var p = node.P<ConvParams>();
        int steps = ev.Graph[node.Inputs[0]].Shape[0];
        int outSteps = ev.Graph[node.Output].Shape[0];
        int icg = p.InPerGroup;
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        for (int t = 0; t < outSteps; t++)
        {
            for (int o = 0; o < p.OutChannels; o++)
            {
                int c0 = (o / p.OutPerGroup) * icg;
                float acc = p.Bias[o];
                for (int j = 0; j < p.Kernel; j++)
                {
                    int ti = p.FirstStep(t) + j;
                    if (ti < 0 || ti >= steps)
                    {
                        continue;
                    }

                    for (int c = 0; c < icg; c++)
                    {
                        acc = acc + (p.Weight[(((o * icg) + c) * p.Kernel) + j] * x[(ti * p.InChannels) + c0 + c]);
                    }
                }

                y[(t * p.OutChannels) + o] = p.Act.Apply(acc);
            }
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var p = node.P<ConvParams>();
        var w = ctx.W;
        int steps = ctx.Graph[node.Inputs[0]].Shape[0];
        int outSteps = ctx.Graph[node.Output].Shape[0];
        int icg = p.InPerGroup;
        string tw = ctx.Table(Linear.TableName(node, "w"), DType.Float32, p.TapMajor(), ctx.D.Lit);
        string tb = ctx.Table(Linear.TableName(node, "b"), DType.Float32, p.Bias, ctx.D.Lit);

        // Only the bounds the padding can break are tested: ti < 0 needs left padding, ti >= T right padding.
        string first = Sum(Times("t", p.Stride), -p.PadLeft);
        var bounds = new[] { p.PadLeft > 0 ? "ti < 0" : null, p.PadRight > 0 ? $"ti >= {steps}" : null }.Where(b => b is not null).ToList();
        string? c0 = p.Groups == 1 ? null : p.OutPerGroup == 1 ? Times("o", icg) : $"o / {p.OutPerGroup} * {icg}";
        w.Open($"for (int t = 0; t < {outSteps}; t++)");
        w.Open($"for (int o = 0; o < {p.OutChannels}; o++)");
        w.Line($"float acc = {tb}[o];");
        w.Open($"for (int j = 0; j < {p.Kernel}; j++)");
        w.Line($"int ti = {Sum(first, "j")};");
        if (bounds.Count > 0)
        {
            w.Line($"if ({string.Join(" || ", bounds)}) {{ continue; }}");
        }

        string xBase = Sum(Times("ti", p.InChannels), c0);
        string wBase = icg == 1 ? $"o * {p.Kernel} + j" : $"(o * {p.Kernel} + j) * {icg}";
        if (icg == 1)
        {
            w.Line($"acc += {tw}[{wBase}] * {ctx.At(node.Inputs[0], xBase)};");
        }
        else
        {
            w.Line($"int wi = {wBase};");
            w.Line($"int xi = {xBase};");
            w.Open($"for (int c = 0; c < {icg}; c++)");
            w.Line($"acc += {tw}[wi + c] * {ctx.At(node.Inputs[0], "xi + c")};");
            w.Close();
        }

        w.Close();
        w.Line($"{ctx.At(node.Output, $"t * {p.OutChannels} + o")} = {ActivationOp.Expr(p.Act, "acc", ctx)};");
        w.Close();
        w.Close();
    }

    public override Activation AppliedActivation(Node node) => node.P<ConvParams>().Act;

    public override string Describe(Node node)
    {
        var p = node.P<ConvParams>();
        return $"W=f32[{p.OutChannels},{p.InPerGroup},{p.Kernel}] stride={p.Stride} pad={p.PadLeft},{p.PadRight} groups={p.Groups} act={p.Act.Name()}";
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs)
    {
        var p = node.P<ConvParams>();
        int steps = graph[node.Inputs[0]].Shape[0];
        long taps = 0;
        for (int t = 0; t < graph[node.Output].Shape[0]; t++)
        {
            taps += Enumerable.Range(p.FirstStep(t), p.Kernel).Count(ti => ti >= 0 && ti < steps);
        }

        return new NodeCost(taps * p.OutChannels * p.InPerGroup, p.Weight.Length * 4L, p.Bias.Length * 4L, costs.LoopedConvCodeBytes);
    }

    /// <summary><c>v * n</c>, or <c>v</c> when n is 1.</summary>
    private static string Times(string v, int n) => n == 1 ? v : $"{v} * {Fmt.Int(n)}";

    /// <summary><c>a + b</c> without zero terms (b a constant, or null for none).</summary>
    private static string Sum(string a, int b) => b == 0 ? a : b < 0 ? $"{a} - {Fmt.Int(-b)}" : $"{a} + {Fmt.Int(b)}";

    private static string Sum(string a, string? b) => b is null ? a : $"{a} + {b}";
}
