using System;
using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The looped form of the float <see cref="Linear"/>: rows computed <see cref="QLinearLooped.RowsPerBlock"/>
/// at a time, so each input is loaded once per block, with the weight table laid out for that walk
/// (<see cref="Layout"/>). Every row still sums its products in input order, one rounding per step,
/// exactly as the reference evaluator does: only the interleaving of independent rows changes.
/// </summary>
public static class LinearLooped
{
    /// <summary>
    /// The weight table's order: rows in blocks of <see cref="QLinearLooped.RowsPerBlock"/> (the last one
    /// may be smaller); within a block, for each input k, the weight of every row. Block o starts at o·In.
    /// </summary>
    public static float[] Layout(Linear p)
    {
        int rpb = QLinearLooped.RowsPerBlock;
        var t = new float[p.Out * p.In];
        int pos = 0;
        for (int o0 = 0; o0 < p.Out; o0 += rpb)
        {
            int rows = Math.Min(rpb, p.Out - o0);
            for (int k = 0; k < p.In; k++)
            {
                for (int r = 0; r < rows; r++)
                {
                    t[pos++] = p.Weight[((o0 + r) * p.In) + k];
                }
            }
        }

        return t;
    }

    /// <summary>Writes the layer.</summary>
    public static void Emit(Node node, Linear p, EmitContext ctx)
    {
        var w = ctx.W;
        int rpb = QLinearLooped.RowsPerBlock;
        string tw = ctx.Table(ctx.TableName(node, "w"), DType.Float32, Layout(p), ctx.D.Lit, $"W[{p.Out}][{p.In}] float in blocks of {QLinearLooped.RowsPerBlock} rows: block, input, row");
        string? tb = p.HasBias ? ctx.Table(ctx.TableName(node, "b"), DType.Float32, p.Bias, ctx.D.Lit, $"bias[{p.Out}] float") : null;
        int full = p.Out - (p.Out % rpb);
        if (full > 0)
        {
            w.Open($"for (int o = 0; o < {full}; o += {rpb})");
            Block(node, p, ctx, tw, tb, "o", rpb);
            w.Close();
        }

        if (full < p.Out)
        {
            w.OpenBrace();
            Block(node, p, ctx, tw, tb, Fmt.Int(full), p.Out - full);
            w.Close();
        }
    }

    private static void Block(Node node, Linear p, EmitContext ctx, string tw, string? tb, string o, int rows)
    {
        var w = ctx.W;
        bool literal = int.TryParse(o, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int o0);
        string Row(int r) => literal ? Fmt.Int(o0 + r) : r == 0 ? o : $"{o} + {r}";
        for (int r = 0; r < rows; r++)
        {
            w.Line($"float a{r} = {(tb is null ? "0.0f" : $"{tb}[{Row(r)}]")};");
        }

        w.Line($"int wi = {(literal ? Fmt.Int(o0 * p.In) : $"{o} * {p.In}")};");
        w.Open($"for (int k = 0; k < {p.In}; k++)");
        w.Line($"float x = {ctx.At(node.Inputs[0], "k")};");
        for (int r = 0; r < rows; r++)
        {
            w.Line($"a{r} += {tw}[{(r == 0 ? "wi" : $"wi + {r}")}] * x;");
        }

        w.Line($"wi += {rows};");
        w.Close();
        for (int r = 0; r < rows; r++)
        {
            w.Line($"{ctx.At(node.Output, Row(r))} = {ActivationOp.Expr(p.Act, $"a{r}", ctx)};");
        }
    }
}
