using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Memory;

/// <summary>One arena buffer: the value it holds, its bytes, the node steps it is live in, and its offset.</summary>
public sealed record PlannedBuffer(string Value, DType Type, int Size, int FirstUse, int LastUse, int Offset)
{
    public int End => Offset + Size;

    public bool LiveWith(PlannedBuffer o) => FirstUse <= o.LastUse && o.FirstUse <= LastUse;

    public bool Overlaps(PlannedBuffer o) => Offset < o.End && o.Offset < End;
}

/// <summary>Where every intermediate lives in the one static arena.</summary>
public sealed class MemoryPlan
{
    private readonly Dictionary<string, PlannedBuffer> _byValue;

    public MemoryPlan(IReadOnlyList<PlannedBuffer> buffers, int lowerBound, IReadOnlyDictionary<string, (string Root, int Offset)>? aliases = null)
    {
        Buffers = buffers;
        LowerBound = lowerBound;
        _byValue = buffers.ToDictionary(b => b.Value, StringComparer.Ordinal);
        Aliases = aliases ?? new Dictionary<string, (string Root, int Offset)>();
        int end = buffers.Count == 0 ? 0 : buffers.Max(b => b.End);
        ArenaBytes = buffers.Any(b => b.Type != DType.Int8) ? (end + 3) / 4 * 4 : end;
    }

    /// <summary>
    /// Values that live in another's buffer (a view, or an in-place op's output), by name: that buffer's value and the
    /// byte offset in it. They have no buffer of their own in <see cref="Buffers"/>.
    /// </summary>
    public IReadOnlyDictionary<string, (string Root, int Offset)> Aliases { get; }

    /// <summary>The same plan with <paramref name="aliases"/> (see <see cref="Aliases"/>).</summary>
    public MemoryPlan WithAliases(IReadOnlyDictionary<string, (string Root, int Offset)> aliases) => new(Buffers, LowerBound, aliases);

    public IReadOnlyList<PlannedBuffer> Buffers { get; }

    /// <summary>Bytes of the static arena (rounded up to 4 when it holds 4-byte elements).</summary>
    public int ArenaBytes { get; }

    /// <summary>The largest total size of buffers live at the same step: no plan can use less.</summary>
    public int LowerBound { get; }

    public bool HasType(DType t) => Buffers.Any(b => b.Type == t);

    /// <summary>The byte offset of a value in the arena: its buffer's, or for an alias its root's plus its own offset.</summary>
    public int OffsetOf(string value) => Aliases.TryGetValue(value, out var a) ? _byValue[a.Root].Offset + a.Offset : _byValue[value].Offset;

    /// <summary>True if no two buffers that are live together share a byte.</summary>
    public bool IsValid() =>
        Buffers.SelectMany((a, i) => Buffers.Skip(i + 1).Select(b => (a, b))).All(p => !(p.a.LiveWith(p.b) && p.a.Overlaps(p.b)));

    /// <summary>The plan as text: one line per buffer by offset, then the totals.</summary>
    public string Print()
    {
        var sb = new StringBuilder();
        sb.Append($"arena {ArenaBytes} bytes, lower bound {LowerBound} bytes, {Buffers.Count} buffers\n");
        sb.Append("  offset    size  live   type  value\n");
        foreach (var b in Buffers.OrderBy(b => b.Offset).ThenBy(b => b.FirstUse).ThenBy(b => b.Value, StringComparer.Ordinal))
        {
            string live = $"[{b.FirstUse},{b.LastUse}]";
            sb.Append($"  {b.Offset,6}  {b.Size,6}  {live,-6} {b.Type.Name(),-4}  {b.Value}\n");
        }

        foreach (var a in Aliases.OrderBy(a => OffsetOf(a.Key)).ThenBy(a => a.Key, StringComparer.Ordinal))
        {
            sb.Append($"  {OffsetOf(a.Key),6}  {a.Key}: in {a.Value.Root} from byte {a.Value.Offset}\n");
        }

        return sb.ToString();
    }
}
