using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json.Nodes;
using TinyLoc.Tests.Shared;

namespace TinyLoc.Compiler.Tests.Security.Corpus;

/// <summary>
/// The manifest of a real test model (tests/testdata/models, made by PyTorch), to be edited field by field: a
/// field is set to raw JSON text (which may be invalid: NaN, deep nesting) or removed, and then written.
/// </summary>
internal sealed class CaseManifest
{
    private const string RawMarker = "@@raw@@";
    private readonly JsonObject _root;
    private readonly List<string> _raw = new();

    private CaseManifest(JsonObject root) => _root = root;

    /// <summary>tiny_relu_reg (5 → 8 → 8 → 2, static int8 with stored ranges), naming <paramref name="checkpoint"/>.</summary>
    public static CaseManifest Relu(string checkpoint = "model.pt") => Load("tiny_relu_reg.tinyloc.json").Set("checkpoint", Quote(checkpoint));

    /// <summary>tiny_sigmoid_cls (a classifier: labels), naming <paramref name="checkpoint"/>.</summary>
    public static CaseManifest Classifier(string checkpoint = "model.pt") => Load("tiny_sigmoid_cls.tinyloc.json").Set("checkpoint", Quote(checkpoint));

    /// <summary>tiny_silu_reg (safetensors), naming <paramref name="checkpoint"/>.</summary>
    public static CaseManifest Safetensors(string checkpoint = "model.safetensors") => Load("tiny_silu_reg.tinyloc.json").Set("checkpoint", Quote(checkpoint));

    /// <summary>The dotted paths of every field of the manifest, objects before their members.</summary>
    public IEnumerable<string> Fields() => Walk(_root, string.Empty);

    /// <summary>Sets the field at the dotted <paramref name="path"/> to <paramref name="rawJson"/> (written as it is).</summary>
    public CaseManifest Set(string path, string rawJson)
    {
        var (parent, key) = Locate(path);
        _raw.Add(rawJson);
        parent[key] = RawMarker + (_raw.Count - 1) + RawMarker;
        return this;
    }

    public CaseManifest Remove(string path)
    {
        var (parent, key) = Locate(path);
        parent.Remove(key);
        return this;
    }

    public string Text()
    {
        string text = _root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        for (int i = _raw.Count - 1; i >= 0; i--)
        {
            text = text.Replace("\"" + RawMarker + i + RawMarker + "\"", _raw[i], StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Writes the manifest as <c>m.tinyloc.json</c> in <paramref name="folder"/> and returns its path.</summary>
    public string WriteTo(CaseFolder folder, string name = "m.tinyloc.json") => folder.WriteText(name, Text());

    /// <summary>A JSON string literal of <paramref name="s"/>, every non-ASCII or control character escaped.</summary>
    public static string Quote(string s)
    {
        var sb = new System.Text.StringBuilder("\"");
        foreach (char c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when c < 0x20 || c > 0x7e => "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    private static CaseManifest Load(string name) =>
        new((JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.TestData, "models", name)))!);

    private (JsonObject Parent, string Key) Locate(string path)
    {
        string[] parts = path.Split('.');
        JsonObject o = _root;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            o = o[parts[i]] as JsonObject ?? throw new ArgumentException("no object at " + path);
        }

        return (o, parts[^1]);
    }

    private static IEnumerable<string> Walk(JsonObject o, string prefix)
    {
        foreach (var kv in o)
        {
            string path = prefix + kv.Key;
            yield return path;
            if (kv.Value is JsonObject inner && kv.Key != "activation_ranges")
            {
                foreach (string p in Walk(inner, path + "."))
                {
                    yield return p;
                }
            }
        }
    }
}
