using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Json;

namespace TinyLoc.Compiler.Import;

/// <summary>
/// Reads a <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON header mapping tensor names to
/// <c>dtype</c>, <c>shape</c> and <c>data_offsets</c> (relative to the end of the header; an optional
/// <c>__metadata__</c> is ignored), then the raw little-endian bytes. Tensors come back in file order (by offset).
/// </summary>
public static class SafetensorsReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly Dictionary<string, ElementType> DtypeNames = new(StringComparer.Ordinal)
    {
        ["F32"] = ElementType.Float32,
        ["F64"] = ElementType.Float64,
        ["F16"] = ElementType.Float16,
        ["BF16"] = ElementType.BFloat16,
        ["I64"] = ElementType.Int64,
        ["I32"] = ElementType.Int32,
        ["I16"] = ElementType.Int16,
        ["I8"] = ElementType.Int8,
        ["U8"] = ElementType.UInt8,
        ["BOOL"] = ElementType.Bool,
    };

    /// <summary>
    /// Returns the state dict (tensors in file order, converted to float32 row-major), or null after reporting one
    /// error in <paramref name="diagnostics"/> located at <paramref name="path"/>. Never throws.
    /// </summary>
    public static StateDict? Read(string path, DiagnosticBag diagnostics) => Read(path, diagnostics, Util.FileSource.Disk);

    /// <summary>As <see cref="Read(string, DiagnosticBag)"/>, reading the file through <paramref name="files"/>.</summary>
    public static StateDict? Read(string path, DiagnosticBag diagnostics, Util.FileSource files) =>
        CheckpointFile.Guard(path, diagnostics, DiagnosticDescriptors.SafetensorsMalformed, location => ReadCore(path, location, files));

    private static StateDict ReadCore(string path, SourceLocation location, Util.FileSource files)
    {
        byte[] bytes = CheckpointFile.ReadAllBytes(path, location, files);
        if (bytes.Length < 8)
        {
            throw Malformed(location, string.Format(CultureInfo.InvariantCulture,
                "the file has {0} bytes, fewer than the 8-byte header length", bytes.Length));
        }

        ulong headerLength = 0;
        for (int i = 7; i >= 0; i--)
        {
            headerLength = (headerLength << 8) | bytes[i];
        }

        if (headerLength == 0 || headerLength > (ulong)(bytes.Length - 8))
        {
            throw Malformed(location, string.Format(CultureInfo.InvariantCulture,
                "the header length {0} does not fit the file ({1} bytes follow the length field)", headerLength, bytes.Length - 8));
        }

        if (headerLength > Util.InputLimits.MaxJsonBytes)
        {
            throw new DiagnosticException(DiagnosticDescriptors.JsonOverLimit, location, string.Format(CultureInfo.InvariantCulture,
                "the safetensors header has {0:N0} bytes, more than {1:N0}", headerLength, Util.InputLimits.MaxJsonBytes));
        }

        JsonNode header = ParseHeader(bytes, (int)headerLength, location);
        int dataStart = 8 + (int)headerLength;
        long dataLength = bytes.Length - dataStart;

        var entries = new List<HeaderEntry>();
        foreach (var member in header.Members)
        {
            if (member.Key == "__metadata__")
            {
                continue;
            }

            entries.Add(ParseEntry(member.Key, member.Value, dataLength, location));
        }

        // File order is offset order; a stable sort keeps header order for empty tensors at the same offset.
        var ordered = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        HeaderEntry? previous = null;
        foreach (var entry in ordered)
        {
            if (previous is not null && entry.Begin < previous.End)
            {
                throw Malformed(location, string.Format(CultureInfo.InvariantCulture,
                    "tensors '{0}' [{1}, {2}) and '{3}' [{4}, {5}) overlap", previous.Name, previous.Begin, previous.End, entry.Name, entry.Begin, entry.End));
            }

            if (previous is null || entry.End >= previous.End)
            {
                previous = entry;
            }
        }

        var tensors = new List<CheckpointTensor>(ordered.Count);
        var budget = new TensorBudget(location);
        budget.AddData(dataLength);
        foreach (var entry in ordered)
        {
            budget.Take(entry.Name, entry.Shape);
            var values = new float[CheckpointTensor.ElementCount(entry.Shape)];
            ElementDecoder.DecodeContiguous(entry.Type, bytes, dataStart + (int)entry.Begin, values, 0, values.Length);
            tensors.Add(new CheckpointTensor(entry.Name, entry.Type, entry.Shape, values));
        }

        return new StateDict(path, tensors);
    }

    private static JsonNode ParseHeader(byte[] bytes, int headerLength, SourceLocation location)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, 8, headerLength);
        }
        catch (ArgumentException)
        {
            throw Malformed(location, "the header is not UTF-8 text");
        }

        JsonNode root;
        try
        {
            root = JsonParser.Parse(text);
        }
        catch (JsonParseException ex) when (ex.OverLimit)
        {
            throw new DiagnosticException(DiagnosticDescriptors.JsonOverLimit, location, string.Format(CultureInfo.InvariantCulture,
                "the safetensors header: {0} at line {1}, column {2}", ex.Message, ex.Line, ex.Column));
        }
        catch (JsonParseException ex)
        {
            throw Malformed(location, string.Format(CultureInfo.InvariantCulture,
                "the header is not valid JSON: {0} at line {1}, column {2}", ex.Message, ex.Line, ex.Column));
        }

        return root.Kind == JsonKind.Object ? root : throw Malformed(location, "the header is " + root.KindName + ", not a JSON object");
    }

    private static HeaderEntry ParseEntry(string name, JsonNode node, long dataLength, SourceLocation location)
    {
        if (node.Kind != JsonKind.Object)
        {
            throw Malformed(location, "tensor '" + name + "' is described by " + node.KindName + ", not an object");
        }

        if (node["dtype"] is not { Kind: JsonKind.String } dtypeNode)
        {
            throw Malformed(location, "tensor '" + name + "' has no string 'dtype'");
        }

        string dtype = dtypeNode.String;
        long[] shape = ReadIntegers(node["shape"], name, "shape", -1, location);
        long[] offsets = ReadIntegers(node["data_offsets"], name, "data_offsets", 2, location);
        if (!DtypeNames.TryGetValue(dtype, out ElementType type))
        {
            throw new DiagnosticException(DiagnosticDescriptors.UnsupportedDtype, location, name, dtype);
        }

        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin || end > dataLength)
        {
            throw Malformed(location, string.Format(CultureInfo.InvariantCulture,
                "tensor '{0}' has data_offsets [{1}, {2}] outside the {3} data bytes after the header", name, begin, end, dataLength));
        }

        var dims = new int[shape.Length];
        long elements = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] > int.MaxValue || (shape[i] > 0 && elements > int.MaxValue / shape[i]))
            {
                throw Malformed(location, "tensor '" + name + "' has more than " + int.MaxValue.ToString(CultureInfo.InvariantCulture) + " elements");
            }

            dims[i] = (int)shape[i];
            elements *= shape[i];
        }

        long expectedBytes = elements * ElementDecoder.SizeOf(type);
        if (end - begin != expectedBytes)
        {
            throw Malformed(location, string.Format(CultureInfo.InvariantCulture,
                "tensor '{0}' ({1} of shape [{2}]) needs {3} bytes but its data_offsets [{4}, {5}] span {6}",
                name, dtype, string.Join(", ", dims), expectedBytes, begin, end, end - begin));
        }

        return new HeaderEntry(name, type, dims, begin, end);
    }

    private static long[] ReadIntegers(JsonNode? node, string name, string field, int requiredCount, SourceLocation location)
    {
        string expected = requiredCount < 0 ? "an array of non-negative integers" : "an array of two non-negative integers";
        if (node is not { Kind: JsonKind.Array } array || (requiredCount >= 0 && array.Items.Count != requiredCount))
        {
            throw Malformed(location, "tensor '" + name + "' needs '" + field + "' as " + expected);
        }

        var values = new long[array.Items.Count];
        for (int i = 0; i < values.Length; i++)
        {
            // Integers up to 2^53 are exact in the parser's double; no safetensors file comes near that.
            double v = array.Items[i].Number;
            if (array.Items[i].Kind != JsonKind.Number || v < 0 || v != Math.Floor(v) || v > 9007199254740992.0)
            {
                throw Malformed(location, "tensor '" + name + "' needs '" + field + "' as " + expected);
            }

            values[i] = (long)v;
        }

        return values;
    }

    private static DiagnosticException Malformed(SourceLocation location, string reason) =>
        new(DiagnosticDescriptors.SafetensorsMalformed, location, reason);

    private sealed class HeaderEntry
    {
        public HeaderEntry(string name, ElementType type, int[] shape, long begin, long end)
        {
            Name = name;
            Type = type;
            Shape = shape;
            Begin = begin;
            End = end;
        }

        public string Name { get; }

        public ElementType Type { get; }

        public int[] Shape { get; }

        public long Begin { get; }

        public long End { get; }
    }
}
