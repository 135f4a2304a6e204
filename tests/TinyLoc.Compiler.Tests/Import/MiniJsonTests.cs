using System.Linq;
using TinyLoc.Compiler.Import;
using Xunit;

namespace TinyLoc.Compiler.Tests.Import;

public sealed class MiniJsonTests
{
    [Fact]
    public void Parses_objects_in_order_with_exact_integers()
    {
        var root = Assert.IsType<JsonObject>(MiniJson.Parse(
            " {\"b\": [1, -2, 9007199254740993, 1.5e3], \"a\": {\"s\": \"x\\u00e9\\n\\\"\"}, \"t\": true, \"n\": null} "));
        Assert.Equal(new[] { "b", "a", "t", "n" }, root.Members.Select(m => m.Key));
        var numbers = Assert.IsType<JsonArray>(root.Get("b")).Items.Cast<JsonNumber>().ToList();
        Assert.True(numbers[2].TryGetInt64(out long big));
        Assert.Equal(9007199254740993L, big);
        Assert.False(numbers[3].TryGetInt64(out _));
        Assert.Equal("x\u00e9\n\"", Assert.IsType<JsonString>(Assert.IsType<JsonObject>(root.Get("a")).Get("s")).Value);
        Assert.Equal("a boolean", root.Get("t")!.Kind);
        Assert.Equal("null", root.Get("n")!.Kind);
    }

    [Theory]
    [InlineData("", "ends")]
    [InlineData("{", "member name")]
    [InlineData("{\"a\" 1}", "expected ':'")]
    [InlineData("{\"a\": 1,}", "member name")]
    [InlineData("[1 2]", "expected ','")]
    [InlineData("\"abc", "not closed")]
    [InlineData("\"\\q\"", "unknown escape")]
    [InlineData("\"\\u12\"", "four hex digits")]
    [InlineData("-", "digits")]
    [InlineData("1.", "decimal point")]
    [InlineData("1e", "exponent")]
    [InlineData("tru", "literal")]
    [InlineData("{} {}", "after the JSON value")]
    [InlineData("@", "unexpected character")]
    public void Rejects_invalid_json(string text, string fragment)
    {
        var ex = Assert.Throws<JsonSyntaxException>(() => MiniJson.Parse(text));
        Assert.Contains(fragment, ex.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused_not_overflowed()
    {
        var ex = Assert.Throws<JsonSyntaxException>(() => MiniJson.Parse(new string('[', 100_000)));
        Assert.Contains("nesting", ex.Message, System.StringComparison.Ordinal);
    }
}
