using System.Text;

namespace TinyLoc.Compiler.Emit;

/// <summary>Indented lines with \n endings.</summary>
public sealed class CodeWriter
{
    private readonly StringBuilder _sb = new();
    private int _indent;

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
        Line("{");
        _indent++;
        return this;
    }

    public CodeWriter Close(string suffix = "")
    {
        _indent--;
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

    public override string ToString() => _sb.ToString();
}
