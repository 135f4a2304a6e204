using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Emit;

/// <summary>
/// Where the code of a large unrolled layer is split into functions: compilers are superlinear in function size
/// (gcc 12 -O2 on the 35,744-MAC unrolled uji_mlp: 125 s as one function, 5.2 s split at 512), so rows go into
/// static functions of at most <see cref="MaxMacsPerFunction"/> multiply-accumulates each.
/// </summary>
public static class RowFunctions
{
    /// <summary>Most multiply-accumulates one generated function holds.</summary>
    public const int MaxMacsPerFunction = 512;

    /// <summary>
    /// Writes rows inline, or split into functions of bounded size when the layer is large. Rows come in
    /// units of <paramref name="rowsPerUnit"/> (the last unit may be smaller: <paramref name="rows"/> in all),
    /// which are never split; <paramref name="emit"/> gets unit ranges, functions are named by their first
    /// and last row.
    /// </summary>
    public static void Emit(Node node, EmitContext ctx, int units, System.Func<int, int> macsOfUnit, System.Action<int, int> emit, int rowsPerUnit = 1, int rows = int.MaxValue)
    {
        var groups = Groups(units, macsOfUnit).ToList();
        if (groups.Count == 1)
        {
            emit(0, units);
            return;
        }

        foreach (var (start, end) in groups)
        {
            int last = System.Math.Min(end * rowsPerUnit, rows) - 1;
            ctx.InFunction(ctx.TableName(node, $"rows_{start * rowsPerUnit}_{last}"), () => emit(start, end));
        }
    }

    /// <summary>Splits rows 0..rows-1 into consecutive groups of at most <see cref="MaxMacsPerFunction"/> MACs (at least one row each).</summary>
    public static IEnumerable<(int Start, int End)> Groups(int rows, System.Func<int, int> macsOfRow)
    {
        int start = 0, macs = 0;
        for (int r = 0; r < rows; r++)
        {
            int m = macsOfRow(r);
            if (r > start && macs + m > MaxMacsPerFunction)
            {
                yield return (start, r);
                start = r;
                macs = 0;
            }

            macs += m;
        }

        if (rows > 0)
        {
            yield return (start, rows);
        }
    }
}
