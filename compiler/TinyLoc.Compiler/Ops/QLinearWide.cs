using System;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The <see cref="IR.LayerForm.Wide"/> form of <see cref="QLinear"/> on cores with the DSP extension: the looped
/// kernel with its weights stored pre-extended, two int16 halves per word, exactly the operands SMLAD takes. Per
/// group of four inputs the input word is split once (two SXTB16) and each row loads its two weight words with one
/// LDRD and does two SMLAD: no SXTB16 on the constant weights, at twice their flash. C# and the portable C run
/// <see cref="QLinearLooped"/> (the same integers: the sums are exact in int32, TL3003).
/// </summary>
public static class QLinearWide
{
    /// <summary>
    /// Rows computed together: six accumulators, the input's two halves, two weight words and the pointers fit in
    /// Thumb-2's registers (gcc 12 keeps only the loop bound on the stack).
    /// </summary>
    public const int RowsPerBlock = 6;

    /// <summary>Groups of four inputs per loop iteration (the loop's pointer updates and branch shared by four).</summary>
    public const int GroupsPerIteration = 4;

    /// <summary>
    /// The table's words: rows in blocks of <see cref="RowsPerBlock"/> (the last may be smaller); within a block, for
    /// each group of four inputs, each row's two words: <c>pair(W[4g], W[4g+2])</c> (for the even bytes of the input
    /// word) and <c>pair(W[4g+1], W[4g+3])</c> (the odd bytes), low halfword first. A block starts at word
    /// <c>o · 2·(In/4)</c>. After all blocks, the In % 4 tail weights of every row, row by row, one word each.
    /// </summary>
    public static int[] Layout(QLinear p)
    {
        int groups = p.In / 4, tail = p.In % 4;
        var t = new int[(2 * groups * p.Out) + (tail * p.Out)];
        int pos = 0;
        sbyte W(int o, int k) => p.Weight[(o * p.In) + k];
        for (int o0 = 0; o0 < p.Out; o0 += RowsPerBlock)
        {
            int rows = Math.Min(RowsPerBlock, p.Out - o0);
            for (int g = 0; g < groups; g++)
            {
                for (int r = 0; r < rows; r++)
                {
                    t[pos++] = QLinearUnrolled.PackPair(W(o0 + r, 4 * g), W(o0 + r, (4 * g) + 2));
                    t[pos++] = QLinearUnrolled.PackPair(W(o0 + r, (4 * g) + 1), W(o0 + r, (4 * g) + 3));
                }
            }
        }

        for (int o = 0; o < p.Out; o++)
        {
            for (int j = 0; j < tail; j++)
            {
                t[pos++] = W(o, (4 * groups) + j);
            }
        }

        return t;
    }

    /// <summary>The row counts of a layer's kinds of row block: the full-block loop, the last Out % 6 rows.</summary>
    public static int[] BlockKinds(int rows) =>
        rows >= RowsPerBlock && rows % RowsPerBlock != 0 ? [RowsPerBlock, rows % RowsPerBlock]
        : rows >= RowsPerBlock ? [RowsPerBlock]
        : [rows];

    /// <summary>Copies of a group's code per block: four in the loop (when there is one), the remainder after it.</summary>
    public static int GroupCopies(int inputs) => (inputs / 4 >= GroupsPerIteration ? GroupsPerIteration : 0) + ((inputs / 4) % GroupsPerIteration);

    /// <summary>True when the wide kernel is what the core runs: C with the DSP kernels, and at least one group of four inputs.</summary>
    public static bool Applies(QLinear p, CostModel costs) => costs.Dsp && p.In >= 4;

    /// <summary>Bytes of the weight table: a word per two weights, a word per tail weight.</summary>
    public static long WeightBytes(QLinear p) => 4L * ((2L * (p.In / 4) * p.Out) + ((long)(p.In % 4) * p.Out));

    /// <summary>
    /// Code bytes, per kind of row block: its fixed part, per copy of a group the input word's load and split and
    /// per row an LDRD and two SMLAD, per row the bias, the tail MACs and the requantisation.
    /// </summary>
    public static long CodeBytes(QLinear p, CostModel costs)
    {
        long copies = GroupCopies(p.In);
        long bytes = 0;
        foreach (int rows in BlockKinds(p.Out))
        {
            bytes += costs.WideInt8BlockCodeBytes
                + (copies * (costs.UnrolledInt8GroupCodeBytes + (rows * (long)costs.WideInt8PairsCodeBytes)))
                + (rows * (costs.WideInt8RowCodeBytes + ((p.In % 4) * (long)costs.UnrolledInt8MacCodeBytes)));
        }

        return bytes;
    }
}
