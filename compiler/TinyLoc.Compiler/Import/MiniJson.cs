using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace TinyLoc.Compiler.Import;

// A minimal JSON reader (RFC 8259) for the safetensors header: no external packages can be used in the
// netstandard2.0 compiler. Objects keep their members in file order, duplicates included; numbers keep their
// text so integers are read exactly. Nesting is limited so hostile input cannot overflow the call stack.

/// <summary>A parsed JSON value; <see cref="Position"/> is the character index where it starts.</summary>
internal abstract class JsonNode
{
    protected JsonNode(int position)
    {
        Position = position;
    }

    public int Position { get; }

    /// <summary>"an object", "a string", … for diagnostics.</summary>
    public abstract string Kind { get; }
}

/// <summary>A JSON object, members in file order.</summary>
internal sealed class JsonObject : JsonNode
{
    public JsonObject(int position, IReadOnlyList<KeyValuePair<string, JsonNode>> members)
        : base(position)
    {
        Members = members;
    }

    public IReadOnlyList<KeyValuePair<string, JsonNode>> Members { get; }

    public override string Kind => "an object";

    /// <summary>The first member named <paramref name="name"/>, or null.</summary>
    public JsonNode? Get(string name)
    {
        foreach (var member in Members)
        {
            if (member.Key == name)
            {
                return member.Value;
            }
        }

        return null;
    }
}

/// <summary>A JSON array.</summary>
internal sealed class JsonArray : JsonNode
{
    public JsonArray(int position, IReadOnlyList<JsonNode> items)
        : base(position)
    {
        Items = items;
    }

    public IReadOnlyList<JsonNode> Items { get; }

    public override string Kind => "an array";
}

/// <summary>A JSON string (escapes decoded).</summary>
internal sealed class JsonString : JsonNode
{
    public JsonString(int position, string value)
        : base(position)
    {
        Value = value;
    }

    public string Value { get; }

    public override string Kind => "a string";
}

/// <summary>A JSON number, kept as its text.</summary>
internal sealed class JsonNumber : JsonNode
{
    public JsonNumber(int position, string text)
        : base(position)
    {
        Text = text;
    }

    public string Text { get; }

    public override string Kind => "a number";

    /// <summary>The value when the number is an integer (no fraction or exponent) that fits a long.</summary>
    public bool TryGetInt64(out long value) =>
        long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}

/// <summary>true, false or null.</summary>
internal sealed class JsonLiteral : JsonNode
{
    public JsonLiteral(int position, string text)
        : base(position)
    {
        Text = text;
    }

    public string Text { get; }

    public override string Kind => Text == "null" ? "null" : "a boolean";
}

/// <summary>Invalid JSON; <see cref="Position"/> is the character index of the problem.</summary>
internal sealed class JsonSyntaxException : Exception
{
    public JsonSyntaxException(string message, int position)
        : base(message)
    {
        Position = position;
    }

    public int Position { get; }
}

/// <summary>Parses JSON text into <see cref="JsonNode"/>s.</summary>
internal sealed class MiniJson
{
    /// <summary>The deepest nesting of arrays and objects accepted.</summary>
    public const int MaxDepth = 64;

    private readonly string _text;
    private int _position;
    private int _depth;

    private MiniJson(string text)
    {
        _text = text;
    }

    /// <summary>Parses one JSON value surrounded by optional whitespace.</summary>
    /// <exception cref="JsonSyntaxException">The text is not valid JSON.</exception>
    public static JsonNode Parse(string text)
    {
        var parser = new MiniJson(text);
        JsonNode value = parser.ParseValue();
        parser.SkipWhitespace();
        if (parser._position != text.Length)
        {
            throw parser.Error("unexpected text after the JSON value");
        }

        return value;
    }

    private JsonNode ParseValue()
    {
        SkipWhitespace();
        if (_position >= _text.Length)
        {
            throw Error("the text ends where a value was expected");
        }

        char c = _text[_position];
        switch (c)
        {
            case '{':
                return ParseObject();
            case '[':
                return ParseArray();
            case '"':
                int start = _position;
                return new JsonString(start, ParseString());
            case 't':
                return ParseLiteral("true");
            case 'f':
                return ParseLiteral("false");
            case 'n':
                return ParseLiteral("null");
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return ParseNumber();
                }

                throw Error(string.Format(CultureInfo.InvariantCulture, "unexpected character '{0}'", c));
        }
    }

    private JsonObject ParseObject()
    {
        int start = _position;
        Enter();
        _position++; // '{'
        var members = new List<KeyValuePair<string, JsonNode>>();
        SkipWhitespace();
        if (TryConsume('}'))
        {
            _depth--;
            return new JsonObject(start, members);
        }

        while (true)
        {
            SkipWhitespace();
            if (_position >= _text.Length || _text[_position] != '"')
            {
                throw Error("expected a member name in double quotes");
            }

            string name = ParseString();
            SkipWhitespace();
            Expect(':');
            members.Add(new KeyValuePair<string, JsonNode>(name, ParseValue()));
            SkipWhitespace();
            if (TryConsume('}'))
            {
                _depth--;
                return new JsonObject(start, members);
            }

            Expect(',');
        }
    }

    private JsonArray ParseArray()
    {
        int start = _position;
        Enter();
        _position++; // '['
        var items = new List<JsonNode>();
        SkipWhitespace();
        if (TryConsume(']'))
        {
            _depth--;
            return new JsonArray(start, items);
        }

        while (true)
        {
            items.Add(ParseValue());
            SkipWhitespace();
            if (TryConsume(']'))
            {
                _depth--;
                return new JsonArray(start, items);
            }

            Expect(',');
        }
    }

    private string ParseString()
    {
        _position++; // opening quote
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Error("a string is not closed");
            }

            char c = _text[_position++];
            if (c == '"')
            {
                return builder.ToString();
            }

            if (c < ' ')
            {
                throw Error("a string contains a control character");
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (_position >= _text.Length)
            {
                throw Error("a string is not closed");
            }

            char escape = _text[_position++];
            switch (escape)
            {
                case '"':
                case '\\':
                case '/':
                    builder.Append(escape);
                    break;
                case 'b':
                    builder.Append('\b');
                    break;
                case 'f':
                    builder.Append('\f');
                    break;
                case 'n':
                    builder.Append('\n');
                    break;
                case 'r':
                    builder.Append('\r');
                    break;
                case 't':
                    builder.Append('\t');
                    break;
                case 'u':
                    if (_position + 4 > _text.Length
                        || !int.TryParse(_text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                    {
                        throw Error("a \\u escape needs four hex digits");
                    }

                    builder.Append((char)code);
                    _position += 4;
                    break;
                default:
                    throw Error(string.Format(CultureInfo.InvariantCulture, "unknown escape '\\{0}'", escape));
            }
        }
    }

    private JsonNumber ParseNumber()
    {
        int start = _position;
        TryConsume('-');
        if (TryConsume('0'))
        {
            // a leading zero stands alone
        }
        else if (!ConsumeDigits())
        {
            throw Error("a number needs digits");
        }

        if (TryConsume('.') && !ConsumeDigits())
        {
            throw Error("a number needs digits after its decimal point");
        }

        if (TryConsume('e') || TryConsume('E'))
        {
            if (!TryConsume('+'))
            {
                TryConsume('-');
            }

            if (!ConsumeDigits())
            {
                throw Error("a number needs digits in its exponent");
            }
        }

        return new JsonNumber(start, _text.Substring(start, _position - start));
    }

    private JsonLiteral ParseLiteral(string literal)
    {
        int start = _position;
        if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0)
        {
            throw Error("unknown literal (expected true, false or null)");
        }

        _position += literal.Length;
        return new JsonLiteral(start, literal);
    }

    private bool ConsumeDigits()
    {
        int start = _position;
        while (_position < _text.Length && _text[_position] >= '0' && _text[_position] <= '9')
        {
            _position++;
        }

        return _position > start;
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw Error(string.Format(CultureInfo.InvariantCulture, "nesting deeper than {0} levels", MaxDepth));
        }
    }

    private void SkipWhitespace()
    {
        while (_position < _text.Length && _text[_position] is ' ' or '\t' or '\n' or '\r')
        {
            _position++;
        }
    }

    private bool TryConsume(char c)
    {
        if (_position < _text.Length && _text[_position] == c)
        {
            _position++;
            return true;
        }

        return false;
    }

    private void Expect(char c)
    {
        if (!TryConsume(c))
        {
            throw Error(string.Format(CultureInfo.InvariantCulture, "expected '{0}'", c));
        }
    }

    private JsonSyntaxException Error(string message) => new(message, _position);
}
