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

    public EmitContext(Dialect dialect, Graph graph, MemoryPlan plan, int indent)
    {
        D = dialect;
        Graph = graph;
        _plan = plan;
        W = new CodeWriter(indent);
    }

    public Dialect D { get; }

    public Graph Graph { get; }

    /// <summary>The predict function's body.</summary>
    public CodeWriter W { get; }

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
