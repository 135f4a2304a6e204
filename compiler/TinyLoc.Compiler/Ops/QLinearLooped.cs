using System;
using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The looped form of <see cref="QLinear"/>: weights in a table, rows computed four at a time so each
/// input word is loaded once per four rows. The table is laid out for that walk (<see cref="Layout"/>);
/// the C for Cortex-M cores with the DSP extension reads it as words and does four MACs with two SXTB16
/// and two SMLAD, and everything else (C# and portable C) reads the same bytes one at a time.
/// </summary>
public static class QLinearLooped
{
    /// <summary>Rows computed together: their accumulators, the input word's halves and the pointers fit in Thumb-2 registers.</summary>
    public const int RowsPerBlock = 4;

    /// <summary>
    /// The weight table's order: rows in blocks of <see cref="RowsPerBlock"/> (the last one may be
    /// smaller); within a block, for each group of four inputs, each row's four weights; after all
    /// blocks, the In % 4 tail weights of every row, row by row. A block starts at <c>o · 4·(In/4)</c>,
    /// a multiple of 4, so the words of the DSP kernel are aligned; the table is a permutation of W.
    /// </summary>
    public static sbyte[] Layout(QLinear p)
    {
        int groups = p.In / 4, tail = p.In % 4;
        var t = new sbyte[p.Out * p.In];
        int pos = 0;
        for (int o0 = 0; o0 < p.Out; o0 += RowsPerBlock)
        {
            int rows = Math.Min(RowsPerBlock, p.Out - o0);
            for (int g = 0; g < groups; g++)
            {
                for (int r = 0; r < rows; r++)
                {
                    for (int j = 0; j < 4; j++)
                    {
                        t[pos++] = p.Weight[((o0 + r) * p.In) + (4 * g) + j];
                    }
                }
            }
        }

        for (int o = 0; o < p.Out; o++)
        {
            for (int j = 0; j < tail; j++)
            {
                t[pos++] = p.Weight[(o * p.In) + (4 * groups) + j];
            }
        }

        return t;
    }

    /// <summary>How many kinds of row block a layer of <paramref name="rows"/> rows has: the four-row block loop, the last Out % 4 rows.</summary>
    public static int BlockKinds(int rows) => (rows >= RowsPerBlock ? 1 : 0) + (rows % RowsPerBlock != 0 ? 1 : 0);

    /// <summary>
    /// Writes the layer; <paramref name="wide"/> (C with the DSP prelude only) gives the <see cref="LayerForm.Wide"/> form:
    /// where the DSP kernels are compiled, blocks of <see cref="QLinearWide.RowsPerBlock"/> rows over the int16-pair table
    /// of <see cref="QLinearWide.Layout"/>; elsewhere the portable loop over this form's table, as without it.
    /// </summary>
    public static void Emit(Node node, QLinear p, EmitContext ctx, bool wide = false)
    {
        var d = ctx.D;
        var w = ctx.W;
        wide = wide && d.IsC && p.In >= 4;
        string name = ctx.TableName(node, "w");
        string note = $"W[{p.Out}][{p.In}] int8, a scale per row, in blocks of {RowsPerBlock} rows";
        string tw = wide
            ? ctx.DspTable(name, QLinearWide.Layout(p), $"W[{p.Out}][{p.In}] as int16 pairs (even, odd inputs of each four) per row, in blocks of {QLinearWide.RowsPerBlock} rows", () => ctx.WordTable(name, Layout(p), v => Fmt.Int(v), note))
            : ctx.WordTable(name, Layout(p), v => Fmt.Int(v), note);
        string tb = ctx.Table(ctx.TableName(node, "b"), DType.Int32, p.Bias, d.Lit, $"[{p.Out}] int32 bias minus input zero point x row sum");
        string tm = ctx.Table(ctx.TableName(node, "m"), DType.Int32, p.Multiplier, d.Lit, $"[{p.Out}] Q31 output multipliers");
        string ts = ctx.Table(ctx.TableName(node, "s"), DType.Int8, p.Shift, v => Fmt.Int(v), $"[{p.Out}] right shifts after the multiplier");
        // Every shift above 32 (the usual case: multipliers below 1/2): the high-word requantisation, with no test of the
        // shift per output; otherwise the general helper, which tests it.
        string rq = ctx.Use(p.Shift.All(s => s > 32) ? Helper.RequantizeHigh : Helper.Requantize);
        string? dsp = d.IsC && p.In >= 4 ? ctx.Use(Helper.ArmDsp) : null;
        var k = new Kernel(node, p, ctx, tw, tb, tm, ts, rq, dsp);
        if (wide)
        {
            w.Directive($"#if {dsp}");
            Blocks(k, p.Out, QLinearWide.RowsPerBlock, KernelMode.Wide);
            w.Directive("#else");
            Blocks(k, p.Out, RowsPerBlock, KernelMode.Portable);
            w.Directive("#endif");
        }
        else
        {
            Blocks(k, p.Out, RowsPerBlock, dsp is null ? KernelMode.Portable : KernelMode.Dsp);
        }
    }

    private static void Blocks(Kernel k, int rowsTotal, int perBlock, KernelMode mode)
    {
        var w = k.Writer;
        int full = rowsTotal - (rowsTotal % perBlock);
        if (full > 0)
        {
            w.Open($"for (int o = 0; o < {full}; o += {perBlock})");
            k.Block("o", perBlock, mode);
            w.Close();
        }

        if (full < rowsTotal)
        {
            w.OpenBrace();
            k.Block(full.ToString(System.Globalization.CultureInfo.InvariantCulture), rowsTotal - full, mode);
            w.Close();
        }
    }

    /// <summary>What a block's groups of four inputs compile to.</summary>
    private enum KernelMode
    {
        /// <summary>Bytes one at a time (C# and portable C).</summary>
        Portable,

        /// <summary>The DSP kernel on int8 words (SXTB16 per weight word), the portable code beside it.</summary>
        Dsp,

        /// <summary>The DSP kernel on int16-pair words (C, inside the DSP branch only).</summary>
        Wide,
    }

    /// <summary>The statements of one block of rows, given the expression of its first row.</summary>
    private sealed class Kernel
    {
        private readonly Node _node;
        private readonly QLinear _p;
        private readonly EmitContext _ctx;
        private readonly string _w;
        private readonly string _b;
        private readonly string _m;
        private readonly string _s;
        private readonly string _rq;
        private readonly string? _dsp;

        public Kernel(Node node, QLinear p, EmitContext ctx, string w, string b, string m, string s, string rq, string? dsp)
        {
            _node = node;
            _p = p;
            _ctx = ctx;
            _w = w;
            _b = b;
            _m = m;
            _s = s;
            _rq = rq;
            _dsp = dsp;
        }

        public CodeWriter Writer => _ctx.W;

        public void Block(string o, int rows, KernelMode mode)
        {
            var d = _ctx.D;
            var w = _ctx.W;
            string x = _node.Inputs[0];
            int groups = _p.In / 4, tail = _p.In % 4;
            string w8 = mode == KernelMode.Wide ? _w : _ctx.I8Of(_w);
            for (int r = 0; r < rows; r++)
            {
                w.Line($"{d.I32} a{r} = {_b}[{Plus(o, r)}];");
            }

            if (groups > 0 && mode == KernelMode.Wide)
            {
                WideGroups(o, rows, groups);
            }
            else if (groups > 0)
            {
                if (mode == KernelMode.Dsp)
                {
                    w.Directive($"#if {_dsp}");
                    DspGroups(o, rows, groups);
                    w.Directive("#else");
                }

                w.Line($"int wi = {Times(o, 4 * groups)};");
                w.Open($"for (int k = 0; k < {4 * groups}; k += 4)");
                for (int j = 0; j < 4; j++)
                {
                    w.Line($"{d.I32} x{j} = {_ctx.At(x, j == 0 ? "k" : $"k + {j}")};");
                }

                for (int r = 0; r < rows; r++)
                {
                    string terms = string.Join(" + ", Enumerable.Range(0, 4).Select(j => $"{w8}[wi + {(4 * r) + j}] * x{j}").ToArray());
                    w.Line($"a{r} += {terms.Replace("[wi + 0]", "[wi]")};");
                }

                w.Line($"wi += {4 * rows};");
                w.Close();
                if (mode == KernelMode.Dsp)
                {
                    w.Directive("#endif");
                }
            }

            if (tail > 0)
            {
                int tailBase = _p.Out * (mode == KernelMode.Wide ? 2 : 4) * groups;
                w.Line($"int ti = {tailBase} + {Times(o, tail)};");
                for (int r = 0; r < rows; r++)
                {
                    string terms = string.Join(" + ", Enumerable.Range(0, tail).Select(j => $"{w8}[ti + {(tail * r) + j}] * {_ctx.At(x, (4 * groups) + j)}").ToArray());
                    w.Line($"a{r} += {terms.Replace("[ti + 0]", "[ti]")};");
                }
            }

            string tailArgs = $"{d.Lit(_p.OutZeroPoint)}, {d.Lit(_p.Lo)}, {d.Lit(_p.Hi)}";
            for (int r = 0; r < rows; r++)
            {
                string row = Plus(o, r);
                w.Line($"{_ctx.At(_node.Output, row)} = {_rq}(a{r}, {_m}[{row}], {_s}[{row}], {tailArgs});");
            }
        }

        /// <summary>
        /// The DSP kernel's groups (C only): per group one input word split into even and odd bytes, then one
        /// word of four weights per row (<c>NAME_dot4</c>: two SXTB16, two SMLAD). Two groups per iteration,
        /// with the fence between them (without it gcc interleaves the two and spills; given the input
        /// pointer rather than the whole arena, so that nothing else is reloaded); an odd last group
        /// follows the loop.
        /// </summary>
        private void DspGroups(string o, int rows, int groups)
        {
            var d = _ctx.D;
            var w = _ctx.W;
            Pointers($"{_ctx.W32Of(_w)}[{Times(o, groups)}]");
            if (groups >= 2)
            {
                w.Open($"for (int g = 0; g < {groups / 2}; g++)");
                DspGroup(rows, "xp", 0);
                w.Line($"{_ctx.Use(Helper.Fence)}(xp);");
                DspGroup(rows, "xp + 4", rows);
                w.Line("xp += 8;");
                w.Line($"wp += {2 * rows};");
                w.Close();
            }

            if (groups % 2 == 1)
            {
                DspGroup(rows, "xp", 0);
            }
        }

        /// <summary>
        /// The wide kernel's groups (C, DSP branch): per group one input word split into even and odd bytes, then per
        /// row one LDRD of its two int16-pair words and two SMLAD; <see cref="QLinearWide.GroupsPerIteration"/> groups per
        /// iteration (fenced from each other like <see cref="DspGroups"/>), the rest after the loop.
        /// </summary>
        private void WideGroups(string o, int rows, int groups)
        {
            var w = _ctx.W;
            int per = QLinearWide.GroupsPerIteration;
            Pointers($"{_w}[{Times(o, 2 * groups)}]");
            w.Line("int32_t we;");
            w.Line("int32_t wo;");
            if (groups >= per)
            {
                w.Open($"for (int g = 0; g < {groups / per}; g++)");
                WideRun(rows, per);
                w.Line($"xp += {4 * per};");
                w.Line($"wp += {2 * rows * per};");
                w.Close();
            }

            WideRun(rows, groups % per);
        }

        private void WideRun(int rows, int count)
        {
            var w = _ctx.W;
            var d = _ctx.D;
            for (int j = 0; j < count; j++)
            {
                if (j > 0)
                {
                    w.Line($"{_ctx.Use(Helper.Fence)}(xp);");
                }

                w.Line(j == 0 ? "memcpy(&xv, xp, 4);" : $"memcpy(&xv, xp + {4 * j}, 4);");
                w.Line("xe = __sxtb16(xv);");
                w.Line($"xo = {ArmDsp.SxtbRor8(d)}(xv);");
                for (int r = 0; r < rows; r++)
                {
                    int offset = 4 * ((2 * rows * j) + (2 * r));
                    w.Line($"{ArmDsp.Ldrd(d)}(wp, {Fmt.Int(offset)}, we, wo);");
                    w.Line($"a{r} = __smlad(xe, we, a{r});");
                    w.Line($"a{r} = __smlad(xo, wo, a{r});");
                }
            }
        }

        /// <summary>The DSP kernels' declarations: the weight pointer at <paramref name="firstWord"/>, the input pointer, the input word's halves.</summary>
        private void Pointers(string firstWord)
        {
            var w = _ctx.W;
            w.Line($"const int32_t *wp = &{firstWord};");
            w.Line($"const int8_t *xp = &{_ctx.At(_node.Inputs[0], 0)};");
            w.Line("int32_t xv;");
            w.Line("int32_t xe;");
            w.Line("int32_t xo;");
        }

        private void DspGroup(int rows, string xp, int first)
        {
            var w = _ctx.W;
            string dot4 = ArmDsp.Dot4(_ctx.D);
            w.Line($"memcpy(&xv, {xp}, 4);");
            w.Line("xe = __sxtb16(xv);");
            w.Line($"xo = {ArmDsp.SxtbRor8(_ctx.D)}(xv);");
            for (int r = 0; r < rows; r++)
            {
                w.Line($"a{r} = {dot4}(a{r}, wp[{first + r}], xe, xo);");
            }
        }

        private static string Plus(string o, int r) => Literal(o) is int v ? Fmt.Int(v + r) : r == 0 ? o : $"{o} + {r}";

        private static string Times(string o, int n) => Literal(o) is int v ? Fmt.Int(v * n) : $"{o} * {n}";

        private static int? Literal(string o) =>
            int.TryParse(o, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v) ? v : null;
    }
}
