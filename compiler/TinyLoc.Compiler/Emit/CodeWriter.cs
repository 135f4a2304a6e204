using System.Text;

namespace TinyLoc.Compiler.Emit;

/// <summary>Indented lines with \n endings.</summary>
public sealed class CodeWriter
{
    private readonly StringBuilder _sb = new();
    private int _indent;

    /// <summary>Where each open block starts, and whether it has a head line (<see cref="Open"/>) or not (<see cref="OpenBrace"/>).</summary>
    private readonly System.Collections.Generic.Stack<(int Start, bool Head)> _open = new();

    /// <summary>The widest line a one-statement block is folded onto (<see cref="Close"/>).</summary>
    public const int FoldWidth = 120;

    /// <summary>Characters that keep a statement on its own line: braces of its own, a preprocessor directive.</summary>
    private static readonly char[] Unfoldable = { '{', '}', '#' };

    public CodeWriter(int indent = 0) => _indent = indent;

    public CodeWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            _sb.Append(' ', _indent * 4).Append(text);
        }

        _sb.Append('\n');
        return this;
    }

    public CodeWriter Open(string text)
    {
        _open.Push((_sb.Length, true));
        Line(text);
        Line("{");
        _indent++;
        return this;
    }

    /// <summary>A preprocessor line (<c>#if</c>, <c>#else</c>, <c>#endif</c>), written at column 0 whatever the indent.</summary>
    public CodeWriter Directive(string text)
    {
        _sb.Append(text).Append('\n');
        return this;
    }

    public CodeWriter OpenBrace()
    {
        _open.Push((_sb.Length, false));
        Line("{");
        _indent++;
        return this;
    }

    /// <summary>
    /// Ends the innermost block. A loop or branch with one plain statement (no braces of its own, no directive)
    /// is folded onto one line where it fits in <see cref="FoldWidth"/>: <c>for (int k = 0; k &lt; 6; k++) { acc += w[k] * x[k]; }</c>.
    /// </summary>
    public CodeWriter Close(string suffix = "")
    {
        _indent--;
        var (start, head) = _open.Count > 0 ? _open.Pop() : (-1, false);
        string pad = new(' ', _indent * 4);

        // Only a block short enough to fold is read back (head, brace and statement lines within the fold width).
        if (head && start >= 0 && _sb.Length - start <= FoldWidth + (2 * pad.Length) + 12)
        {
            var lines = _sb.ToString(start, _sb.Length - start).Split('\n');
            if (lines.Length == 4 && lines[1] == pad + "{" && lines[2].StartsWith(pad + "    ", System.StringComparison.Ordinal))
            {
                string stmt = lines[2].Substring(pad.Length + 4);
                string folded = $"{lines[0]} {{ {stmt} }}{suffix}";
                string control = lines[0].TrimStart();
                bool loopOrBranch = control.StartsWith("for (", System.StringComparison.Ordinal) || control.StartsWith("if (", System.StringComparison.Ordinal)
                    || control.StartsWith("while (", System.StringComparison.Ordinal) || control == "else";
                if (loopOrBranch && stmt.IndexOfAny(Unfoldable) < 0 && !stmt.StartsWith("/", System.StringComparison.Ordinal) && folded.Length <= FoldWidth)
                {
                    _sb.Length = start;
                    _sb.Append(folded).Append('\n');
                    return this;
                }
            }
        }

        return Line("}" + suffix);
    }

    /// <summary>
    /// A line that holds a list: <paramref name="head"/>, a newline, the items (each written by
    /// <paramref name="literal"/> as it is appended) <paramref name="perLine"/> to a
    /// line (each line starting with <paramref name="pad"/>, items separated by ", ", lines by ",\n"), a newline
    /// and <paramref name="tail"/>; the same text as <see cref="Line"/> of the joined string, written without
    /// building it or a string per item first (a table of a million weights would be copied several times).
    /// </summary>
    public CodeWriter ListLine<T>(string head, System.Collections.Generic.IReadOnlyList<T> items, System.Func<T, string> literal, int perLine, string pad, string tail)
    {
        _sb.Append(' ', _indent * 4).Append(head).Append('\n');
        for (int i = 0; i < items.Count; i++)
        {
            _sb.Append(i == 0 ? pad : i % perLine == 0 ? ",\n" + pad : ", ").Append(literal(items[i]));
        }

        _sb.Append('\n').Append(tail).Append('\n');
        return this;
    }

    /// <summary>Characters written so far: a position for <see cref="InsertLines"/>.</summary>
    public int Length => _sb.Length;

    /// <summary>Inserts lines at <paramref name="position"/> (a <see cref="Length"/> taken at a line start), at the current indent.</summary>
    public CodeWriter InsertLines(int position, System.Collections.Generic.IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (string line in lines)
        {
            text.Append(' ', _indent * 4).Append(line).Append('\n');
        }

        _sb.Insert(position, text.ToString());
        return this;
    }

    /// <summary>
    /// The block written from <paramref name="start"/> (a <see cref="OpenBrace"/> … <see cref="Close"/> at the current
    /// indent) without its braces, its lines one level out, when nothing at its top level declares a local (a line
    /// starting with a type: <c>float s;</c>, <c>const int8_t *rx = …</c>): such a block scopes nothing.
    /// </summary>
    public CodeWriter UnwrapIfScopesNothing(int start)
    {
        string block = _sb.ToString(start, _sb.Length - start);
        string outer = new(' ', _indent * 4), inner = outer + "    ";
        var lines = block.Split('\n');
        bool braces = lines.Length >= 3 && lines[0] == outer + "{" && lines[lines.Length - 2] == outer + "}" && lines[lines.Length - 1].Length == 0;
        if (!braces || System.Linq.Enumerable.Any(lines, l => l.StartsWith(inner, System.StringComparison.Ordinal) && Declaration.IsMatch(l.Substring(inner.Length))))
        {
            return this;
        }

        var text = new StringBuilder(block.Length);
        for (int i = 1; i < lines.Length - 2; i++)
        {
            text.Append(lines[i].StartsWith(inner, System.StringComparison.Ordinal) ? lines[i].Substring(4) : lines[i]).Append('\n');
        }

        _sb.Length = start;
        _sb.Append(text);
        return this;
    }

    /// <summary>A statement that declares a local: a C or C# scalar type (maybe const, maybe a pointer) and a name.</summary>
    private static readonly System.Text.RegularExpressions.Regex Declaration = new(
        @"^(const\s+)?(float|double|int|long|short|sbyte|byte|uint|int8_t|int16_t|int32_t|int64_t|uint8_t|uint16_t|uint32_t|uint64_t)\b\s*\**\s*[A-Za-z_]",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    public override string ToString() => _sb.ToString();
}
