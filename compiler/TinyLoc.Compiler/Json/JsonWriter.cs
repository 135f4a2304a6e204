using System.Collections.Generic;
using System.Text;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Json;

/// <summary>
/// Writes JSON deterministically: 2-space indent, \n line ends, members in the order given, numbers in
/// invariant round-trip form. Short arrays of scalars stay on one line.
/// </summary>
public sealed class JsonWriter
{
    private readonly StringBuilder _sb = new();
    private int _indent;

    public override string ToString() => _sb.ToString();

    public static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    public JsonWriter BeginObject()
    {
        _sb.Append("{\n");
        _indent++;
        _first.Push(true);
        return this;
    }

    public JsonWriter EndObject()
    {
        _indent--;
        _first.Pop();
        _sb.Append('\n').Append(' ', _indent * 2).Append('}');
        if (_indent == 0)
        {
            _sb.Append('\n');
        }

        return this;
    }

    public JsonWriter Key(string key)
    {
        if (!_first.Pop())
        {
            _sb.Append(",\n");
        }

        _first.Push(false);
        _sb.Append(' ', _indent * 2).Append(Quote(key)).Append(": ");
        return this;
    }

    public JsonWriter Raw(string json)
    {
        _sb.Append(json);
        return this;
    }

    public JsonWriter Value(string? s) => Raw(s is null ? "null" : Quote(s));

    public JsonWriter Value(long v) => Raw(Fmt.Int(v));

    public JsonWriter Value(double v) => Raw(Fmt.Double(v));

    public JsonWriter Value(bool v) => Raw(v ? "true" : "false");

    public JsonWriter Strings(IEnumerable<string> items) => Raw("[" + string.Join(", ", Map(items, Quote)) + "]");

    public JsonWriter Numbers(IEnumerable<double> items) => Raw("[" + string.Join(", ", Map(items, Fmt.Double)) + "]");

    private static IEnumerable<string> Map<T>(IEnumerable<T> items, System.Func<T, string> f)
    {
        foreach (var i in items)
        {
            yield return f(i);
        }
    }

    private readonly Stack<bool> _first = new();
}
