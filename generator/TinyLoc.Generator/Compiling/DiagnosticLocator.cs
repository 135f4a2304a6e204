using System;
using System.IO;
using Microsoft.CodeAnalysis.Text;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Json;
using TinyLoc.Generator.Parsing;
using TinyLoc.Generator.Pipeline;

namespace TinyLoc.Generator.Compiling;

/// <summary>
/// Places the compiler's diagnostics in the model file, so the build's error list and the IDE lead to
/// the line to change: the line and column when the compiler gives them, else the manifest field it names,
/// and for problems inside the checkpoint or calibration file (binary, or data) the manifest's
/// <c>"checkpoint"</c> or <c>"calibration"</c> field, with that file's name put before the message.
/// Anything else points at the start of the model file.
/// </summary>
internal sealed class DiagnosticLocator
{
    private readonly ModelRequest _request;
    private readonly SourceText? _text;
    private readonly JsonNode? _root;

    /// <summary>A locator for one model.</summary>
    /// <param name="request">The model's manifest path and text.</param>
    public DiagnosticLocator(ModelRequest request)
    {
        _request = request;
        if (request.Text is null)
        {
            return;
        }

        _text = SourceText.From(request.Text);
        try
        {
            _root = JsonParser.Parse(request.Text);
        }
        catch (JsonParseException)
        {
            _root = null;
        }
    }

    /// <summary>Where <paramref name="location"/> is in the model file, and the referenced file's name to put before the message (or null).</summary>
    /// <param name="location">A compiler location (1-based line and column, or 0 for none).</param>
    public (LocationInfo Location, string? FileName) Locate(SourceLocation location)
    {
        string file = location.File.Length == 0 ? string.Empty : RequestReader.Normalize(location.File);
        if (file.Length > 0 && !string.Equals(file, _request.ManifestPath, StringComparison.Ordinal))
        {
            JsonNode? reference = Reference("checkpoint", _root?["checkpoint"], file) ?? Reference("calibration", _root?["quantization"]?["calibration"], file);
            return (reference is null ? Start() : At(reference.Line, reference.Column), Path.GetFileName(file));
        }

        if (location.Line > 0)
        {
            return (At(location.Line, location.Column), null);
        }

        return (Field(location.Field) is { } node ? At(node.Line, node.Column) : Start(), null);
    }

    private JsonNode? Reference(string name, JsonNode? node, string file)
    {
        if (node is not { Kind: JsonKind.String } || name.Length == 0)
        {
            return null;
        }

        string dir = Path.GetDirectoryName(_request.ManifestPath) ?? string.Empty;
        return string.Equals(RequestReader.Normalize(Path.Combine(dir, node.String)), file, StringComparison.Ordinal) ? node : null;
    }

    /// <summary>The node of a dotted manifest field such as <c>quantization.scheme</c> (the deepest one found), or null.</summary>
    private JsonNode? Field(string? field)
    {
        if (_root is null || string.IsNullOrEmpty(field) || field!.StartsWith("TinyLoc", StringComparison.Ordinal))
        {
            return null;
        }

        JsonNode? found = null;
        JsonNode? node = _root;
        foreach (string part in field.Split('.'))
        {
            node = node is { Kind: JsonKind.Object } ? node[part] : null;
            if (node is null)
            {
                break;
            }

            found = node;
        }

        return found;
    }

    private LocationInfo Start() => LocationInfo.FileStart(_request.ManifestPath);

    /// <summary>From a 1-based line and column to the end of that line (trailing spaces and commas left out).</summary>
    private LocationInfo At(int line, int column)
    {
        if (_text is null || _text.Lines.Count == 0)
        {
            return Start();
        }

        var text = _text.Lines[Math.Min(Math.Max(line, 1), _text.Lines.Count) - 1];
        int start = text.Start + Math.Min(Math.Max(column - 1, 0), text.Span.Length);
        int end = text.End;
        while (end > start && (char.IsWhiteSpace(_text[end - 1]) || _text[end - 1] == ','))
        {
            end--;
        }

        var lines = _text.Lines.GetLinePositionSpan(TextSpan.FromBounds(start, end));
        return new LocationInfo(_request.ManifestPath, start, end - start, lines.Start.Line, lines.Start.Character, lines.End.Line, lines.End.Character);
    }
}
