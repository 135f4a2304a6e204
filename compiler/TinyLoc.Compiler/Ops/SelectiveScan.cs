using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// Mamba's selective scan over one window. Inputs <c>xa [T, Di]</c>, <c>delta [T, Di]</c>, <c>dbc [T, W]</c>; output
/// <c>y [T, Di]</c>. The state <c>h [Di, N]</c> starts at 0 on every call and lives in the float scratch. For each t,
/// each channel c, each state n, in this order and with one rounding per operation:
/// <code>
/// dA  = exp(min(delta[t,c] · A[c,n], 0))    (the compiler's exp, TlMath.ExpNonPositive, written in the loop)
/// dBx = (delta[t,c] · B[t,n]) · xa[t,c]
/// h   = dA · h + dBx                        (product first, then the sum)
/// acc = acc + h · C[t,n]                    (acc starts at 0 for each (t, c))
/// </code>
/// then <c>y[t,c] = acc + D[c] · xa[t,c]</c>.
/// </summary>
/// <remarks>
/// <c>selective_scan</c>'s parameters: Di = <paramref name="Channels"/>, N = <paramref name="States"/>; B and C are the
/// columns <c>[BOffset, BOffset + N)</c> and <c>[COffset, COffset + N)</c> of each row of the third input (Mamba's
/// x_proj output <c>dbc</c>); <paramref name="A"/> <c>[Di·N]</c> is already <c>−exp(A_log)</c> (negative),
/// <paramref name="D"/> <c>[Di]</c> the skip weights.
/// </remarks>
public sealed record SelectiveScan(int Channels, int States, int BOffset, int COffset, float[] A, float[] D) : Op
{
    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        OpChecks.Arity(node, 3);
        if (Channels <= 0 || States <= 0)
        {
            throw OpChecks.Fail(node, $"needs at least one channel and one state, has {Channels} and {States}");
        }

        if (A.Length != Channels * States || D.Length != Channels)
        {
            throw OpChecks.Fail(node, $"A must have Channels·States = {Channels * States} values and D {Channels}, they have {A.Length} and {D.Length}");
        }

        var xa = OpChecks.Matrix(node, graph, 0);
        var delta = OpChecks.Matrix(node, graph, 1);
        var dbc = OpChecks.Matrix(node, graph, 2);
        int t = xa.Shape[0];
        foreach (var v in new[] { xa, delta })
        {
            if (v.Shape[1] != Channels)
            {
                throw OpChecks.Fail(node, $"'{v.Name}' is [{v.Shape[0]}, {v.Shape[1]}], needs [T, {Channels}] (one column per channel)");
            }
        }

        foreach (var v in new[] { delta, dbc })
        {
            if (v.Shape[0] != t)
            {
                throw OpChecks.Fail(node, $"'{v.Name}' has {v.Shape[0]} time steps but '{xa.Name}' has {t}");
            }
        }

        int width = dbc.Shape[1];
        foreach (var (what, offset) in new[] { ("B", BOffset), ("C", COffset) })
        {
            if (offset < 0 || offset + States > width)
            {
                throw OpChecks.Fail(node, $"{what} columns [{offset}, {offset + States}) do not fit in the {width} columns of '{dbc.Name}'");
            }
        }

        return (DType.Float32, new[] { t, Channels });
    }

    public override void Evaluate(Node node, Evaluator ev)
    {
        int steps = ev.Graph[node.Output].Shape[0];
        Run(node, ev, new float[Channels * States], steps);
    }

    /// <summary>
    /// <paramref name="steps"/> rows of the scan from the state <paramref name="h"/> (updated in place): the whole window
    /// here, one step in <see cref="SelectiveScanStep"/>.
    /// </summary>
    internal void Run(Node node, Evaluator ev, float[] h, int steps)
    {
        int di = Channels, ns = States;
        int width = ev.Graph[node.Inputs[2]].Shape[1];
        float[] xa = ev.F32(node.Inputs[0]), delta = ev.F32(node.Inputs[1]), dbc = ev.F32(node.Inputs[2]), y = ev.F32(node.Output);
        for (int t = 0; t < steps; t++)
        {
            for (int c = 0; c < di; c++)
            {
                float dt = delta[(t * di) + c];
                float x = xa[(t * di) + c];
                float acc = 0.0f;
                for (int n = 0; n < ns; n++)
                {
                    float dA = TlMath.ExpNonPositive(dt * A[(c * ns) + n]);
                    float dBx = dt * dbc[(t * width) + BOffset + n];
                    dBx = dBx * x;
                    float hv = dA * h[(c * ns) + n];
                    hv = hv + dBx;
                    h[(c * ns) + n] = hv;
                    acc = acc + (hv * dbc[(t * width) + COffset + n]);
                }

                y[(t * di) + c] = acc + (D[c] * x);
            }
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        string h = ctx.ScratchF32(node, "the selective-scan state");
        ctx.W.Open($"for (int i = 0; i < {Channels * States}; i++)");
        ctx.W.Line($"{h}[i] = 0.0f;");
        ctx.W.Close();
        EmitSteps(node, ctx, i => $"{h}[{i}]", ctx.Graph[node.Output].Shape[0]);
    }

    /// <summary>
    /// The code of <paramref name="steps"/> rows from the state whose element i is <paramref name="h"/>(i): a loop over the
    /// window's rows t here, the one row of a time-fused step in <see cref="SelectiveScanStep"/>.
    /// </summary>
    internal void EmitSteps(Node node, EmitContext ctx, System.Func<string, string> h, int steps)
    {
        var d = ctx.D;
        var w = ctx.W;
        int di = Channels, ns = States;
        int width = ctx.Graph[node.Inputs[2]].Shape[1];
        string ta = ctx.Table(ctx.TableName(node, "a"), DType.Float32, A, d.Lit, $"A[{Channels}][{States}] = -exp(A_log) float");
        string td = ctx.Table(ctx.TableName(node, "d"), DType.Float32, D, d.Lit, $"D[{Channels}] float skip weights");
        ctx.Use(Helper.Exp); // the decay reads the exp helper's scale table
        string xa = node.Inputs[0], delta = node.Inputs[1], dbc = node.Inputs[2];
        string Row(int stride, string column) => steps == 1 ? column : $"{stride} * t + {column}";
        if (steps > 1)
        {
            w.Open($"for (int t = 0; t < {steps}; t++)");
        }

        w.Open($"for (int c = 0; c < {di}; c++)");
        w.Line($"float dt = {ctx.At(delta, Row(di, "c"))};");
        w.Line($"float x = {ctx.At(xa, Row(di, "c"))};");
        w.Line("float acc = 0.0f;");
        w.Open($"for (int n = 0; n < {ns}; n++)");
        w.Line($"float dA, e = dt * {ta}[{ns} * c + n];");
        Helpers.EmitExpNonPositive(w, d, "e", "dA");
        w.Line($"float dBx = (dt * {ctx.At(dbc, Row(width, BOffset == 0 ? "n" : $"{BOffset} + n"))}) * x;");
        w.Line($"float hv = (dA * {h($"{ns} * c + n")}) + dBx;");
        w.Line($"{h($"{ns} * c + n")} = hv;");
        w.Line($"acc = acc + hv * {ctx.At(dbc, Row(width, COffset == 0 ? "n" : $"{COffset} + n"))};");
        w.Close();
        w.Line($"{ctx.At(node.Output, Row(di, "c"))} = acc + {td}[c] * x;");
        w.Close();
        if (steps > 1)
        {
            w.Close();
        }
    }

    /// <summary>One step at a time with the state as the loop's carry (<see cref="SelectiveScanStep"/>).</summary>
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.Carried(new SelectiveScanStep(this), "step form: the state h [channels, states] is the carry");

    public override int ScratchF32Bytes(Node node, Graph graph)
    {
        return Channels * States * 4;
    }

    /// <summary>The scan calls the compiler's exp for every state update (counted in the stack estimate).</summary>
    public override Activation AppliedActivation => Activation.Exp;

    public override SoftFloatUse SoftFloat(Node node) => SoftFloatUse.FloatKernel;

    public override string Describe(Node node)
    {
        return $"channels={Channels} states={States} b_offset={BOffset} c_offset={COffset}";
    }

    /// <summary>Per step and channel: N exps, and two MACs per state (the state update and the output sum), as models.md counts.</summary>
    public override NodeCost Cost(Node node, Graph graph, CostModel costs)
    {
        long steps = graph[node.Output].Shape[0];
        long macs = 2L * steps * Channels * States;
        return new NodeCost(macs, 4L * (A.Length + D.Length), 0, costs.SelectiveScanCodeBytes);
    }
}
