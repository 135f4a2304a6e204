using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace TinyLoc.Compiler.Tests.Security.Corpus;

/// <summary>
/// Manifests: every field given every wrong type, unknown fields, NaN and Infinity, deep nesting, huge strings and
/// documents, broken encodings; hostile text (the alphabet of <see cref="HostileTextTests"/>) in every text field.
/// The checkpoint is the real tiny_relu_reg.pt (or tiny_sigmoid_cls.pt for labels).
/// </summary>
internal static class ManifestCases
{
    private static readonly string[] WrongValues = { "null", "true", "1.5", "-1", "\"x\"", "[]", "{}", "[null]", "1e400", "\"\"" };

    public static IEnumerable<HostileCase> All()
    {
        foreach (string field in CaseManifest.Relu().Fields())
        {
            for (int i = 0; i < WrongValues.Length; i++)
            {
                string value = WrongValues[i];
                yield return Relu("wrong-type:" + field + "=" + value, "any", m => m.Set(field, value));
            }

            yield return Relu("missing:" + field, "any", m => m.Remove(field));
        }

        foreach (string path in new[] { "zzz", "input.zzz", "output.zzz", "architecture.zzz", "quantization.zzz" })
        {
            yield return Relu("unknown-field:" + path, "TL1102", m => m.Set(path, "1"));
        }

        foreach (string literal in new[] { "NaN", "Infinity", "-Infinity", "nan", "inf", "1e999", "-0", "0x10", "1.", ".5", "+1", "01" })
        {
            yield return Relu("number-literal:rssi_range=" + literal, "any", m => m.Set("input.rssi_range", "[" + literal + ", -30]"));
            yield return Relu("number-literal:missing_value=" + literal, "any", m => m.Set("input.missing_value", literal));
        }

        foreach (int depth in new[] { 65, 1_000, 100_000 })
        {
            yield return Relu("deep-array:" + depth, "TL1110", m => m.Set("description", new string('[', depth) + new string(']', depth)));
            yield return Relu("deep-object:" + depth, "TL1110", m => m.Set("zzz", string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)));
        }

        yield return Text("deep-unclosed:1000000", "TL1110", new string('[', 1_000_000));
        yield return Relu("huge-string:unknown-field-name-900KB", "TL1110", m => m.Set(new string('k', 900_000), "1"));
        yield return Relu("huge-string:unknown-field-name-10MB", "TL1013", m => m.Set(new string('k', 10_000_000), "1"));
        yield return Relu("huge-string:description-100KB", "TL1110", m => m.Set("description", CaseManifest.Quote(new string('d', 100_000))));
        yield return Relu("huge-string:description-60KB", "any", m => m.Set("description", CaseManifest.Quote(new string('d', 60_000))));
        yield return Relu("huge-string:label-escapes-900KB", "TL1110", m => m.Set("output.names", "[\"" + string.Concat(Enumerable.Repeat("\\u0041", 150_000)) + "\", \"y\"]"));
        yield return Relu("huge-array:features-100k", "any", m => m.Set("input.features", "[" + string.Join(",", Enumerable.Range(0, 100_000).Select(i => "\"f" + i.ToString(CultureInfo.InvariantCulture) + "\"")) + "]"));
        yield return Relu("huge-array:numbers-in-unknown-field", "TL1102|TL1110|TL1013", m => m.Set("zzz", "[" + string.Join(",", Enumerable.Repeat("0", 500_000)) + "]"));
        yield return Relu("huge-document:whitespace-2MiB", "TL1013", m => m.Set("zzz", new string(' ', 2 << 20) + "1"));
        yield return Relu("duplicate-key:name", "TL1101", m => m.Set("description", "\"a\", \"description\": \"b\""));
        yield return Relu("trailing-comma", "TL1101", m => m.Set("description", "\"a\","));
        yield return Relu("control-character-in-string", "TL1101", m => m.Set("description", "\"a\u0001b\""));
        yield return Relu("lone-surrogate:description", "any", m => m.Set("description", "\"\\ud800\""));
        yield return Relu("lone-surrogate:checkpoint", "fail", m => m.Set("checkpoint", "\"model\\udc00.pt\""));
        yield return Relu("nul:checkpoint", "TL1105", m => m.Set("checkpoint", "\"model\\u0000.pt\""));
        yield return Relu("nul:calibration", "TL1105", m => m.Set("quantization.calibration", "\"c\\u0000.csv\""));
        yield return Text("empty-root:null", "fail", "null");
        yield return Text("empty-root:array", "fail", "[]");
        yield return Text("empty-root:string", "fail", "\"x\"");
        yield return Text("whitespace-only", "TL1101", "   \n\t  ");
        yield return Text("bom-then-valid", "ok", "\uFEFF" + CaseManifest.Relu().Text());
        yield return Bytes("utf16-manifest", "fail", Encoding.Unicode.GetBytes(CaseManifest.Relu().Text()));
        yield return Bytes("invalid-utf8", "any", Encoding.UTF8.GetBytes(CaseManifest.Relu().Text()).Select(b => b == (byte)'d' ? (byte)0xff : b).ToArray());
        yield return Bytes("binary-garbage", "fail", Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());

        for (int seed = 0; seed < 12; seed++)
        {
            int s = seed;
            yield return Relu("hostile-text:description:" + s, "any", m => m.Set("description", CaseManifest.Quote(HostileTextTests.Hostile(s))));
            yield return Relu("hostile-text:unit:" + s, "any", m => m.Set("output.unit", CaseManifest.Quote(HostileTextTests.Hostile(s))));
            yield return Relu("hostile-text:output-names:" + s, "any", m => m.Set("output.names", "[" + CaseManifest.Quote(HostileTextTests.Hostile(s)) + ", \"y\"]"));
            yield return Relu("hostile-text:feature:" + s, "any", m => m.Set("input.features", "[" + CaseManifest.Quote(HostileTextTests.Hostile(s)) + ", \"b\", \"c\", \"d\", \"e\"]"));
            yield return Relu("hostile-text:name:" + s, "fail", m => m.Set("name", CaseManifest.Quote(HostileTextTests.Hostile(s))));
            yield return Relu("hostile-text:layer:" + s, "fail", m => m.Set("architecture.layers", "[" + CaseManifest.Quote(HostileTextTests.Hostile(s)) + ", \"fc2\", \"fc3\"]"));
            yield return new HostileCase("hostile-text:label:" + s, "any", f =>
            {
                f.Copy("models/tiny_sigmoid_cls.pt", "model.pt");
                return new CaseInput(CaseManifest.Classifier().Set("output.labels", "[" + CaseManifest.Quote(HostileTextTests.Hostile(s)) + ", \"b\", \"c\"]").WriteTo(f));
            });
        }
    }

    private static HostileCase Relu(string name, string expect, Action<CaseManifest> edit) => new(name, expect, f =>
    {
        f.Copy("models/tiny_relu_reg.pt", "model.pt");
        var m = CaseManifest.Relu();
        edit(m);
        return new CaseInput(m.WriteTo(f));
    });

    private static HostileCase Text(string name, string expect, string text) => Bytes(name, expect, Encoding.UTF8.GetBytes(text));

    private static HostileCase Bytes(string name, string expect, byte[] bytes) => new(name, expect, f =>
    {
        f.Copy("models/tiny_relu_reg.pt", "model.pt");
        return new CaseInput(f.Write("m.tinyloc.json", bytes));
    });
}
