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

    public override string ToString() => _sb.ToString();
}
