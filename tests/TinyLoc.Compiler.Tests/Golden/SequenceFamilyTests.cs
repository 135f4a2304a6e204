using System.Collections.Generic;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Report;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Util;
using Xunit;

namespace TinyLoc.Compiler.Tests.Golden;

/// <summary>
/// The sequence families (cnn1d, mamba, mdcsa L1 and L3, CRF heads) against PyTorch's golden windows:
/// the float reference within 1e-5 (normwise) on the emissions and the final Viterbi scores, the CRF's
/// decoded tags identical to PyTorch's, and the dropped dead tensors listed in the report.
/// </summary>
public sealed class SequenceFamilyTests
{
    [Theory]
    [MemberData(nameof(Models))]
    public void FloatReferenceMatchesPyTorchWithin1e5(string model)
    {
        var c = GoldenModels.Compile(model, "none");
        var golden = GoldenModels.Vectors(model);
        var floatGraph = c.FusedGraph!;
        for (int v = 0; v < golden.Inputs.Length; v++)
        {
            var values = Trace(floatGraph, golden.Inputs[v]);
            AssertClose(golden.Outputs[v], values[floatGraph.Output], $"{model} vector {v}: output");
            if (golden.Emissions is not null)
            {
                AssertClose(golden.Emissions[v], values["emissions"], $"{model} vector {v}: emissions");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CrfModels))]
    public void CrfTagsEqualPyTorchsDecode(string model)
    {
        var c = CompileWithPathDecode(model);
        var golden = GoldenModels.Vectors(model);
        Assert.NotNull(golden.Tags);
        for (int v = 0; v < golden.Inputs.Length; v++)
        {
            int[] tags = c.Evaluate(golden.Inputs[v]).Select(x => (int)x).ToArray();
            Assert.True(golden.Tags![v].SequenceEqual(tags), $"{model} vector {v}: tags [{string.Join(",", tags)}], PyTorch [{string.Join(",", golden.Tags[v])}]");
        }

        // The last-tag mode's classify is the path's last tag.
        var last = GoldenModels.Compile(model, "none");
        for (int v = 0; v < golden.Inputs.Length; v++)
        {
            Assert.Equal(golden.Tags![v][golden.Tags[v].Length - 1], last.Manifest!.ClassOf(last.Evaluate(golden.Inputs[v])));
        }
    }

    [Fact]
    public void MdcsaDropsItsDeadTensorsAndSaysSo()
    {
        var c = GoldenModels.Compile("tiny_mdcsa_h16l1", "none");
        var names = c.Report!.Dropped.Select(d => d.Name).ToList();
        Assert.Contains("mdsca.dcsa1.causal_q2.weight", names);
        Assert.Contains("mdsca.dcsa1.ffn.context.weight", names);
        Assert.Contains("mdsca.dcsa1.norm2.weight", names);
        Assert.Equal((6L * 16 * 16) + (4 * 16), c.Report.Dropped.Sum(d => d.Parameters));
        Assert.Contains("## Dropped tensors", ReportWriter.Markdown(c.Report));
        Assert.DoesNotContain(c.Diagnostics.Items, d => d.Descriptor.Id == "TL1202");
    }

    public static TheoryData<string> Models() => Data(GoldenModels.Sequence.Concat(GoldenModels.SequenceExamples));

    public static TheoryData<string> CrfModels() => Data(GoldenModels.Sequence.Concat(GoldenModels.SequenceExamples).Where(m => GoldenModels.Vectors(m).Tags is not null));

    /// <summary>The same model with <c>"decode": "path"</c>: its output is the whole Viterbi path.</summary>
    public static Compilation CompileWithPathDecode(string model, string scheme = "none", UnrollMode unroll = UnrollMode.None)
    {
        string manifest = GoldenModels.Manifest(model);
        string text = File.ReadAllText(manifest).Replace("\"decode\": \"last\"", "\"decode\": \"path\"");
        Assert.Contains("\"decode\": \"path\"", text);
        var ckpt = Path.Combine(Path.GetDirectoryName(manifest)!, model + ".pt");
        var files = FileSource.InMemory(new Dictionary<string, byte[]>
        {
            [manifest] = System.Text.Encoding.UTF8.GetBytes(text),
            [Path.GetFullPath(ckpt)] = File.ReadAllBytes(ckpt),
        });
        var c = Compilation.Create(manifest, new CompileOptions { Scheme = scheme, Unroll = unroll, Files = files, CalibrationInputs = GoldenModels.CalibrationFor(model, scheme) });
        Assert.True(c.Success, string.Join("\n", c.Diagnostics.Items));
        return c;
    }

    /// <summary>Every float value of a graph on one input.</summary>
    public static Dictionary<string, float[]> Trace(Graph g, float[] input)
    {
        var values = new Dictionary<string, float[]>();
        var ev = new Evaluation.Evaluator(g) { OnFloatOutput = (n, y) => values[n.Output] = (float[])y.Clone() };
        ev.Run(input);
        return values;
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(x => System.Math.Abs((double)x));
        double err = expected.Zip(actual, (e, a) => System.Math.Abs((double)a - e)).Max();
        Assert.True(err <= 1e-5 * scale, $"{what}: max |float reference - PyTorch| = {err:G4} > 1e-5 x {scale:G6}");
    }

    private static TheoryData<string> Data(IEnumerable<string> models)
    {
        var d = new TheoryData<string>();
        foreach (var m in models)
        {
            d.Add(m);
        }

        return d;
    }
}
