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

    /// <summary>C only: the Cortex-M DSP prelude (dual 16-bit MAC helpers) behind <c>#if NAME_DSP</c>; see <see cref="ArmDsp"/>.</summary>
    ArmDsp,

    /// <summary>C only: <c>NAME_FENCE()</c>, the compiler barrier between the steps of unrolled code; see <see cref="Fence"/>.</summary>
    Fence,

    /// <summary><see cref="QuantizeInput"/> for inputs the compiler proved to be in range (normalised ones).</summary>
    QuantizeUnit,

    /// <summary>log(1 + x) (<see cref="Numerics.TlMath.Log1p"/>).</summary>
    Log1p,

    /// <summary>PyTorch's softplus; calls exp and log1p, so it comes after both.</summary>
    Softplus,

    /// <summary>ELU (alpha 1); calls exp.</summary>
    Elu,

    /// <summary>1/√x for the norms (<see cref="Numerics.TlMath.Rsqrt"/>).</summary>
    Rsqrt,

    /// <summary>A positive float's 24-bit mantissa and exponent (<see cref="Numerics.DynamicMath.FloatParts"/>).</summary>
    FloatParts,

    /// <summary>The dynamic scheme's per-call scale and zero point (<see cref="Numerics.DynamicMath.ChooseParams(float, float, int, out float)"/>); calls FloatParts.</summary>
    ChooseParams,

    /// <summary>
    /// The dynamic scheme's per-call input quantisation (<see cref="Numerics.DynamicMath.QuantizeShifted"/> over the
    /// range of the whole input); calls ChooseParams. One function that every dynamic layer calls.
    /// </summary>
    QuantizeDynamic,

    /// <summary>
    /// <see cref="Requantize"/> for a layer whose every right shift is above 32 (<see cref="Numerics.QuantMath.RequantizeHighWord"/>'s
    /// first branch, the same value there): the looped kernels' per-output test of the shift is decided at compile time.
    /// </summary>
    RequantizeHigh,
}

/// <summary>What an op's <c>Emit</c> writes into: the body, constant tables, used helpers; and how to name buffers.</summary>
public sealed class EmitContext
{
    private readonly CodeWriter _tables = new();
    private readonly SortedSet<Helper> _helpers = new();
    private readonly CodeWriter _functions = new();
    private readonly int _indent;

    /// <param name="dialect">The language.</param>
    /// <param name="graph">The graph being lowered.</param>
    /// <param name="plan">Its memory plan.</param>
    /// <param name="indent">The indent of the predict body.</param>
    /// <param name="census">True when only the helpers used are wanted (the size report): tables are named but
    /// their values not written, which for a big model is most of the text.</param>
    public EmitContext(Dialect dialect, Graph graph, MemoryPlan plan, int indent, bool census = false)
    {
        D = dialect;
        Graph = graph;
        _plan = plan;
        _indent = indent;
        _census = census;
        W = new CodeWriter(indent);
        Views = new TensorViews(dialect, graph, plan, ArenaI8, ArenaF32);
        _names = new SymbolNames(dialect);
    }

    private readonly MemoryPlan _plan;

    /// <summary>
    /// True if the node's output is a view of its input in the memory plan (<see cref="Ops.Aliasing"/>): the bytes are
    /// already where the output is read from, so the op writes no code.
    /// </summary>
    public bool IsView(Node node) =>
        node.Op.Aliasing(node, Graph) is { View: true } a && _plan.Aliases.ContainsKey(node.Output) && Views.Has(node.Inputs[a.Input])
        && _plan.OffsetOf(node.Output) == _plan.OffsetOf(node.Inputs[a.Input]) + a.ByteOffset;

    /// <summary>Names of the tables and split-off functions (<see cref="TableName"/>).</summary>
    private readonly SymbolNames _names;

    /// <summary>A unique name for the node's table or function <paramref name="what"/>, from its source prefix: <c>fc1_w</c> (C# <c>Fc1W</c>).</summary>
    public string TableName(Node node, string what) => _names.Of(node, what);

    /// <summary>The named view of each intermediate tensor; every access to the arena goes through one.</summary>
    public TensorViews Views { get; }

    public Dialect D { get; }

    public Graph Graph { get; }

    /// <summary>The row variable of the enclosing <see cref="RowLoop"/> (<c>row</c>), or null outside one.</summary>
    public string? RowVar { get; private set; }

    /// <summary>Per value read or written in the current row: the name of its row base (C: a pointer; C#: an index).</summary>
    private readonly Dictionary<string, string> _rowBases = new(System.StringComparer.Ordinal);

    /// <summary>Only the helper census (see the constructor): tables are not written.</summary>
    private readonly bool _census;

    /// <summary>The row bases' declarations, by name, in order; only those the body uses are written.</summary>
    private readonly List<(string Name, string Declaration)> _rowBaseDeclarations = new();
    private readonly HashSet<string> _rowBasesUsed = new(System.StringComparer.Ordinal);

    /// <summary>
    /// Runs a per-row op over a [rows, …] tensor: with one row, just <paramref name="body"/>; otherwise
    /// <c>for (int row = 0; row &lt; rows; row++)</c> around it, where every <see cref="At"/> of
    /// <paramref name="input"/> and <paramref name="output"/> goes through a row base computed once per row
    /// (C: <c>rx[k]</c> with <c>rx = &amp;x[row · stride]</c>; C#: <c>x[rx + k]</c>), so the body is written as for
    /// a single row. (Only looped layers run per row: unrolled ones are single-row, see <see cref="Ops.Linear.CanUnrollNode"/>.)
    /// </summary>
    public void RowLoop(int rows, string input, int inStride, string output, int outStride, System.Action body)
    {
        if (rows == 1)
        {
            body();
            return;
        }

        W.Open($"for (int row = 0; row < {rows}; row++)");
        RowVar = "row";
        DeclareRowBase(input, "rx", inStride, isConst: true);
        DeclareRowBase(output, "ry", outStride, isConst: false);
        var writer = W;
        int start = writer.Length;
        body();

        // The row bases go before the body, declared only where the body reads or writes through them.
        writer.InsertLines(start, _rowBaseDeclarations.Where(d => _rowBasesUsed.Contains(d.Name)).Select(d => d.Declaration));
        _rowBases.Clear();
        _rowBaseDeclarations.Clear();
        _rowBasesUsed.Clear();
        RowVar = null;
        W.Close();
    }

    private void DeclareRowBase(string value, string name, int stride, bool isConst)
    {
        var v = Graph[value];
        string offset = $"row * {stride}";
        string start = Views.Has(value) ? Views.AddressOf(value, offset) : D.IsC ? $"&{ArrayOf(v)}[{offset}]" : offset;
        if (D.IsC)
        {
            string qualifier = isConst || v.Kind == ValueKind.Input ? "const " : string.Empty;
            _rowBaseDeclarations.Add((name, $"{qualifier}{D.Type(v.Type)} *{name} = {start};"));
        }
        else
        {
            _rowBaseDeclarations.Add((name, $"int {name} = {start};"));
        }

        _rowBases[value] = name;
    }

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

    public string Tables => _tables.ToString();

    public IReadOnlyCollection<Helper> Helpers => _helpers;

    public string ArenaI8 => D.IsC ? D.Sym("arena") + ".i8" : "ArenaI8";

    public string ArenaF32 => D.IsC ? D.Sym("arena") + ".f32" : "ArenaF32";

    /// <summary>An element of a value's buffer: <c>input[3]</c>, <c>uji_mlp_arena.i8[67]</c>, <c>ArenaF32[5 + k]</c>.</summary>
    public string At(string value, int index) => At(value, index.ToString(System.Globalization.CultureInfo.InvariantCulture), index);

    public string At(string value, string indexExpr) => At(value, indexExpr, null);

    /// <summary>Bytes of the shared int8 scratch buffer the emitted code needs.</summary>
    public int ScratchBytes { get; private set; }

    /// <summary>The static int32 scalar beside the scratch buffer (the per-call zero point of dynamic layers).</summary>
    public string ScratchZeroPoint => UseScratchScalars(D.IsC ? D.Sym("scratch_zp") : "ScratchZp");

    /// <summary>The static float scalar beside the scratch buffer (the per-call scale product of dynamic layers).</summary>
    public string ScratchScale => UseScratchScalars(D.IsC ? D.Sym("scratch_scale") : "ScratchScale");

    /// <summary>True once the scratch scalars are used (they are declared only then).</summary>
    public bool ScratchScalarsUsed { get; private set; }

    private string UseScratchScalars(string name)
    {
        ScratchScalarsUsed = true;
        return name;
    }

    /// <summary>What the int8 scratch holds, in order of first use (for the comment on its declaration).</summary>
    public IReadOnlyList<string> ScratchPurposes => _scratchPurposes;

    /// <summary>Elements of the shared float32 scratch buffer the emitted code needs.</summary>
    public int ScratchF32Count { get; private set; }

    /// <summary>What the float scratch holds, in order of first use.</summary>
    public IReadOnlyList<string> ScratchF32Purposes => _scratchF32Purposes;

    private readonly List<string> _scratchPurposes = new();
    private readonly List<string> _scratchF32Purposes = new();

    /// <summary>Reserves the node's <see cref="Ops.Op.ScratchBytes"/> of the shared int8 scratch buffer and returns its name.</summary>
    public string Scratch(Node node, string purpose = "per-call input quantisation")
    {
        ScratchBytes = System.Math.Max(ScratchBytes, node.Op.ScratchBytes(node, Graph));
        AddPurpose(_scratchPurposes, purpose);
        return D.IsC ? D.Sym("scratch") : "Scratch";
    }

    /// <summary>
    /// Reserves the node's <see cref="Ops.Op.ScratchF32Bytes"/> of the shared float32 scratch buffer (every node may use
    /// it from element 0; nothing survives from one node to the next) and returns its name: <c>NAME_scratch_f32</c>, <c>ScratchF32</c>.
    /// </summary>
    public string ScratchF32(Node node, string purpose)
    {
        ScratchF32Count = System.Math.Max(ScratchF32Count, node.Op.ScratchF32Bytes(node, Graph) / 4);
        AddPurpose(_scratchF32Purposes, purpose);
        return D.IsC ? D.Sym("scratch_f32") : "ScratchF32";
    }

    private static void AddPurpose(List<string> purposes, string purpose)
    {
        if (!purposes.Contains(purpose))
        {
            purposes.Add(purpose);
        }
    }

    /// <summary>Records that a helper (and every helper it calls) is used and returns its name (for <see cref="Helper.ArmDsp"/>, the macro to test).</summary>
    public string Use(Helper h)
    {
        Add(h);
        return Emit.Helpers.Symbol(h, D);

        void Add(Helper used)
        {
            if (_helpers.Add(used))
            {
                foreach (var needed in Emit.Helpers.Needs(used))
                {
                    Add(needed);
                }
            }
        }
    }

    /// <summary>
    /// Declares a constant table of <paramref name="values"/>, each written by <paramref name="literal"/>, and returns its
    /// name. <paramref name="note"/> says what it holds (shape, layout, quantisation) in a comment on its first line.
    /// </summary>
    public string Table<T>(string name, DType type, IReadOnlyList<T> values, System.Func<T, string> literal, string? note = null)
    {
        string sym = D.Sym(name);
        string head = (D.IsC
            ? $"static const {D.Type(type)} {sym}[{values.Count}] = {{"
            : $"private static readonly {D.Type(type)}[] {sym} = new {D.Type(type)}[] {{") + Note(note);
        if (!_census)
        {
            _tables.ListLine(head, values, literal, PerLine(type, values, literal), "    ", "};");
        }

        return sym;
    }

    /// <summary>A table's note as a comment after its opening brace: <c> /* W[8][6] int8 */</c>, C# <c> // W[8][6] int8</c>.</summary>
    private string Note(string? note) =>
        note is null ? string.Empty : D.IsC ? $" /* {Naming.CommentText(note)} */" : $" // {Naming.CommentText(note)}";

    /// <summary>
    /// Values per line of a table: 16 for int8 and for int32 tables of short numbers (row sums), 12 otherwise (floats,
    /// folded biases), so lines stay within about 160 characters.
    /// </summary>
    private static int PerLine<T>(DType type, IReadOnlyList<T> values, System.Func<T, string> literal) =>
        type == DType.Int8 || (type == DType.Int32 && values.All(v => literal(v).Length <= 6)) ? 16 : 12;

    /// <summary>
    /// Declares an int8 table that C can also read as aligned 32-bit words (so the DSP kernels load four
    /// weights at once, and two words with one LDRD): a union of <c>i8</c> and <c>w32</c> members in C, a
    /// plain <c>sbyte[]</c> in C#. Returns the symbol; <see cref="I8Of"/> and <see cref="W32Of"/> name its views.
    /// </summary>
    public string WordTable<T>(string name, IReadOnlyList<T> values, System.Func<T, string> literal, string? note = null)
    {
        string sym = D.Sym(name);
        if (!D.IsC)
        {
            return Table(name, DType.Int8, values, literal, note);
        }

        _tables.Line("static const union");
        _tables.Line("{");
        _tables.Line($"    int8_t i8[{values.Count}];");
        _tables.Line($"    int32_t w32[{(values.Count + 3) / 4}];");
        if (!_census)
        {
            _tables.ListLine($"}} {sym} = {{ {{{Note(note)}", values, literal, 16, "        ", "} };");
        }

        return sym;
    }

    /// <summary>
    /// C only: an int32 table <paramref name="words"/> where the DSP kernels are compiled (<see cref="ArmDsp.Macro"/>), and
    /// whatever <paramref name="portable"/> declares under the same name elsewhere (the layer's code picks its table the
    /// same way), so each build holds one of the two. Returns the symbol.
    /// </summary>
    public string DspTable(string name, IReadOnlyList<int> words, string note, System.Action portable)
    {
        _tables.Line($"#if {ArmDsp.Macro(D)}");
        string sym = Table(name, DType.Int32, words, D.Lit, note);
        _tables.Line("#else");
        portable();
        _tables.Line("#endif");
        return sym;
    }

    /// <summary>
    /// C: the address of the whole object holding a value, for <see cref="Fence"/>: <c>&amp;NAME_arena</c>, or
    /// <c>input</c> / <c>output</c>. (The whole arena, not an element: gcc treats the arena as escaping only then.)
    /// </summary>
    public string ObjectOf(string value) => Graph[value].Kind switch
    {
        ValueKind.Input => "input",
        ValueKind.Output => "output",
        _ => "&" + D.Sym("arena"),
    };

    /// <summary>
    /// A value's buffer as a function argument, from its first element: C <c>input</c> or <c>&amp;NAME_arena.f32[17]</c>
    /// (a pointer); C# <c>input, 0</c> or <c>ArenaF32, 17</c> (the array and the offset).
    /// </summary>
    public string Buffer(string value)
    {
        var v = Graph[value];
        return Views.Has(value) ? Views.Start(value) : D.IsC ? ArrayOf(v) : $"{ArrayOf(v)}, 0";
    }

    /// <summary>The int8 elements of a <see cref="WordTable"/>: <c>NAME.i8</c> in C, the array in C#.</summary>
    public string I8Of(string table) => D.IsC ? table + ".i8" : table;

    /// <summary>The 32-bit words of a <see cref="WordTable"/> (C only): <c>NAME.w32</c>.</summary>
    public string W32Of(string table) => table + ".w32";

    private string At(string value, string indexExpr, int? constIndex)
    {
        var v = Graph[value];
        if (_rowBases.TryGetValue(value, out string? rowBase))
        {
            _rowBasesUsed.Add(rowBase);
            return D.IsC ? $"{rowBase}[{indexExpr}]" : $"{ArrayOf(v)}[{rowBase} + {indexExpr}]";
        }

        return Views.Has(value) ? Views.At(value, indexExpr) : $"{ArrayOf(v)}[{indexExpr}]";
    }

    private string ArrayOf(Value v) => v.Kind switch
    {
        ValueKind.Input => "input",
        ValueKind.Output => "output",
        _ => v.Type == DType.Int8 ? ArenaI8 : ArenaF32,
    };
}
