using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace TinyLoc.Compiler.Json;

/// <summary>Raised for malformed JSON, with the 1-based position of the problem.</summary>
public sealed class JsonParseException : Exception
{
    public JsonParseException(string message, int line, int column, bool overLimit = false)
        : base(message)
    {
        Line = line;
        Column = column;
        OverLimit = overLimit;
    }

    public int Line { get; }

    public int Column { get; }

    /// <summary>True when the text is well-formed as far as read but goes over a limit of <see cref="Util.InputLimits"/> (TL1110).</summary>
    public bool OverLimit { get; }
}

/// <summary>
/// A strict RFC 8259 parser that keeps line/column positions for diagnostics. Its input is untrusted: the
/// document, each string and the nesting are bounded (<see cref="Util.InputLimits"/>).
/// </summary>
public sealed class JsonParser
{
    private readonly string _text;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    private JsonParser(string text) => _text = text;

    public static JsonNode Parse(string text)
    {
        var p = new JsonParser(text);
        if (text.Length > Util.InputLimits.MaxJsonBytes)
        {
            throw p.Limit(string.Format(CultureInfo.InvariantCulture, "the document has {0:N0} characters, more than {1:N0}", text.Length, Util.InputLimits.MaxJsonBytes));
        }

        p.SkipWhitespace();
        JsonNode value = p.ParseValue(0);
        p.SkipWhitespace();
        if (p._pos < text.Length)
        {
            throw p.Error("unexpected text after the JSON value");
        }

        return value;
    }

    private int Column => _pos - _lineStart + 1;

    private JsonParseException Error(string message) => new(message, _line, Column);

    private JsonParseException Limit(string message) => new(message, _line, Column, overLimit: true);

    private JsonNode ParseValue(int depth)
    {
        if (depth > Util.InputLimits.MaxJsonDepth)
        {
            throw Limit(string.Format(CultureInfo.InvariantCulture, "nesting deeper than {0} levels", Util.InputLimits.MaxJsonDepth));
        }

        if (_pos >= _text.Length)
        {
            throw Error("unexpected end of file");
        }

        int line = _line, col = Column;
        char c = _text[_pos];
        switch (c)
        {
            case '{':
                return ParseObject(depth, line, col);
            case '[':
                return ParseArray(depth, line, col);
            case '"':
                return JsonNode.MakeString(ParseString(), line, col);
            case 't':
                Expect("true");
                return JsonNode.MakeBool(true, line, col);
            case 'f':
                Expect("false");
                return JsonNode.MakeBool(false, line, col);
            case 'n':
                Expect("null");
                return JsonNode.MakeNull(line, col);
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return JsonNode.MakeNumber(ParseNumber(), line, col);
                }

                throw Error($"unexpected character '{c}'");
        }
    }

    private JsonNode ParseObject(int depth, int line, int col)
    {
        var members = new List<KeyValuePair<string, JsonNode>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (IsEmptyAfterOpenBracket('}'))
        {
            return JsonNode.MakeObject(members, line, col);
        }

        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"')
            {
                throw Error("expected a quoted member name");
            }

            int keyLine = _line, keyCol = Column;
            string key = ParseString();
            if (!seen.Add(key))
            {
                throw new JsonParseException($"the member '{key}' appears twice", keyLine, keyCol);
            }

            SkipWhitespace();
            if (Peek() != ':')
            {
                throw Error("expected ':'");
            }

            _pos++;
            SkipWhitespace();
            members.Add(new KeyValuePair<string, JsonNode>(key, ParseValue(depth + 1)));
            if (ReadSeparatorOrClose('}'))
            {
                return JsonNode.MakeObject(members, line, col);
            }
        }
    }

    private JsonNode ParseArray(int depth, int line, int col)
    {
        var items = new List<JsonNode>();
        if (IsEmptyAfterOpenBracket(']'))
        {
            return JsonNode.MakeArray(items, line, col);
        }

        while (true)
        {
            SkipWhitespace();
            items.Add(ParseValue(depth + 1));
            if (ReadSeparatorOrClose(']'))
            {
                return JsonNode.MakeArray(items, line, col);
            }
        }
    }

    /// <summary>
    /// Reads a container's opening bracket (the current character) and the white space after it; true, with
    /// the closing bracket read too, when the container is empty.
    /// </summary>
    /// <param name="close">The closing bracket of the container: '}' or ']'.</param>
    private bool IsEmptyAfterOpenBracket(char close)
    {
        _pos++;
        SkipWhitespace();
        if (Peek() != close)
        {
            return false;
        }

        _pos++;
        return true;
    }

    /// <summary>
    /// After an object member or an array item: skips white space and reads either ',' (false: another
    /// member or item follows) or the container's closing bracket (true: the container ends). Anything else,
    /// the end of the text included, is the error "expected ',' or 'CLOSE'" at that character.
    /// </summary>
    /// <param name="close">The closing bracket of the container being read: '}' or ']'.</param>
    private bool ReadSeparatorOrClose(char close)
    {
        SkipWhitespace();
        char c = Peek();
        if (c == close)
        {
            _pos++;
            return true;
        }

        if (c != ',')
        {
            throw Error($"expected ',' or '{close}'");
        }

        _pos++;
        return false;
    }

    private string ParseString()
    {
        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error("unterminated string");
            }

            char c = _text[_pos++];
            if (c == '"')
            {
                return sb.ToString();
            }

            if (sb.Length >= Util.InputLimits.MaxJsonStringChars)
            {
                throw Limit(string.Format(CultureInfo.InvariantCulture, "a string longer than {0:N0} characters", Util.InputLimits.MaxJsonStringChars));
            }

            if (c < ' ')
            {
                _pos--;
                throw Error("control character in string");
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (_pos >= _text.Length)
            {
                throw Error("unterminated escape");
            }

            char e = _text[_pos++];
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_pos + 4 > _text.Length || !int.TryParse(_text.Substring(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int u))
                    {
                        throw Error("bad \\u escape");
                    }

                    sb.Append((char)u);
                    _pos += 4;
                    break;
                default:
                    _pos--;
                    throw Error($"bad escape '\\{e}'");
            }
        }
    }

    private double ParseNumber()
    {
        int start = _pos;
        if (Peek() == '-')
        {
            _pos++;
        }

        while (_pos < _text.Length && "0123456789.eE+-".IndexOf(_text[_pos]) >= 0)
        {
            _pos++;
        }

        string s = _text.Substring(start, _pos - start);
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
        {
            _pos = start;
            throw Error($"bad number '{s}'");
        }

        return v;
    }

    private void Expect(string word)
    {
        if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0)
        {
            throw Error($"expected '{word}'");
        }

        _pos += word.Length;
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private void SkipWhitespace()
    {
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c == '\n')
            {
                _line++;
                _lineStart = _pos + 1;
            }
            else if (c != ' ' && c != '\t' && c != '\r')
            {
                return;
            }

            _pos++;
        }
    }
}
