using System;
using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The unrolled form of <see cref="QLinear"/>: the weights are immediates in the code and zero weights
/// are skipped. The portable form (C# and C) writes one sum per row. The C for Cortex-M cores with the
/// DSP extension computes <see cref="QLinearLooped.RowsPerBlock"/> rows at a time: each input word is
/// loaded and split into its even and odd bytes once (SXTB16), then every row adds it with two SMLAD
/// whose second operand is a constant holding two weights as halfwords; a pair of zero weights costs
/// nothing, and a group whose weights are all zero loads nothing.
/// </summary>
public static class QLinearUnrolled
{
    /// <summary>Writes the layer (split into functions of bounded size when it is large).</summary>
    public static void Emit(Node node, QLinear p, EmitContext ctx)
    {
        int rpb = QLinearLooped.RowsPerBlock;
        int blocks = (p.Out + rpb - 1) / rpb;
        RowFunctions.Emit(
            node,
            ctx,
            blocks,
            b => Enumerable.Range(b * rpb, Math.Min(rpb, p.Out - (b * rpb))).Sum(o => NonZero(p, o)),
            (bs, be) => Rows(node, p, ctx, bs * rpb, Math.Min(be * rpb, p.Out)),
            rpb,
            p.Out);
    }

    /// <summary>
    /// The code estimate (<see cref="CostModel"/>) of the kernel the core compiles. The DSP kernel (Cortex-M4):
    /// a constant and an SMLAD per nonzero weight pair, an input word per block and group with any nonzero
    /// weight, a scalar MAC per nonzero tail weight, and the per-row bias, requantisation and store. The
    /// portable kernel (every other core): a MAC per nonzero weight and the per-row work.
    /// </summary>
    public static long CodeBytes(QLinear p, CostModel costs)
    {
        if (!costs.Dsp)
        {
            // The portable kernel: one multiply-accumulate per nonzero weight, a row at a time.
            return (p.NonZeroWeights * (long)costs.UnrolledInt8MacCodeBytes) + (p.Out * (long)costs.UnrolledInt8RowCodeBytes);
        }

        int rpb = QLinearLooped.RowsPerBlock, groups = p.In / 4;
        long pairs = 0, words = 0, tail = 0;
        for (int o0 = 0; o0 < p.Out; o0 += rpb)
        {
            int rows = Math.Min(rpb, p.Out - o0);
            for (int g = 0; g < groups; g++)
            {
                int used = 0;
                for (int r = 0; r < rows; r++)
                {
                    int b = ((o0 + r) * p.In) + (4 * g);
                    used += (PackPair(p.Weight[b], p.Weight[b + 2]) != 0 ? 1 : 0) + (PackPair(p.Weight[b + 1], p.Weight[b + 3]) != 0 ? 1 : 0);
                }

                pairs += used;
                words += used > 0 ? 1 : 0;
            }

            for (int r = 0; r < rows; r++)
            {
                for (int k = 4 * groups; k < p.In; k++)
                {
                    tail += p.Weight[((o0 + r) * p.In) + k] != 0 ? 1 : 0;
                }
            }
        }

        return (pairs * costs.UnrolledInt8PairCodeBytes) + (words * costs.UnrolledInt8GroupCodeBytes)
            + (tail * costs.UnrolledInt8MacCodeBytes) + (p.Out * (long)costs.UnrolledInt8RowCodeBytes);
    }

    /// <summary>The nonzero weights of row <paramref name="o"/>.</summary>
    public static int NonZero(QLinear p, int o) => Enumerable.Range(0, p.In).Count(k => p.Weight[(o * p.In) + k] != 0);

    /// <summary>
    /// Two int8 weights as the halfwords of one SMLAD operand, sign-extended: <paramref name="lo"/> in bits
    /// 0–15, <paramref name="hi"/> in bits 16–31. Zero exactly when both weights are zero.
    /// </summary>
    public static int PackPair(sbyte lo, sbyte hi) => unchecked(((hi & 0xFFFF) << 16) | (lo & 0xFFFF));

    private static void Rows(Node node, QLinear p, EmitContext ctx, int start, int end)
    {
        var d = ctx.D;
        var w = ctx.W;
        string? dsp = d.IsC && p.In >= 4 ? ctx.Use(Helper.ArmDsp) : null;
        if (dsp is not null)
        {
            w.Directive($"#if {dsp}");
            for (int o0 = start; o0 < end; o0 += QLinearLooped.RowsPerBlock)
            {
                w.OpenBrace();
                DspBlock(node, p, ctx, o0, Math.Min(QLinearLooped.RowsPerBlock, end - o0));
                w.Close();
            }

            w.Directive("#else");
        }

        Portable(node, p, ctx, start, end);
        if (dsp is not null)
        {
            w.Directive("#endif");
        }
    }

    /// <summary>One sum per row, eight terms a line: <c>acc += 3u * (uint32_t)x[0] - 5u * (uint32_t)x[1] ...</c> (see <see cref="Dialect.DotAcc"/>).</summary>
    private static void Portable(Node node, QLinear p, EmitContext ctx, int start, int end)
    {
        var d = ctx.D;
        var w = ctx.W;
        string x = node.Inputs[0];
        string rq = ctx.Use(Helper.Requantize);
        w.Line($"{d.DotAcc} acc;");
        for (int o = start; o < end; o++)
        {
            w.Line($"acc = {d.DotInit(d.Lit(p.Bias[o]))};");
            var ks = Enumerable.Range(0, p.In).Where(k => p.Weight[(o * p.In) + k] != 0).ToList();
            for (int i = 0; i < ks.Count; i += 8)
            {
                var chunk = ks.Skip(i).Take(8).Select((k, j) => d.DotTerm(p.Weight[(o * p.In) + k], ctx.At(x, k), j == 0));
                w.Line($"acc += {string.Concat(chunk)};");
            }

            w.Line($"{ctx.At(node.Output, o)} = {rq}({d.DotValue("acc")}, {d.Lit(p.Multiplier[o])}, {d.Lit(p.Shift[o])}, {Tail(p, d)});");
            if (d.IsC)
            {
                w.Line($"{ctx.Use(Helper.Fence)}({ctx.ObjectOf(x)});");
            }
        }
    }

    /// <summary>Rows o0 .. o0 + rows − 1 with dual 16-bit MACs (C, DSP extension only).</summary>
    private static void DspBlock(Node node, QLinear p, EmitContext ctx, int o0, int rows)
    {
        var d = ctx.D;
        var w = ctx.W;
        string x = node.Inputs[0];
        string rq = ctx.Use(Helper.Requantize);
        int groups = p.In / 4;
        sbyte W(int r, int k) => p.Weight[((o0 + r) * p.In) + k];
        int Even(int r, int g) => PackPair(W(r, 4 * g), W(r, (4 * g) + 2));
        int Odd(int r, int g) => PackPair(W(r, (4 * g) + 1), W(r, (4 * g) + 3));
        string pair = ArmDsp.Pair(d);
        string EvenText(int r, int g) => $"{pair}({Fmt.Int(W(r, 4 * g))}, {Fmt.Int(W(r, (4 * g) + 2))})";
        string OddText(int r, int g) => $"{pair}({Fmt.Int(W(r, (4 * g) + 1))}, {Fmt.Int(W(r, (4 * g) + 3))})";
        bool anyEven = Enumerable.Range(0, groups).Any(g => Enumerable.Range(0, rows).Any(r => Even(r, g) != 0));
        bool anyOdd = Enumerable.Range(0, groups).Any(g => Enumerable.Range(0, rows).Any(r => Odd(r, g) != 0));

        for (int r = 0; r < rows; r++)
        {
            w.Line($"int32_t a{r} = {d.Lit(p.Bias[o0 + r])};");
        }

        if (anyEven || anyOdd)
        {
            w.Line("int32_t xv;");
        }

        if (anyEven)
        {
            w.Line("int32_t xe;");
        }

        if (anyOdd)
        {
            w.Line("int32_t xo;");
        }

        for (int g = 0; g < groups; g++)
        {
            bool even = Enumerable.Range(0, rows).Any(r => Even(r, g) != 0);
            bool odd = Enumerable.Range(0, rows).Any(r => Odd(r, g) != 0);
            if (!even && !odd)
            {
                continue;
            }

            w.Line($"memcpy(&xv, &{ctx.At(x, 4 * g)}, 4);");
            if (even)
            {
                w.Line("xe = __sxtb16(xv);");
            }

            if (odd)
            {
                w.Line($"xo = {ArmDsp.SxtbRor8(d)}(xv);");
            }

            for (int r = 0; r < rows; r++)
            {
                if (Even(r, g) != 0)
                {
                    w.Line($"a{r} = __smlad(xe, {EvenText(r, g)}, a{r});");
                }

                if (Odd(r, g) != 0)
                {
                    w.Line($"a{r} = __smlad(xo, {OddText(r, g)}, a{r});");
                }
            }

            w.Line($"{ctx.Use(Helper.Fence)}({ctx.ObjectOf(x)});");
        }

        for (int r = 0; r < rows; r++)
        {
            var ks = Enumerable.Range(4 * groups, p.In - (4 * groups)).Where(k => W(r, k) != 0).ToList();
            if (ks.Count > 0)
            {
                w.Line($"a{r} += {string.Concat(ks.Select((k, j) => d.Term(W(r, k), ctx.At(x, k), j == 0)))};");
            }
        }

        for (int r = 0; r < rows; r++)
        {
            int o = o0 + r;
            w.Line($"{ctx.At(node.Output, o)} = {rq}(a{r}, {d.Lit(p.Multiplier[o])}, {d.Lit(p.Shift[o])}, {Tail(p, d)});");
        }
    }

    private static string Tail(QLinear p, Dialect d) => $"{d.Lit(p.OutZeroPoint)}, {d.Lit(p.Lo)}, {d.Lit(p.Hi)}";
}
