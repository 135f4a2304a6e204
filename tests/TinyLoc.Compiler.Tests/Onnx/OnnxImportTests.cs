using System;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Tests.Golden;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.Onnx;

/// <summary>
/// The ONNX importer on hand-written files: what each supported construct computes, and a corpus of malformed and
/// unsupported files (truncated, bytes flipped, wrong wire types, huge dims, unknown operators, external data,
/// dynamic shapes) that each end in diagnostics, never in an exception.
/// </summary>
public sealed class OnnxImportTests
{
    /// <summary>Compiles an ONNX file with a manifest of <paramref name="features"/> × <paramref name="window"/> inputs (no normalisation) and regression outputs.</summary>
    internal static Compilation Compile(byte[] onnx, int features = 4, int window = 1, int outputs = 2, string family = "\"family\": \"onnx\",", string checkpoint = "m.onnx", string scheme = "none")
    {
        using var dir = ScratchDirectory.Create("onnx");
        File.WriteAllBytes(dir.File(checkpoint), onnx);
        string names(string p, int n) => string.Join(", ", Enumerable.Range(0, n).Select(i => $"\"{p}{i}\""));
        File.WriteAllText(dir.File("m.tinyloc.json"), $$"""
            {
              "tinyloc": 1, "name": "m", "checkpoint": "{{checkpoint}}", {{family}}
              "input": { "features": [{{names("f", features)}}], "window": {{window}}, "rssi_range": [-100, 0], "missing_value": null, "normalisation": "none" },
              "output": { "kind": "regression", "names": [{{names("y", outputs)}}] },
              "quantization": { "scheme": "{{scheme}}" }
            }
            """);
        Compilation? c = null;
        var escaped = Record.Exception(() => c = Compilation.Create(dir.File("m.tinyloc.json")));
        Assert.Null(escaped);
        dir.MarkSucceeded();
        return c!;
    }

    private static void AssertFails(Compilation c, string id, params string[] fragments)
    {
        Assert.False(c.Success);
        var d = c.Diagnostics.Items.FirstOrDefault(x => x.Id == id);
        Assert.True(d is not null, $"expected {id}, got: " + string.Join("\n", c.Diagnostics.Items));
        foreach (var f in fragments)
        {
            Assert.Contains(f, d!.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>A Gemm with B stored [K, N] (transB 0), alpha, beta and a broadcast bias; then Relu, Sub and Mul by constants.</summary>
    private static OnnxWriter Mlp()
    {
        var b = GraphParity.Random(4 * 3, 1);
        var c = GraphParity.Random(3, 2);
        var w2 = GraphParity.Random(3 * 2, 3);
        return new OnnxWriter()
            .Input("x", 1, 4)
            .Output("y", 1, 2)
            .Initializer("B", new[] { 4, 3 }, b)
            .Initializer("C", new[] { 3 }, c)
            .Initializer("W2", new[] { 2, 3 }, w2)
            .Initializer("half", Array.Empty<int>(), new[] { 0.5f })
            .Node("Gemm", new[] { "x", "B", "C" }, new[] { "h" }, "fc1", "", ("alpha", 2.0f), ("beta", 0.5f))
            .Node("Relu", new[] { "h" }, new[] { "r" })
            .Node("Gemm", new[] { "r", "W2" }, new[] { "z" }, "fc2", "", ("transB", 1L))
            .Node("Mul", new[] { "z", "half" }, new[] { "y" });
    }

    [Fact]
    public void GemmAttributesAndConstantsComputeWhatOnnxSays()
    {
        var c = Compile(Mlp().Build());
        Assert.True(c.Success, string.Join("\n", c.Diagnostics.Items));
        var b = GraphParity.Random(12, 1);
        var bias = GraphParity.Random(3, 2);
        var w2 = GraphParity.Random(6, 3);
        var x = new[] { 0.3f, -1.2f, 0.7f, 2.0f };
        var h = new float[3];
        for (int n = 0; n < 3; n++)
        {
            double acc = 0;
            for (int k = 0; k < 4; k++)
            {
                acc += x[k] * b[(k * 3) + n];
            }

            h[n] = Math.Max(0, (float)((2.0 * acc) + (0.5 * bias[n])));
        }

        var y = c.Evaluate(x);
        for (int o = 0; o < 2; o++)
        {
            double z = Enumerable.Range(0, 3).Sum(n => (double)h[n] * w2[(o * 3) + n]);
            Assert.True(Math.Abs(y[o] - (0.5 * z)) < 1e-5, $"y[{o}] = {y[o]}, expected {0.5 * z}");
        }

        // The scale by 0.5 folded into fc2: three nodes (fc1, relu, fc2), no addconst.
        Assert.Equal(3, c.FloatGraph!.Nodes.Count);
    }

    [Fact]
    public void LeakyReluIsItsSlopeOnTheNegativeSideInEveryEngine()
    {
        var w = new OnnxWriter().Input("x", 1, 4).Output("y", 1, 4).Node("LeakyRelu", new[] { "x" }, new[] { "y" }, "lr", "", ("alpha", 0.2f));
        var c = Compile(w.Build(), outputs: 4);
        Assert.True(c.Success, string.Join("\n", c.Diagnostics.Items));
        var x = new[] { -1.5f, 0.0f, 2.0f, -0.3f };
        Assert.Equal(new[] { -1.5f * 0.2f, 0.0f, 2.0f, -0.3f * 0.2f }, c.Evaluate(x));
        GraphParity.AssertEnginesAgree(c.FloatGraph!, "leaky_relu", new[] { x, GraphParity.Random(4, 5) });
    }

    /// <summary>A slice of the last axis of rows, and of the channels of a time-major window (after a Conv), in every engine.</summary>
    [Fact]
    public void ASliceOfColumnsOrOfChannelsIsASliceOfTheValuesRows()
    {
        var x = Enumerable.Range(0, 12).Select(i => (float)i).ToArray(); // x[t, f] = 4t + f, 3 steps of 4 features
        var rows = new OnnxWriter().Input("x", 1, 3, 4).Output("y", 1, 3, 2)
            .Int64Initializer("s", 1).Int64Initializer("e", 3).Int64Initializer("a", 2)
            .Node("Slice", new[] { "x", "s", "e", "a" }, new[] { "y" }, "cols");
        var c = Compile(rows.Build(), features: 4, window: 3, outputs: 6);
        Assert.True(c.Success, string.Join("\n", c.Diagnostics.Items));
        Assert.Equal(new[] { 1f, 2f, 5f, 6f, 9f, 10f }, c.Evaluate(x));

        var identity = new float[4 * 4];
        for (int i = 0; i < 4; i++)
        {
            identity[(i * 4) + i] = 1.0f;
        }

        var channels = new OnnxWriter().Input("x", 1, 4, 3).Output("y", 1, 3, 2)
            .Initializer("W", new[] { 4, 4, 1 }, identity)
            .Int64Initializer("s", 1).Int64Initializer("e", 3).Int64Initializer("a", 1)
            .Node("Conv", new[] { "x", "W" }, new[] { "h" }, "conv")
            .Node("Slice", new[] { "h", "s", "e", "a" }, new[] { "z" }, "chans")
            .Node("Transpose", new[] { "z" }, new[] { "y" }, "t", "", ("perm", new long[] { 0, 2, 1 }));
        var d = Compile(channels.Build(), features: 4, window: 3, outputs: 6);
        Assert.True(d.Success, string.Join("\n", d.Diagnostics.Items));
        Assert.Equal(new[] { 1f, 2f, 5f, 6f, 9f, 10f }, d.Evaluate(x));
        GraphParity.AssertEnginesAgree(d.FloatGraph!, "slice_channels", new[] { x, GraphParity.Random(12, 3) });
    }

    /// <summary>Inputs a handler does not expect (a scalar where it indexes the last dim, lists of different lengths) are TL2004 naming the node, never an exception.</summary>
    [Fact]
    public void WhatAHandlerDoesNotExpectIsADiagnosticNamingTheNode()
    {
        var scalar = new OnnxWriter().Input("x", 1, 1).Output("y", 1, 1)
            .Initializer("g", new[] { 1 }, new[] { 1.0f })
            .Node("Squeeze", new[] { "x" }, new[] { "s" }, "squeeze")
            .Node("LayerNormalization", new[] { "s", "g" }, new[] { "y" }, "norm");
        AssertFails(Compile(scalar.Build(), features: 1, outputs: 1), "TL2004", "norm", "LayerNormalization");

        var lists = new OnnxWriter().Input("x", 1, 4).Output("y", 1, 2)
            .Int64Initializer("s", 1, 0).Int64Initializer("e", 3).Int64Initializer("a", 1, 0)
            .Node("Slice", new[] { "x", "s", "e", "a" }, new[] { "y" }, "cut");
        AssertFails(Compile(lists.Build(), outputs: 2), "TL2004", "cut", "Slice");
    }

    [Fact]
    public void AnExportedModelNeedsNoFamilyAndNoArchitecture()
    {
        var c = Compile(Mlp().Build(), family: string.Empty);
        Assert.True(c.Success, string.Join("\n", c.Diagnostics.Items));
        Assert.Equal("onnx", c.Manifest!.Family);
    }

    [Fact]
    public void AFamilyThatDoesNotFitTheCheckpointIsNamed()
    {
        AssertFails(Compile(Mlp().Build(), family: "\"family\": \"mlp\", \"architecture\": {\"layers\": [\"fc1\"]},"), "TL1105", "family");
        AssertFails(Compile(File.ReadAllBytes(Path.Combine(TinyLoc.Tests.Shared.RepoPaths.ExamplesModels, "kolakowski_mlp.pt")), family: "\"family\": \"onnx\",", checkpoint: "m.pt"), "TL1105", "family");
    }

    [Fact]
    public void AnUnknownExtensionListsOnnxAmongTheFormats() =>
        AssertFails(Compile(Mlp().Build(), family: "\"family\": \"mlp\", \"architecture\": {\"layers\": [\"fc1\"]},", checkpoint: "m.bin"), "TL1011", "an .onnx model");

    [Fact]
    public void AnUnknownOperatorIsNamedWithItsNode()
    {
        var w = new OnnxWriter().Input("x", 1, 4).Output("y", 1, 4).Node("Hardmax", new[] { "x" }, new[] { "y" }, "strange");
        AssertFails(Compile(w.Build(), outputs: 4), "TL2004", "strange", "Hardmax", "not supported");
    }

    [Fact]
    public void AnotherDomainsOperatorIsRefused()
    {
        var w = new OnnxWriter().Input("x", 1, 4).Output("y", 1, 4).Node("Relu", new[] { "x" }, new[] { "y" }, "r", "com.microsoft");
        AssertFails(Compile(w.Build(), outputs: 4), "TL2004", "com.microsoft");
    }

    [Fact]
    public void ADynamicDimensionOtherThanTheBatchIsRefused()
    {
        var w = new OnnxWriter().TypedInput("x", 1, 1, null, 4).Output("y", 1, 4).Node("Relu", new[] { "x" }, new[] { "y" });
        AssertFails(Compile(w.Build(), outputs: 4), "TL2004", "dynamic", "fixed shape");
        var batch = new OnnxWriter().TypedInput("x", 1, null, 4).Output("y", 1, 4).Node("Relu", new[] { "x" }, new[] { "y" });
        Assert.True(Compile(batch.Build(), outputs: 4).Success);
    }

    [Fact]
    public void AnInputThatIsNotFloatOrNotTheManifestsWindowIsRefused()
    {
        var ints = new OnnxWriter().TypedInput("x", 7, 1, 4).Output("y", 1, 4).Node("Relu", new[] { "x" }, new[] { "y" });
        AssertFails(Compile(ints.Build(), outputs: 4), "TL2004", "element type 7");
        var wide = new OnnxWriter().Input("x", 1, 5).Output("y", 1, 5).Node("Relu", new[] { "x" }, new[] { "y" });
        AssertFails(Compile(wide.Build(), outputs: 5), "TL2004", "window of 1 × 4");
    }

    [Fact]
    public void ANodeReadingAValueNothingProducedIsNamed()
    {
        var w = new OnnxWriter().Input("x", 1, 4).Output("y", 1, 4).Node("Add", new[] { "x", "ghost" }, new[] { "y" }, "adder");
        AssertFails(Compile(w.Build(), outputs: 4), "TL2004", "adder", "ghost");
    }

    [Fact]
    public void ExternalDataIsRefusedWithoutOpeningTheFile()
    {
        var t = OnnxWriter.Tensor("W", new long[] { 4, 4 }, 1, Array.Empty<byte>(), s =>
        {
            OnnxWriter.Bytes(s, 13, OnnxWriter.Message(e =>
            {
                OnnxWriter.Text(e, 1, "location");
                OnnxWriter.Text(e, 2, "/etc/shadow");
            }));
            OnnxWriter.Varint(s, 14, 1);
        });
        var w = new OnnxWriter().Input("x", 1, 4).Output("y", 1, 4).RawInitializer(t).Node("MatMul", new[] { "x", "W" }, new[] { "y" });
        AssertFails(Compile(w.Build(), outputs: 4), "TL1018", "another file", "never opened");
    }

    [Theory]
    [InlineData(8, "data type 8")]
    [InlineData(14, "data type 14")]
    public void StringAndComplexTensorsAreRefused(int dataType, string fragment)
    {
        var w = new OnnxWriter().Input("x", 1, 4).Output("y", 1, 4).RawInitializer(OnnxWriter.Tensor("S", new long[] { 1 }, dataType, new byte[8])).Node("Relu", new[] { "x" }, new[] { "y" });
        AssertFails(Compile(w.Build(), outputs: 4), "TL1018", fragment);
    }

    [Fact]
    public void HugeDimsAreRefusedBeforeAnythingIsAllocated()
    {
        var overflow = new OnnxWriter().Input("x", 1, 4).Output("y", 1, 4).RawInitializer(OnnxWriter.Tensor("W", new long[] { 1L << 40 }, 1, new byte[4])).Node("Relu", new[] { "x" }, new[] { "y" });
        AssertFails(Compile(overflow.Build(), outputs: 4), "TL1017", "dimension 1099511627776");
        var product = new OnnxWriter().Input("x", 1, 4).Output("y", 1, 4).RawInitializer(OnnxWriter.Tensor("W", new long[] { 65536, 65536, 65536 }, 1, new byte[4])).Node("Relu", new[] { "x" }, new[] { "y" });
        AssertFails(Compile(product.Build(), outputs: 4), "TL1015", "tensor elements");
        var shortRaw = new OnnxWriter().Input("x", 1, 4).Output("y", 1, 4).RawInitializer(OnnxWriter.Tensor("W", new long[] { 4, 4 }, 1, new byte[60])).Node("Relu", new[] { "x" }, new[] { "y" });
        AssertFails(Compile(shortRaw.Build(), outputs: 4), "TL1017", "raw_data has 60 bytes");
    }

    [Fact]
    public void AWrongWireTypeIsNamed()
    {
        // ModelProto field 7 (the graph) written as a varint.
        var model = OnnxWriter.Message(s => OnnxWriter.Varint(s, 7, 12));
        AssertFails(Compile(model), "TL1017", "field 7 of ModelProto has wire type Varint");
    }

    [Fact]
    public void AModelWithoutGraphOrOpsetIsNamed()
    {
        AssertFails(Compile(OnnxWriter.Message(s => OnnxWriter.Varint(s, 1, 8))), "TL1017", "no graph");
        var graphOnly = OnnxWriter.Message(s => OnnxWriter.Bytes(s, 7, new OnnxWriter().Input("x", 1, 4).Output("y", 1, 4).Graph()));
        AssertFails(Compile(graphOnly), "TL1017", "no opset");
    }

    [Fact]
    public void DeeplyNestedGroupsEndInADiagnostic()
    {
        // 100,000 nested start-group tags in an unknown field: skipping them must not overflow the stack.
        var bytes = Enumerable.Repeat(new byte[] { 0x9B, 0x06 }, 100_000).SelectMany(b => b).ToArray(); // field 99, start group
        AssertFails(Compile(bytes), "TL1017");
    }

    [Fact]
    public void TooManyNodesAreRefused()
    {
        var w = new OnnxWriter().Input("x", 1, 4).Output("y", 1, 4);
        string prev = "x";
        for (int i = 0; i <= TinyLoc.Compiler.Import.Onnx.OnnxReader.MaxNodes; i++)
        {
            string next = i == TinyLoc.Compiler.Import.Onnx.OnnxReader.MaxNodes ? "y" : "v" + i;
            w.Node("Identity", new[] { prev }, new[] { next });
            prev = next;
        }

        AssertFails(Compile(w.Build(), outputs: 4), "TL1018", "10,000 nodes");
    }

    [Fact]
    public void EveryTruncationOfARealExportIsADiagnostic()
    {
        byte[] real = File.ReadAllBytes(Path.ChangeExtension(GoldenModels.Manifest("kolakowski_cnn_cf"), null).Replace(".tinyloc", string.Empty) + ".onnx");
        for (int cut = 0; cut < real.Length; cut += Math.Max(1, cut < 512 ? 7 : 61))
        {
            var c = Compile(real.Take(cut).ToArray(), features: 6, window: 20, outputs: 5);
            Assert.False(c.Success, $"cut at {cut} compiled");
            Assert.NotEmpty(c.Diagnostics.Items);
        }
    }

    [Fact]
    public void FlippedBytesOfARealExportNeverThrow()
    {
        byte[] real = File.ReadAllBytes(Path.ChangeExtension(GoldenModels.Manifest("kolakowski_cnn_cf"), null).Replace(".tinyloc", string.Empty) + ".onnx");
        var random = new Random(1234);
        int failed = 0;
        for (int k = 0; k < 300; k++)
        {
            var bytes = (byte[])real.Clone();
            int at = k < 150 ? random.Next(Math.Min(2048, bytes.Length)) : random.Next(bytes.Length);
            bytes[at] ^= (byte)(1 << random.Next(8));
            var c = Compile(bytes, features: 6, window: 20, outputs: 5);
            Assert.True(c.Success || c.Diagnostics.HasErrors, $"flip at {at}: neither compiled nor said why");
            failed += c.Success ? 0 : 1;
        }

        Assert.True(failed > 0, "no flipped byte was caught: the corpus tests nothing");
    }

    [Fact]
    public void RandomBytesAndAnEmptyFileAreDiagnostics()
    {
        var random = new Random(7);
        for (int k = 0; k < 50; k++)
        {
            var bytes = new byte[random.Next(1, 300)];
            random.NextBytes(bytes);
            Assert.False(Compile(bytes).Success);
        }

        AssertFails(Compile(Array.Empty<byte>()), "TL1012");
    }
}
