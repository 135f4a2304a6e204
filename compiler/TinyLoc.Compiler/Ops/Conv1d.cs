using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The float <c>conv1d</c> op: input <c>[T, In]</c> (time-major) → <c>[T', Out]</c>,
/// <c>y[t,o] = act(B[o] + Σ_j Σ_c W[o,c,j] · x[t·Stride − PadLeft + j, g(o)·In/Groups + c])</c>, summed from the
/// bias with taps j outer and input channels c inner, one rounding per step; taps that fall into the
/// padding are skipped (they would add zero). Dense, causal, strided and depthwise convolutions are all this op.
/// </summary>
/// <remarks>
/// A float 1-D convolution over time, as nn.Conv1d: <c>Weight</c> in PyTorch's layout <c>[Out, In/Groups, Kernel]</c>,
/// <c>Bias[Out]</c>, zero padding <c>PadLeft</c>/<c>PadRight</c> (causal: PadLeft = Kernel − 1), <c>Groups</c>
/// (depthwise: Groups = In = Out), and a fused activation.
/// </remarks>
public sealed record Conv1d(int InChannels, int OutChannels, int Kernel, int Stride, int PadLeft, int PadRight, int Groups, float[] Weight, float[] Bias, Activation Act) : Op, IFusesActivation, IAbsorbsAffine
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

    public Op WithActivation(Activation act) => this with { Act = act };

    public int Channels => OutChannels;

    public Op Absorb(float[] scale, float[] shift) => this with
    {
        Weight = System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Select(Weight, (w, i) => w * scale[i / (Weight.Length / OutChannels)])),
        Bias = System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Select(Bias, (b, o) => (b * scale[o]) + shift[o])),
    };

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        OpChecks.Arity(node, 1);
        var x = OpChecks.Matrix(node, graph, 0);
        if (Kernel < 1 || Stride < 1 || PadLeft < 0 || PadRight < 0 || Groups < 1)
        {
            throw OpChecks.Fail(node, $"kernel {Kernel}, stride {Stride}, groups {Groups} must be at least 1 and the padding ({PadLeft}, {PadRight}) not negative");
        }

        if (InChannels % Groups != 0 || OutChannels % Groups != 0)
        {
            throw OpChecks.Fail(node, $"{Groups} groups must divide the {InChannels} input and {OutChannels} output channels");
        }

        if (x.Shape[1] != InChannels)
        {
            throw OpChecks.Fail(node, $"weight expects {InChannels} input channels but '{x.Name}' is {OpChecks.ShapeText(x)} ([T, channels], time-major)");
        }

        if (Weight.Length != OutChannels * InPerGroup * Kernel || Bias.Length != OutChannels)
        {
            throw OpChecks.Fail(node, $"weight has {Weight.Length} values and bias {Bias.Length}, need [{OutChannels}, {InPerGroup}, {Kernel}] and [{OutChannels}]");
        }

        if (x.Shape[0] + PadLeft + PadRight < Kernel)
        {
            throw OpChecks.Fail(node, $"{x.Shape[0]} steps with padding ({PadLeft}, {PadRight}) are shorter than the kernel {Kernel}");
        }

        return (DType.Float32, new[] { OutSteps(x.Shape[0]), OutChannels });
    }

    public override void Evaluate(Node node, Evaluator ev)
    {
        int steps = ev.Graph[node.Inputs[0]].Shape[0];
        int outSteps = ev.Graph[node.Output].Shape[0];
        float[] x = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        for (int t = 0; t < outSteps; t++)
        {
            int first = FirstStep(t);
            for (int o = 0; o < OutChannels; o++)
            {
                y[(t * OutChannels) + o] = Output(o, j => first + j >= 0 && first + j < steps, (j, ch) => x[((first + j) * InChannels) + ch]);
            }
        }
    }

    /// <summary>
    /// One output channel as every form computes it: <c>act(Bias[o] + Σ_j Σ_c W[o,c,j] · input(j, ch))</c> from the bias,
    /// taps j ascending (those <paramref name="tapPresent"/> refuses fall in the padding and add nothing), input channels c
    /// inner, one rounding per step; <paramref name="input"/> gives tap j's value of input channel <c>ch</c>.
    /// </summary>
    internal float Output(int o, System.Func<int, bool> tapPresent, System.Func<int, int, float> input)
    {
        int icg = InPerGroup, c0 = (o / OutPerGroup) * icg;
        float acc = Bias[o];
        for (int j = 0; j < Kernel; j++)
        {
            if (!tapPresent(j))
            {
                continue;
            }

            for (int c = 0; c < icg; c++)
            {
                acc = acc + (Weight[(((o * icg) + c) * Kernel) + j] * input(j, c0 + c));
            }
        }

        return Act.Apply(acc);
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var w = ctx.W;
        int steps = ctx.Graph[node.Inputs[0]].Shape[0];
        int outSteps = ctx.Graph[node.Output].Shape[0];
        int icg = InPerGroup;
        var (tw, tb) = Tables(node, ctx);

        // Only the bounds the padding can break are tested: ti < 0 needs left padding, ti >= T right padding.
        string first = Sum(Times("t", Stride), -PadLeft);
        var bounds = new[] { PadLeft > 0 ? "ti < 0" : null, PadRight > 0 ? $"ti >= {steps}" : null }.Where(b => b is not null).ToList();
        string? c0 = Groups == 1 ? null : OutPerGroup == 1 ? Times("o", icg) : $"o / {OutPerGroup} * {icg}";
        w.Open($"for (int t = 0; t < {outSteps}; t++)");
        w.Open($"for (int o = 0; o < {OutChannels}; o++)");
        w.Line($"float acc = {tb}[o];");
        w.Open($"for (int j = 0; j < {Kernel}; j++)");
        w.Line($"int ti = {Sum(first, "j")};");
        if (bounds.Count > 0)
        {
            w.Line($"if ({string.Join(" || ", bounds)}) {{ continue; }}");
        }

        string xBase = Sum(Times("ti", InChannels), c0);
        string wBase = icg == 1 ? $"o * {Kernel} + j" : $"(o * {Kernel} + j) * {icg}";
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
        w.Line($"{ctx.At(node.Output, $"t * {OutChannels} + o")} = {ActivationOp.Expr(Act, "acc", ctx)};");
        w.Close();
        w.Close();
    }

    /// <summary>The weight table (<see cref="TapMajor"/>) and the bias table; also <see cref="Conv1dStep"/>'s.</summary>
    internal (string Weight, string Bias) Tables(Node node, EmitContext ctx) =>
        (ctx.Table(ctx.TableName(node, "w"), DType.Float32, TapMajor(), ctx.D.Lit, $"W[{OutChannels}][{Kernel}][{InPerGroup}] float: out channel, tap, in channel (PyTorch's [out][in][tap] reordered)"),
         ctx.Table(ctx.TableName(node, "b"), DType.Float32, Bias, ctx.D.Lit, $"bias[{OutChannels}] float"));

    /// <summary>True for a causal convolution (left padding Kernel − 1, none on the right, stride 1): output step t reads input steps t − Kernel + 1 … t.</summary>
    public bool IsCausal => Stride == 1 && PadRight == 0 && PadLeft == Kernel - 1;

    /// <summary>A causal convolution runs one step at a time, keeping its last Kernel − 1 input rows (<see cref="Conv1dStep"/>).</summary>
    public override Stepping Stepping(Node node, Graph graph) => IsCausal
        ? Ops.Stepping.Carried(new Conv1dStep(this), $"step form: the last {Kernel - 1} input rows are the carry")
        : Ops.Stepping.Barrier($"not causal (stride {Stride}, padding {PadLeft},{PadRight}): a step reads later steps");

    public override Activation AppliedActivation => Act;

    public override SoftFloatUse SoftFloat(Node node) => SoftFloatUse.FloatKernel;

    public override string Describe(Node node)
    {
        return $"W=f32[{OutChannels},{InPerGroup},{Kernel}] stride={Stride} pad={PadLeft},{PadRight} groups={Groups} act={Act.Name()}";
    }

    public override NodeCost Cost(Node node, Graph graph, CostModel costs)
    {
        int steps = graph[node.Inputs[0]].Shape[0];
        long taps = 0;
        for (int t = 0; t < graph[node.Output].Shape[0]; t++)
        {
            taps += Enumerable.Range(FirstStep(t), Kernel).Count(ti => ti >= 0 && ti < steps);
        }

        return new NodeCost(taps * OutChannels * InPerGroup, Weight.Length * 4L, Bias.Length * 4L, costs.LoopedConvCodeBytes);
    }

    /// <summary><c>v * n</c>, or <c>v</c> when n is 1.</summary>
    private static string Times(string v, int n) => n == 1 ? v : $"{v} * {Fmt.Int(n)}";

    /// <summary><c>a + b</c> without zero terms (b a constant, or null for none).</summary>
    private static string Sum(string a, int b) => b == 0 ? a : b < 0 ? $"{a} - {Fmt.Int(-b)}" : $"{a} + {Fmt.Int(b)}";

    private static string Sum(string a, string? b) => b is null ? a : $"{a} + {b}";
}
