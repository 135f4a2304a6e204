using System.Collections.Generic;
using System.Linq;

namespace TinyLoc.Compiler.Json;

public enum JsonKind
{
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

/// <summary>An immutable JSON value that remembers where it started in its file (1-based).</summary>
public sealed class JsonNode
{
    private JsonNode(JsonKind kind, int line, int column)
    {
        Kind = kind;
        Line = line;
        Column = column;
    }

    public JsonKind Kind { get; }

    public int Line { get; }

    public int Column { get; }

    public bool Bool { get; private set; }

    public double Number { get; private set; }

    public string String { get; private set; } = string.Empty;

    public IReadOnlyList<JsonNode> Items { get; private set; } = System.Array.Empty<JsonNode>();

    /// <summary>Object members in file order (duplicate keys are reported by the parser).</summary>
    public IReadOnlyList<KeyValuePair<string, JsonNode>> Members { get; private set; } = System.Array.Empty<KeyValuePair<string, JsonNode>>();

    public string KindName => Kind switch
    {
        JsonKind.Null => "null",
        JsonKind.Bool => "a boolean",
        JsonKind.Number => "a number",
        JsonKind.String => "a string",
        JsonKind.Array => "an array",
        _ => "an object",
    };

    public JsonNode? this[string key] => Members.Where(m => m.Key == key).Select(m => m.Value).FirstOrDefault();

    internal static JsonNode MakeNull(int l, int c) => new(JsonKind.Null, l, c);

    internal static JsonNode MakeBool(bool v, int l, int c) => new(JsonKind.Bool, l, c) { Bool = v };

    internal static JsonNode MakeNumber(double v, int l, int c) => new(JsonKind.Number, l, c) { Number = v };

    internal static JsonNode MakeString(string v, int l, int c) => new(JsonKind.String, l, c) { String = v };

    internal static JsonNode MakeArray(IReadOnlyList<JsonNode> v, int l, int c) => new(JsonKind.Array, l, c) { Items = v };

    internal static JsonNode MakeObject(IReadOnlyList<KeyValuePair<string, JsonNode>> v, int l, int c) => new(JsonKind.Object, l, c) { Members = v };
}
