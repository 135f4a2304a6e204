using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Memory;

namespace TinyLoc.Compiler.Emit;

/// <summary>Helpers the emitted code may call; each is written once per file, only if used.</summary>
public enum Helper
{
    Requantize,
    Exp,
    Tanh,
    Sigmoid,
    Silu,
    QuantizeInput,
}

/// <summary>What an op's <c>Emit</c> writes into: the body, constant tables, used helpers; and how to name buffers.</summary>
public sealed class EmitContext
{
    private readonly MemoryPlan _plan;
    private readonly CodeWriter _tables = new();
    private readonly SortedSet<Helper> _helpers = new();
    private readonly CodeWriter _functions = new();
    private readonly int _indent;

    public EmitContext(Dialect dialect, Graph graph, MemoryPlan plan, int indent)
    {
        D = dialect;
        Graph = graph;
        _plan = plan;
        _indent = indent;
        W = new CodeWriter(indent);
    }

    /// <summary>
    /// Most multiply-accumulates one generated function holds: compilers are superlinear in function
    /// size (gcc 12 -O2 on the 35,744-MAC unrolled uji_mlp: 125 s as one function, 5.2 s split at 512), so bigger unrolled layers are
    /// split into several static functions of at most this many MACs each.
    /// </summary>
    public const int MaxMacsPerFunction = 512;

    public Dialect D { get; }

    public Graph Graph { get; }

    /// <summary>Where the op writes: the predict function's body, or a split-off function's (<see cref="InFunction"/>).</summary>
    public CodeWriter W { get; private set; }

    /// <summary>Functions split off the predict body, in order.</summary>
    public string Functions => _functions.ToString();

    /// <summary>
    /// Writes <paramref name="body"/> into a new static function <paramref name="name"/> taking the
    /// model's input and output arrays, and calls it from the current place.
    /// </summary>
    public void InFunction(string name, System.Action body)
    {
        string sym = D.Sym(name);
        var saved = W;
        W = new CodeWriter(1);
        if (D.IsC)
        {
            W.Line("(void)input;");
            W.Line("(void)output;");
        }

        body();
        string code = W.ToString();
        W = saved;
        _functions.Line(D.IsC ? $"static void {sym}(const float *input, float *output)" : $"private static void {sym}(float[] input, float[] output)");
        _functions.Line("{");
        _functions.Line(code.TrimEnd('\n'));
        _functions.Line("}");
        _functions.Line();
        W.Line($"{sym}(input, output);");
    }

    /// <summary>Splits rows 0..rows-1 into consecutive groups of at most <see cref="MaxMacsPerFunction"/> MACs (at least one row each).</summary>
    public static IEnumerable<(int Start, int End)> RowGroups(int rows, System.Func<int, int> macsOfRow)
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

    public string Tables => _tables.ToString();

    public IReadOnlyCollection<Helper> Helpers => _helpers;

    public string ArenaI8 => D.IsC ? D.Sym("arena") + ".i8" : "ArenaI8";

    public string ArenaF32 => D.IsC ? D.Sym("arena") + ".f32" : "ArenaF32";

    /// <summary>An element of a value's buffer: <c>input[3]</c>, <c>uji_mlp_arena.i8[67]</c>, <c>ArenaF32[5 + k]</c>.</summary>
    public string At(string value, int index) => At(value, index.ToString(System.Globalization.CultureInfo.InvariantCulture), index);

    public string At(string value, string indexExpr) => At(value, indexExpr, null);

    /// <summary>Records that a helper is used and returns its name.</summary>
    public string Use(Helper h)
    {
        _helpers.Add(h);
        if (h == Helper.Exp)
        {
            return D.Sym(D.IsC ? "exp" : "Exp");
        }

        if (h is Helper.Tanh or Helper.Sigmoid or Helper.Silu)
        {
            _helpers.Add(Helper.Exp);
        }

        if (h == Helper.Silu)
        {
            _helpers.Add(Helper.Sigmoid);
        }

        return D.Sym(D.IsC ? h.ToString().ToLowerInvariant() : h.ToString());
    }

    /// <summary>Declares a constant table and returns its name.</summary>
    public string Table(string name, DType type, IReadOnlyList<string> literals)
    {
        string sym = D.Sym(name);
        string items = string.Join(",\n", Chunks(literals, 12).Select(c => "    " + string.Join(", ", c)));
        if (D.IsC)
        {
            _tables.Line($"static const {D.Type(type)} {sym}[{literals.Count}] = {{\n{items}\n}};");
        }
        else
        {
            _tables.Line($"private static readonly {D.Type(type)}[] {sym} = new {D.Type(type)}[] {{\n{items}\n}};");
        }

        return sym;
    }

    private string At(string value, string indexExpr, int? constIndex)
    {
        var v = Graph[value];
        if (v.Kind == ValueKind.Input)
        {
            return $"input[{indexExpr}]";
        }

        if (v.Kind == ValueKind.Output)
        {
            return $"output[{indexExpr}]";
        }

        int elemOffset = _plan.OffsetOf(value) / v.Type.Size();
        string arena = v.Type == DType.Int8 ? ArenaI8 : ArenaF32;
        string idx = constIndex is int c
            ? (elemOffset + c).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : elemOffset == 0 ? indexExpr : $"{elemOffset} + {indexExpr}";
        return $"{arena}[{idx}]";
    }

    private static IEnumerable<IEnumerable<string>> Chunks(IReadOnlyList<string> items, int size)
    {
        for (int i = 0; i < items.Count; i += size)
        {
            yield return items.Skip(i).Take(size);
        }
    }
}
