using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Util;
using Xunit;

namespace TinyLoc.Compiler.Tests.Security;

/// <summary>
/// Model files are untrusted: text drawn from a hostile alphabet (comment ends, trigraphs, every kind of
/// newline, NUL, BiDi controls, quotes, backslashes, keywords, the generated API's own names) in every field
/// that reaches generated code either gives a TL diagnostic, or compiles (gcc strict C99, Roslyn) to code that
/// computes what the reference evaluator computes and defines nothing the payload tried to define.
/// The models are built in memory at test time (safetensors + manifest in a <see cref="Util.FileSource"/>).
/// </summary>
public sealed class HostileTextTests
{
    private const string Dir = "/hostile";

    /// <summary>Pieces an attacker would try; their markers (tl_pwned_c, PwnedCs, PwnedNs) must never become code.</summary>
    private static readonly string[] Alphabet =
    {
        "*/ int tl_pwned_c(void) { return 1337; } /*",
        "x\npublic static class PwnedCs { }\n//",
        "\r\n#define tl_pwned_c 1\r",
        "\u0085\u2028\u2029 public class PwnedCs2 { } //",
        "??/", "??=", "??'", "/", "*", "/*", "*/", "//",
        "\0", "\u202E\u2066", "\u200B",
        "\"", "'", "\\", "\\\"", "&<>",
        "int", "return", "class", "namespace", "static", "void",
        "predict", "labels", "hash", "ram_bytes", "InputCount", "Predict", "Labels",
        "é中😀",
    };

    internal static string Hostile(int seed, bool allowNul = true)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder(Alphabet[seed % 4]);
        for (int i = 0; i < 8; i++)
        {
            string p = Alphabet[rng.Next(Alphabet.Length)];
            if (allowNul || p != "\0")
            {
                sb.Append(p);
            }
        }

        return sb.Append(seed % 2 == 0 ? "\\" : "*").ToString();
    }

    // ---------------------------------------------------------------- escaping functions

    [Theory]
    [InlineData("plain text, 5 -> 8", "plain text, 5 -> 8")]
    [InlineData("a */ b", "a * / b")]
    [InlineData("a /* b", "a / * b")]
    [InlineData("*/*/", " * / * / ")]
    [InlineData("line1\nline2\r\nline3\u0085x\u2028y\u2029z", "line1 line2  line3 x y z")]
    [InlineData("??/", "?? / ")]
    [InlineData("??=??(", "?? =?? (")]
    [InlineData("what?", "what?")]
    [InlineData("nul\0here", "nul[U+0000]here")]
    [InlineData("bidi\u202Eevil\u2066", "bidi[U+202E]evil[U+2066]")]
    [InlineData("ends with \\", "ends with [U+005C]")]
    [InlineData("é中😀", "é中😀")]
    public void CommentTextIsOneSafeLine(string text, string expected)
    {
        string s = Naming.CommentText(text);
        Assert.Equal(expected, s);
        AssertSafeComment(s);
    }

    [Fact]
    public void CommentTextWritesUnpairedSurrogatesAsCodePoints()
    {
        Assert.Equal("[U+D800]lone", Naming.CommentText("\ud800lone"));
        Assert.Equal("lone[U+DC00]", Naming.CommentText("lone\udc00"));
        Assert.Equal(2, Naming.LabelProblem("a\ud800") is null ? 0 : 2);
    }

    [Fact]
    public void CommentTextOfTheWholeAlphabetIsSafe()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            AssertSafeComment(Naming.CommentText(Hostile(seed)));
        }

        Assert.Equal("a &lt;b&gt; &amp;amp;".Replace("&gt;", ">"), Naming.DocText("a <b> &amp;"));
    }

    [Theory]
    [InlineData("B0F0", "B0F0")]
    [InlineData("a\"b\\c", "a\\\"b\\\\c")]
    [InlineData("??/", "\\?\\?/")]
    [InlineData("x\ny\r", "x\\012y\\015")]
    [InlineData("é", "\\303\\251")]
    [InlineData("\u2028", "\\342\\200\\250")]
    [InlineData("1\u00851", "1\\302\\2051")]
    public void CStringEscapes(string text, string expected) => Assert.Equal(expected, Naming.CString(text));

    [Theory]
    [InlineData("B0F0", "B0F0")]
    [InlineData("a\"b\\c", "a\\\"b\\\\c")]
    [InlineData("x\ny\u2028\0", "x\\u000Ay\\u2028\\u0000")]
    [InlineData("é", "\\u00E9")]
    public void CSharpStringEscapes(string text, string expected) => Assert.Equal(expected, Naming.CSharpString(text));

    [Fact]
    public void CSharpStringRoundTripsThroughRoslyn()
    {
        for (int seed = 0; seed < 50; seed++)
        {
            string text = Hostile(seed);
            var token = SyntaxFactory.ParseToken("\"" + Naming.CSharpString(text) + "\"");
            Assert.Equal(SyntaxKind.StringLiteralToken, token.Kind());
            Assert.Equal(text, token.ValueText);
        }
    }

    [Theory]
    [InlineData("uji_mlp", true)]
    [InlineData("kolakowski_mlp", true)]
    [InlineData("predict", false)]
    [InlineData("labels", false)]
    [InlineData("hash", false)]
    [InlineData("ram_bytes", false)]
    [InlineData("input_count", false)]
    [InlineData("exp", false)]
    [InlineData("scratch_f32", false)]
    [InlineData("int", false)]
    [InlineData("class", false)]
    [InlineData("system", false)]
    [InlineData("a__b", false)]
    [InlineData("a_", false)]
    [InlineData("A-b", false)]
    public void ModelNames(string name, bool ok) => Assert.Equal(ok, Naming.ModelNameProblem(name) is null);

    [Theory]
    [InlineData("TinyLoc.Models", true)]
    [InlineData("My_App.Models2", true)]
    [InlineData("A { } public class PwnedNs { } namespace B", false)]
    [InlineData("A..B", false)]
    [InlineData("", false)]
    [InlineData("A.class", false)]
    [InlineData("A.global", false)]
    [InlineData("Ünïcode", false)]
    public void Namespaces(string ns, bool ok) => Assert.Equal(ok, Naming.NamespaceProblem(ns) is null);

    // ---------------------------------------------------------------- whole models: rejected with a diagnostic

    public static TheoryData<string, string> RejectedCases() => new()
    {
        { "name:predict", "TL1109" },
        { "name:ram_bytes", "TL1109" },
        { "name:labels", "TL1109" },
        { "name:int", "TL1109" },
        { "label:nul", "TL1108" },
        { "label:long", "TL1108" },
        { "label:surrogate", "TL1108" },
        { "range:1e-45,2e-45", "TL1105" },
        { "range:-50.000001,-50", "TL1105" },
        { "range:-1e39,1e39", "TL1105" },
        { "missing:1e39", "TL1105" },
        { "checkpoint:nul", "TL1105" },
        { "calibration:nul", "TL1105" },
        { "layers:empty", "TL1105" },
        { "layers:input", "TL1105" },
        { "layers:input.norm", "TL1105" },
        { "layers:duplicate", "TL1105" },
        { "layers:activation-output", "TL2003" },
        { "zero-units", "TL2001|TL1203|TL1206" },
        { "nan-weight:none", "TL1205" },
        { "inf-bias:none", "TL1205" },
        { "nan-weight:dynamic", "TL1205" },
        { "inf-weight:auto", "TL1205" },
        { "nan-weight:llm-int8", "TL1205" },
        { "-inf-weight:static", "TL1205" },
    };

    [Theory]
    [MemberData(nameof(RejectedCases))]
    public void HostileModelsGiveDiagnostics(string kase, string ids)
    {
        var spec = new ModelSpec();
        string? scheme = null;
        string[] k = kase.Split(':', 2);
        switch (k[0])
        {
            case "name": spec.Name = k[1]; break;
            case "label": spec.Labels[1] = k[1] switch { "nul" => "a\0b", "long" => new string('x', 1 << 15), _ => "a\ud800" }; break;
            case "range": spec.Range = k[1].Replace(",", ", "); break;
            case "missing": spec.Missing = k[1]; break;
            case "checkpoint": spec.CheckpointFile = "m\0.safetensors"; break;
            case "calibration": spec.Calibration = "c\0.csv"; break;
            case "layers":
                spec.Layers = k[1] switch
                {
                    "empty" => new[] { "", "b" },
                    "duplicate" => new[] { "a", "a" },
                    "activation-output" => new[] { "a", "a.relu" },
                    _ => new[] { k[1], "b" },
                };
                break;
            case "zero-units": spec.Hidden = 0; break;
            default:
                scheme = k[1];
                float bad = k[0].StartsWith("nan", StringComparison.Ordinal) ? float.NaN : k[0].StartsWith("-inf", StringComparison.Ordinal) ? float.NegativeInfinity : float.PositiveInfinity;
                if (k[0].EndsWith("bias", StringComparison.Ordinal))
                {
                    spec.BadBias = bad;
                }
                else
                {
                    spec.BadWeight = bad;
                }

                break;
        }

        var c = spec.Compile(scheme);
        Assert.False(c.Success, kase + " compiled");
        var errors = c.Diagnostics.Items.Where(d => d.Severity == Severity.Error).ToList();
        Assert.NotEmpty(errors);
        Assert.Contains(errors, d => ids.Split('|').Contains(d.Id));
        Assert.All(errors, d => Assert.NotEqual(string.Empty, d.Location.File));
    }

    [Fact]
    public void HostileNamespaceIsRejected()
    {
        var c = new ModelSpec().Compile("none");
        Assert.True(c.Success, string.Join("\n", c.Diagnostics.Items));
        foreach (string ns in new[] { "A { } public class PwnedNs { } namespace B", "A.\nB", "A.int", "A\u202EB" })
        {
            var bag = new DiagnosticBag();
            Assert.Null(CodeEmitter.Emit(c, "dotnet", TemplateSource.Embedded, bag, ns));
            Assert.Equal("TL5006", Assert.Single(bag.Items).Id);
        }
    }

    // ---------------------------------------------------------------- whole models: compiled and checked

    [Fact]
    public void HostileTextCompilesToTheSameModelInCAndCSharp()
    {
        var inputs = new[] { new[] { -60f, -75f, 100f }, new[] { -90f, -40f, -55f }, new[] { 0f, -104f, -70f } };
        var cases = new[]
        {
            new ModelSpec
            {
                Name = "hostile_cls",
                Description = Hostile(0),
                Layers = new[] { "p*/ output[0] = 1337.0f; return; /*", Hostile(1) },
                Labels = new[] { Hostile(2, allowNul: false), "??/", "\\", "é中😀\u202E" },
            },
            new ModelSpec
            {
                Name = "hostile_reg",
                Description = Hostile(3) + "\ud800 lone surrogate",
                Layers = new[] { Hostile(5), "x\npublic static class PwnedCs { }\n//" },
                Regression = true,
                OutputNames = new[] { Hostile(6), "y??/", Hostile(7), "*/" },
                Unit = Hostile(8),
            },
        };

        foreach (var spec in cases)
        {
            foreach (string scheme in new[] { "none", "dynamic" })
            {
                var c = spec.Compile(scheme);
                Assert.True(c.Success, string.Join("\n", c.Diagnostics.Items));
                float[][] expected = inputs.Select(c.Evaluate).ToArray();
                CheckCSharp(spec, c, inputs, expected);
                if (scheme == "none")
                {
                    CheckC(spec, c, inputs, expected);
                }
            }
        }
    }

    private static void CheckCSharp(ModelSpec spec, Compilation c, float[][] inputs, float[][] expected)
    {
        const string ns = "Hostile.Models_1";
        var files = c.Emit("dotnet", null, ns);
        Assert.NotNull(files);
        // The class, then the runtime's own files (TinyLoc.Runtime/*.cs, copied as they are).
        string source = files![0].Content;
        Assert.All(files.Skip(1), f => Assert.StartsWith("TinyLoc.Runtime/", f.Path));

        // No identifier of the payloads is code (comments and strings are trivia or literal tokens).
        var tree = CSharpSyntaxTree.ParseText(source);
        Assert.Empty(tree.GetDiagnostics());
        var identifiers = tree.GetRoot().DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText).ToHashSet();
        Assert.DoesNotContain(identifiers, i => i.StartsWith("Pwned", StringComparison.Ordinal) || i.StartsWith("tl_pwned", StringComparison.Ordinal));

        using var model = CSharpHost.Load(ns + "." + CodeEmitter.PascalCase(spec.Name), source);
        Assert.Equal(new[] { CodeEmitter.PascalCase(spec.Name) }, model.ModelType.Assembly.GetExportedTypes().Where(t => t.Namespace != "TinyLoc.Runtime").Select(t => t.Name).ToArray());
        Assert.DoesNotContain(model.ModelType.Assembly.GetTypes(), t => t.Name.Contains("Pwned", StringComparison.Ordinal));
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(Bits(expected[i]), Bits(model.Predict(inputs[i])));
        }

        if (!spec.Regression)
        {
            var labels = (string[])model.ModelType.GetField("Labels")!.GetValue(null)!;
            Assert.Equal(spec.Labels, labels);
        }
    }

    private static void CheckC(ModelSpec spec, Compilation c, float[][] inputs, float[][] expected)
    {
        var files = c.Emit("stm32");
        Assert.NotNull(files);
        using var scratch = ScratchDirectory.Create("hostile-" + spec.Name);
        foreach (var f in files!)
        {
            File.WriteAllText(scratch.File(f.Path), f.Content);
        }

        // Same numbers as the reference (strict flags, ASan/UBSan: the harness's defaults).
        var run = CHost.Run(scratch.Path, spec.Name, inputs, classify: !spec.Regression);
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(Bits(expected[i]), Bits(run.Outputs[i]));
        }

        // Strict C99 without sanitizers, plus a driver that prints each label's bytes; then only NAME_ globals.
        string main = scratch.File("labels_main.c");
        File.WriteAllText(main, spec.Regression
            ? $"#include \"{spec.Name}.h\"\nint main(void) {{ return 0; }}\n"
            : $"#include <stdio.h>\n#include \"{spec.Name}.h\"\nint main(void)\n{{\n    int i;\n    for (i = 0; i < {spec.Labels.Length}; i++)\n    {{\n        const unsigned char *p = (const unsigned char *){spec.Name}_labels[i];\n        while (*p) {{ printf(\"%02x\", *p++); }}\n        printf(\"\\n\");\n    }}\n    return 0;\n}}\n");
        var flags = new List<string> { "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O0", "-I", scratch.Path };
        var obj = ProcessRunner.Run("gcc", flags.Concat(new[] { "-c", scratch.File(spec.Name + ".c"), "-o", scratch.File("model.o") }).ToList(), scratch.Path, TimeSpan.FromSeconds(120));
        Assert.True(obj.Succeeded, obj.Describe());
        var link = ProcessRunner.Run("gcc", flags.Concat(new[] { main, scratch.File("model.o"), "-o", scratch.File("labels") }).ToList(), scratch.Path, TimeSpan.FromSeconds(120));
        Assert.True(link.Succeeded, link.Describe());
        var printed = ProcessRunner.Run(scratch.File("labels"), Array.Empty<string>(), scratch.Path, TimeSpan.FromSeconds(30));
        Assert.True(printed.Succeeded, printed.Describe());
        if (!spec.Regression)
        {
            var want = spec.Labels.Select(l => Convert.ToHexString(Encoding.UTF8.GetBytes(l)).ToLowerInvariant());
            Assert.Equal(want, printed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        var nm = ProcessRunner.Run("nm", new[] { "--defined-only", "-g", scratch.File("model.o") }, scratch.Path, TimeSpan.FromSeconds(30));
        Assert.True(nm.Succeeded, nm.Describe());
        var globals = nm.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ').Last()).ToList();
        Assert.NotEmpty(globals);
        Assert.All(globals, g => Assert.StartsWith(spec.Name + "_", g, StringComparison.Ordinal));
        var all = ProcessRunner.Run("nm", new[] { scratch.File("model.o") }, scratch.Path, TimeSpan.FromSeconds(30));
        Assert.All(all.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ').Last()), sym => Assert.StartsWith(spec.Name + "_", sym, StringComparison.Ordinal));
        scratch.MarkSucceeded();
    }

    private static void AssertSafeComment(string s)
    {
        Assert.DoesNotContain("*/", s, StringComparison.Ordinal);
        Assert.DoesNotContain("/*", s, StringComparison.Ordinal);
        Assert.False(s.StartsWith('/') || s.StartsWith('*') || s.EndsWith('/') || s.EndsWith('*') || s.EndsWith('\\'), s);
        foreach (string t in new[] { "??=", "??/", "??'", "??(", "??)", "??!", "??<", "??>", "??-" })
        {
            Assert.DoesNotContain(t, s, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(s, ch => ch < 0x20 || ch == 0x7F || ch is '\u0085' or '\u2028' or '\u2029' or '\u202E' or '\u2066');
        Assert.Null(Naming.UnpairedSurrogateAt(s));

        // As a C# line comment and a block comment, it is one comment token and nothing else.
        foreach (string code in new[] { "// " + s + "\nclass K { }", "/* " + s + " */ class K { }" })
        {
            var tree = CSharpSyntaxTree.ParseText(code);
            Assert.Empty(tree.GetDiagnostics());
            Assert.Equal(new[] { "class", "K", "{", "}", string.Empty }, tree.GetRoot().DescendantTokens().Select(t => t.Text).ToArray());
        }
    }

    private static uint[] Bits(float[] v) => v.Select(BitConverter.SingleToUInt32Bits).ToArray();

    /// <summary>A 3-feature MLP with two Linear layers (3 → Hidden → outputs), written as safetensors + manifest in memory.</summary>
    private sealed class ModelSpec
    {
        public string Name { get; set; } = "hostile";

        public string? Description { get; set; }

        public string[] Layers { get; set; } = { "fc1", "fc2" };

        public string[] Labels { get; set; } = { "a", "b", "c", "d" };

        public bool Regression { get; set; }

        public string[] OutputNames { get; set; } = { "x", "y", "z", "w" };

        public string? Unit { get; set; }

        public string Range { get; set; } = "-104, 0";

        public string Missing { get; set; } = "100";

        public string CheckpointFile { get; set; } = "m.safetensors";

        public string? Calibration { get; set; }

        public int Hidden { get; set; } = 5;

        public float? BadWeight { get; set; }

        public float? BadBias { get; set; }

        public Compilation Compile(string? scheme)
        {
            var rng = new Random(7);
            int outputs = Regression ? OutputNames.Length : Labels.Length;
            var tensors = new List<(string Name, int[] Shape, float[] Values)>();
            int inF = 3;
            for (int l = 0; l < Layers.Length; l++)
            {
                int outF = l == Layers.Length - 1 ? outputs : Hidden;
                float[] w = Enumerable.Range(0, outF * inF).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
                float[] b = Enumerable.Range(0, outF).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
                if (l == 0 && BadWeight is float bw && w.Length > 0)
                {
                    w[w.Length / 2] = bw;
                }

                if (l == Layers.Length - 1 && BadBias is float bb)
                {
                    b[0] = bb;
                }

                if (tensors.All(t => t.Name != Layers[l] + ".weight"))
                {
                    tensors.Add((Layers[l] + ".weight", new[] { outF, inF }, w));
                    tensors.Add((Layers[l] + ".bias", new[] { outF }, b));
                }

                inF = outF;
            }

            var header = new StringBuilder("{");
            var data = new List<byte>();
            foreach (var (name, shape, values) in tensors)
            {
                int start = data.Count;
                foreach (float v in values)
                {
                    data.AddRange(BitConverter.GetBytes(v));
                }

                header.Append(header.Length > 1 ? "," : string.Empty)
                    .Append(Json(name)).Append(":{\"dtype\":\"F32\",\"shape\":[").Append(string.Join(",", shape))
                    .Append("],\"data_offsets\":[").Append(start).Append(',').Append(data.Count).Append("]}");
            }

            byte[] checkpoint = Import.SafetensorsReaderTests.Compose(header.Append('}').ToString(), data.ToArray());
            string output = Regression
                ? $"\"kind\": \"regression\", \"names\": [{string.Join(", ", OutputNames.Select(Json))}]{(Unit is null ? string.Empty : ", \"unit\": " + Json(Unit))}"
                : $"\"kind\": \"classification\", \"labels\": [{string.Join(", ", Labels.Select(Json))}]";
            string manifest = "{\n"
                + "  \"tinyloc\": 1,\n"
                + $"  \"name\": {Json(Name)},\n"
                + (Description is null ? string.Empty : $"  \"description\": {Json(Description)},\n")
                + $"  \"checkpoint\": {Json(CheckpointFile)},\n"
                + "  \"family\": \"mlp\",\n"
                + $"  \"architecture\": {{ \"layers\": [{string.Join(", ", Layers.Select(Json))}], \"activation\": \"relu\" }},\n"
                + $"  \"input\": {{ \"features\": [\"f*/0\", \"??/\", \"predict\"], \"rssi_range\": [{Range}], \"missing_value\": {Missing} }},\n"
                + $"  \"output\": {{ {output} }},\n"
                + $"  \"quantization\": {{ \"scheme\": \"static\"{(Calibration is null ? string.Empty : ", \"calibration\": " + Json(Calibration))} }}\n"
                + "}\n";
            string manifestPath = Dir + "/m.tinyloc.json";
            var files = new Dictionary<string, byte[]>
            {
                [manifestPath] = Encoding.UTF8.GetBytes(manifest),
                [Dir + "/m.safetensors"] = checkpoint,
            };
            var samples = new[] { new[] { -60f, -75f, 100f }, new[] { -90f, -40f, -55f }, new[] { 0f, -104f, -70f }, new[] { -30f, -30f, -30f } };
            return Compilation.Create(manifestPath, new CompileOptions { Scheme = scheme, Files = FileSource.InMemory(files), CalibrationInputs = scheme == "static" ? samples : scheme == "auto" ? samples : null });
        }

        /// <summary>A JSON string literal, ASCII only (everything else as \uXXXX, unpaired surrogates included).</summary>
        private static string Json(string s)
        {
            var sb = new StringBuilder("\"");
            foreach (char ch in s)
            {
                if (ch == '"' || ch == '\\')
                {
                    sb.Append('\\').Append(ch);
                }
                else if (ch >= 0x20 && ch < 0x7F)
                {
                    sb.Append(ch);
                }
                else
                {
                    sb.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                }
            }

            return sb.Append('"').ToString();
        }
    }
}
