using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// Viterbi decoding of a linear-chain CRF over emissions <c>E [T', C]</c>, in float32 with one rounding per operation:
/// <code>
/// score[j]  = Start[j] + E[0,j]
/// score'[j] = max_i (score[i] + Trans[i,j])  + E[t,j]     for t = 1 … T'−1 (i ascending, strict &gt;: ties to the lowest i)
/// final[j]  = score[j] + End[j]
/// </code>
/// Last-tag mode writes <c>final</c> (O(C) memory: two score vectors in the float scratch, no back-pointers). Path mode
/// also keeps the argmax of every step as a back-pointer (int8 scratch, so at most 127 classes), takes the last tag as
/// the argmax of <c>final</c> (lowest index on ties) and walks the back-pointers to write every tag as a float.
/// </summary>
/// <remarks>
/// <c>crf</c>'s parameters, in the pytorch-crf layout: <paramref name="Start"/> and <paramref name="End"/> <c>[C]</c>,
/// <paramref name="Transitions"/> <c>[C, C]</c> with <c>[i, j]</c> = from tag i to tag j. <paramref name="Path"/>: output
/// the whole best tag path <c>[T']</c>; otherwise the final Viterbi scores <c>[C]</c> ("last tag" mode, whose argmax
/// with ties to the lowest index is the last tag of the best path).
/// </remarks>
public sealed record Crf(int Classes, float[] Start, float[] End, float[] Transitions, bool Path) : Op
{
    public override Stepping Stepping(Node node, Graph graph) => Ops.Stepping.Barrier("the CRF decodes the whole window");

    /// <summary>Most classes path mode takes: back-pointers are int8.</summary>
    public const int MaxPathClasses = 127;

    public override (DType Type, int[] Shape) InferOutput(Node node, Graph graph)
    {
        int c = Classes;
        if (c <= 0)
        {
            throw OpChecks.Fail(node, $"needs at least one class, has {c}");
        }

        if (Start.Length != c || End.Length != c || Transitions.Length != c * c)
        {
            throw OpChecks.Fail(node, $"start and end need {c} values and transitions {c}·{c} = {c * c}, they have {Start.Length}, {End.Length} and {Transitions.Length}");
        }

        if (Path && c > MaxPathClasses)
        {
            throw OpChecks.Fail(node, $"path mode keeps int8 back-pointers, so it takes at most {MaxPathClasses} classes, not {c}; decode the last tag only (path = false) or reduce the classes");
        }

        OpChecks.Arity(node, 1);
        var e = OpChecks.Matrix(node, graph, 0);
        if (e.Shape[1] != c || e.Shape[0] < 1)
        {
            throw OpChecks.Fail(node, $"emissions '{e.Name}' are [{e.Shape[0]}, {e.Shape[1]}], need [T', {c}] with T' ≥ 1 (one column per class)");
        }

        return (DType.Float32, new[] { Path ? e.Shape[0] : c });
    }

    public override void Evaluate(Node node, Evaluator ev)
    {
        int c = Classes;
        int steps = Steps(node, ev.Graph);
        float[] e = ev.F32(node.Inputs[0]), y = ev.F32(node.Output);
        var score = new float[c];
        var next = new float[c];
        var back = new int[(steps - 1) * c];
        for (int j = 0; j < c; j++)
        {
            score[j] = Start[j] + e[j];
        }

        for (int t = 1; t < steps; t++)
        {
            for (int j = 0; j < c; j++)
            {
                float best = score[0] + Transitions[j];
                int arg = 0;
                for (int i = 1; i < c; i++)
                {
                    float v = score[i] + Transitions[(i * c) + j];
                    if (v > best)
                    {
                        best = v;
                        arg = i;
                    }
                }

                next[j] = best + e[(t * c) + j];
                back[((t - 1) * c) + j] = arg;
            }

            (score, next) = (next, score);
        }

        if (!Path)
        {
            for (int j = 0; j < c; j++)
            {
                y[j] = score[j] + End[j];
            }

            return;
        }

        int tag = 0;
        float top = score[0] + End[0];
        for (int j = 1; j < c; j++)
        {
            float v = score[j] + End[j];
            if (v > top)
            {
                top = v;
                tag = j;
            }
        }

        y[steps - 1] = tag;
        for (int t = steps - 1; t > 0; t--)
        {
            tag = back[((t - 1) * c) + tag];
            y[t - 1] = tag;
        }
    }

    public override void Emit(Node node, EmitContext ctx)
    {
        var d = ctx.D;
        var w = ctx.W;
        int c = Classes;
        int steps = Steps(node, ctx.Graph);
        string e = node.Inputs[0];
        string ts = ctx.Table(ctx.TableName(node, "start"), DType.Float32, Start, d.Lit, $"start[{Classes}] transition scores");
        string te = ctx.Table(ctx.TableName(node, "end"), DType.Float32, End, d.Lit, $"end[{Classes}] transition scores");
        string s = ctx.ScratchF32(node, "the CRF's Viterbi scores");
        string cur = "0";
        w.Open($"for (int j = 0; j < {c}; j++)");
        w.Line($"{s}[j] = {ts}[j] + {ctx.At(e, "j")};");
        w.Close();
        if (steps > 1)
        {
            // The scores of step t-1 at s[cur], those of step t at s[nxt]; the halves swap after each step.
            string tt = ctx.Table(ctx.TableName(node, "trans"), DType.Float32, Transitions, d.Lit, $"transitions[{Classes}][{Classes}]: [from][to]");
            string? bp = Path ? ctx.Scratch(node, "CRF back-pointers") : null;
            cur = "cur";
            w.Line($"int cur = 0, nxt = {c};");
            w.Open($"for (int t = 1; t < {steps}; t++)");
            w.Open($"for (int j = 0; j < {c}; j++)");
            w.Line($"float best = {s}[cur] + {tt}[j];");
            if (bp is not null)
            {
                w.Line("int arg = 0;");
            }

            w.Open($"for (int i = 1; i < {c}; i++)");
            w.Line($"float v = {s}[cur + i] + {tt}[{c} * i + j];");
            w.Line(bp is null ? "if (v > best) { best = v; }" : "if (v > best) { best = v; arg = i; }");
            w.Close();
            w.Line($"{s}[nxt + j] = best + {ctx.At(e, $"{c} * t + j")};");
            if (bp is not null)
            {
                w.Line($"{bp}[{c} * (t - 1) + j] = ({d.I8})arg;");
            }

            w.Close();
            w.Line("cur = nxt;");
            w.Line($"nxt = {c} - nxt;");
            w.Close();
        }

        string Score(string j) => cur == "0" ? $"{s}[{j}]" : j == "0" ? $"{s}[cur]" : $"{s}[cur + {j}]";
        if (!Path)
        {
            w.Open($"for (int j = 0; j < {c}; j++)");
            w.Line($"{ctx.At(node.Output, "j")} = {Score("j")} + {te}[j];");
            w.Close();
            return;
        }

        w.Line("int tag = 0;");
        w.Line($"float top = {Score("0")} + {te}[0];");
        w.Open($"for (int j = 1; j < {c}; j++)");
        w.Line($"float v = {Score("j")} + {te}[j];");
        w.Line("if (v > top) { top = v; tag = j; }");
        w.Close();
        w.Line($"{ctx.At(node.Output, steps - 1)} = ({d.F32})tag;");
        if (steps > 1)
        {
            string bp = ctx.Scratch(node, "CRF back-pointers");
            w.Open($"for (int t = {steps - 1}; t > 0; t--)");
            w.Line($"tag = {bp}[{c} * (t - 1) + tag];");
            w.Line($"{ctx.At(node.Output, "t - 1")} = ({d.F32})tag;");
            w.Close();
        }
    }

    /// <summary>Path mode: one int8 back-pointer per class and step after the first.</summary>
    public override int ScratchBytes(Node node, Graph graph)
    {
        return Path ? BackPointerBytes(Steps(node, graph)) : 0;
    }

    /// <summary>Two score vectors (one when there is a single step).</summary>
    public override int ScratchF32Bytes(Node node, Graph graph) => 4 * ScoreFloats(Classes, Steps(node, graph));

    public override string Describe(Node node)
    {
        return $"classes={Classes} decode={(Path ? "path" : "last_tag")}";
    }

    /// <summary>One add-and-compare per (step after the first, from, to), counted as a MAC. A single step needs no transitions table.</summary>
    public override NodeCost Cost(Node node, Graph graph, CostModel costs)
    {
        long c = Classes;
        long steps = Steps(node, graph);
        long weights = Start.Length + End.Length + (steps > 1 ? Transitions.Length : 0);
        return new NodeCost((steps - 1) * c * c, 4 * weights, 0, costs.CrfViterbiCodeBytes + (Path ? costs.CrfBacktrackCodeBytes : 0));
    }

    private static int Steps(Node node, Graph graph) => graph[node.Inputs[0]].Shape[0];

    private static int ScoreFloats(int classes, int steps) => steps > 1 ? 2 * classes : classes;

    private int BackPointerBytes(int steps) => (steps - 1) * Classes;
}
