using System;
using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// Reads golden-vector files: <c>{ "model": "...", "torch": "...", "inputs": [[...]...], "outputs": [[...]...] }</c>.
/// </summary>
/// <remarks>
/// Numbers are float32 values printed with Python's <c>repr</c> of the widened double, so reading a
/// double and narrowing it to float is exact; a number that is not exactly a float32 is rejected,
/// since it means the file was written from float64 data. JSON has no NaN or infinity: the strings
/// <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c> are accepted for them. Other fields are ignored.
/// </remarks>
public static class GoldenVectors
{
    /// <summary>Loads and checks a golden-vector file.</summary>
    /// <param name="path">The path of <c>NAME.golden.json</c>.</param>
    /// <exception cref="FormatException">The file does not have the expected shape; the message names the file and the field.</exception>
    public static GoldenVectorSet Load(string path)
    {
        using FileStream stream = File.OpenRead(path);
        using JsonDocument document = JsonDocument.Parse(stream, new JsonDocumentOptions
        {
            AllowTrailingCommas = false,
            CommentHandling = JsonCommentHandling.Disallow,
        });
        return Parse(document.RootElement, path);
    }

    /// <summary>Parses golden-vector JSON text (for tests and in-memory data).</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceName">A name for error messages.</param>
    public static GoldenVectorSet Parse(string json, string sourceName = "golden JSON")
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return Parse(document.RootElement, sourceName);
    }

    private static GoldenVectorSet Parse(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{source}: the top level must be an object.");
        }

        string model = root.TryGetProperty("model", out JsonElement m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()!
            : throw new FormatException($"{source}: 'model' must be a string.");
        string? torch = root.TryGetProperty("torch", out JsonElement t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : null;
        float[][] inputs = ReadMatrix(root, "inputs", source);
        float[][] outputs = ReadMatrix(root, "outputs", source);
        if (inputs.Length != outputs.Length)
        {
            throw new FormatException($"{source}: {inputs.Length} inputs but {outputs.Length} outputs.");
        }

        return new GoldenVectorSet(model, torch, inputs, outputs)
        {
            Emissions = root.TryGetProperty("emissions", out _) ? ReadMatrix(root, "emissions", source) : null,
            Tags = root.TryGetProperty("tags", out _) ? ReadMatrix(root, "tags", source).Select(r => r.Select(v => (int)v).ToArray()).ToArray() : null,
        };
    }

    private static float[][] ReadMatrix(JsonElement root, string field, string source)
    {
        if (!root.TryGetProperty(field, out JsonElement array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{source}: '{field}' must be an array of arrays of numbers.");
        }

        var rows = new List<float[]>(array.GetArrayLength());
        int width = -1;
        foreach (JsonElement row in array.EnumerateArray())
        {
            int r = rows.Count;
            if (row.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{source}: '{field}[{r}]' must be an array of numbers.");
            }

            var values = new float[row.GetArrayLength()];
            int c = 0;
            foreach (JsonElement cell in row.EnumerateArray())
            {
                values[c] = ReadFloat(cell, $"{source}: '{field}[{r}][{c}]'");
                c++;
            }

            if (width >= 0 && values.Length != width)
            {
                throw new FormatException($"{source}: '{field}[{r}]' has {values.Length} values; earlier rows have {width}.");
            }

            width = values.Length;
            rows.Add(values);
        }

        return rows.ToArray();
    }

    private static float ReadFloat(JsonElement cell, string where)
    {
        switch (cell.ValueKind)
        {
            case JsonValueKind.Number:
                double wide = cell.GetDouble();
                float narrow = (float)wide;
                if ((double)narrow != wide)
                {
                    throw new FormatException(
                        $"{where} = {cell.GetRawText()} is not a float32 value (it would round to {FloatBits.Describe(narrow)}); "
                        + "write float32 values, e.g. tensor.float().tolist().");
                }

                return narrow;
            case JsonValueKind.String:
                switch (cell.GetString())
                {
                    case "NaN": return float.NaN;
                    case "Infinity": return float.PositiveInfinity;
                    case "-Infinity": return float.NegativeInfinity;
                }

                break;
        }

        throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{where} is not a number: {cell.GetRawText()}"));
    }
}
