using System;
using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Memory;

namespace TinyLoc.Compiler.Emit;

/// <summary>
/// A name for each intermediate tensor's place in the arena, so the generated code reads <c>UJI_MLP_FC1(k)</c>
/// instead of <c>uji_mlp_arena.f32[33 + k]</c>. C: a macro per tensor, <c>#define NAME_VALUE(i) NAME_arena.f32[33 + (i)]</c>
/// (element i, row-major; the same expression the compiler folds as before). C#: a constant offset per tensor in
/// the nested class <c>View</c>, read as <c>ArenaF32[View.Fc1 + k]</c>. Names come from the value names (the
/// state-dict prefixes), made identifiers by <see cref="Naming.Identifier"/> and numbered where two would clash;
/// only the views the code uses are declared.
/// </summary>
public sealed class TensorViews
{
    /// <summary>The header's own <c>NAME_…</c> macros (mcu-templates/partials/c_header.hbs), which a view may not redefine.</summary>
    public static readonly IReadOnlyCollection<string> HeaderMacros = new HashSet<string>(StringComparer.Ordinal)
    {
        "H", "INPUT_COUNT", "OUTPUT_COUNT", "CLASS_COUNT", "ARENA_BYTES", "ARENA_LOWER_BOUND_BYTES", "STATE_BYTES",
        "SCRATCH_BYTES", "STACK_BYTES_ESTIMATE", "RAM_BYTES", "WEIGHT_BYTES", "FLASH_BYTES_ESTIMATE", "MACS", "HASH",
        "DSP", "FENCE", "PAIR", "ARENA_ATTRIBUTE", "FEATURE_COUNT", "VOTE_COUNT", "RUNTIME_STATE_BYTES",
    };

    private readonly Dialect _d;
    private readonly Dictionary<string, (string Name, string Symbol, string Array, int Start)> _views = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public TensorViews(Dialect d, Graph graph, MemoryPlan plan, string arenaI8, string arenaF32)
    {
        _d = d;
        var taken = new HashSet<string>(d.IsC ? HeaderMacros : new[] { "View" }, StringComparer.Ordinal);
        foreach (var v in graph.Values.Where(v => v.Kind == ValueKind.Intermediate))
        {
            string ident = Naming.Identifier(v.Name);
            string name = Naming.FirstFree(taken, d.IsC ? ident.ToUpperInvariant() : CodeEmitter.PascalCase(ident), d);
            string symbol = d.IsC ? d.Prefix.ToUpperInvariant() + name : "View." + name;
            _views[v.Name] = (name, symbol, v.Type == DType.Int8 ? arenaI8 : arenaF32, plan.OffsetOf(v.Name) / v.Type.Size());
            _order.Add(v.Name);
        }
    }

    /// <summary>True if the value lives in the arena (and so has a view).</summary>
    public bool Has(string value) => _views.ContainsKey(value);

    /// <summary>Element <paramref name="index"/> of the value: C <c>NAME_FC1(k)</c>, C# <c>ArenaF32[View.Fc1 + k]</c>.</summary>
    public string At(string value, string index)
    {
        var (_, symbol, array, _) = Use(value);
        return _d.IsC ? $"{symbol}({index})" : $"{array}[{symbol} + {index}]";
    }

    /// <summary>The value's first element's place: C <c>&amp;NAME_FC1(0)</c>; C# the array and the offset, <c>ArenaF32, View.Fc1</c>.</summary>
    public string Start(string value)
    {
        var (_, symbol, array, _) = Use(value);
        return _d.IsC ? $"&{symbol}(0)" : $"{array}, {symbol}";
    }

    /// <summary>C: the address of element <paramref name="index"/>; C#: its index in the arena array.</summary>
    public string AddressOf(string value, string index)
    {
        var (_, symbol, _, _) = Use(value);
        return _d.IsC ? $"&{symbol}({index})" : $"{symbol} + {index}";
    }

    /// <summary>The declarations of the views the code used, in value order (empty if none).</summary>
    public string Declarations()
    {
        var used = _order.Where(_used.Contains).Select(v => (Name: v, View: _views[v])).ToList();
        if (used.Count == 0)
        {
            return string.Empty;
        }

        var w = new CodeWriter();
        if (_d.IsC)
        {
            w.Line("/* Views: each tensor's elements in the arena, NAME(i) = element i (row-major). */");
            foreach (var (name, view) in used)
            {
                string index = view.Start == 0 ? "(i)" : $"{view.Start} + (i)";
                w.Line($"#define {view.Symbol}(i) {view.Array}[{index}] /* {Naming.CommentText(name)} */");
            }
        }
        else
        {
            w.Line("// Views: where each tensor starts in the arena (element i of tensor T is ArenaF32[View.T + i], or ArenaI8 for int8).");
            w.Line("private static class View");
            w.Line("{");
            foreach (var (name, view) in used)
            {
                w.Line($"    public const int {view.Name} = {view.Start}; // {Naming.CommentText(name)}");
            }

            w.Line("}");
        }

        return w.ToString();
    }

    private (string Name, string Symbol, string Array, int Start) Use(string value)
    {
        _used.Add(value);
        return _views[value];
    }
}
