using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Tests.Golden;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;
using static TinyLoc.Compiler.Tests.Harness.NodeRunner;

namespace TinyLoc.Compiler.Tests.Ops;

/// <summary>Mamba's <c>selective_scan</c>: the recurrence against double precision, engines bit for bit, shape checks.</summary>
public sealed class SelectiveScanTests
{
    private static Node ScanNode(SelectiveScan p, string xa = "xa", string delta = "delta", string dbc = "dbc") =>
        new("n0_scan", p, new[] { xa, delta, dbc }, "y", "layers.0.mixer");

    /// <summary>models.md step 8 as written, in double: h = exp(Δ·A)·h + Δ·B·x; y = Σ_n h·C + D·x.</summary>
    private static double[] Reference(SelectiveScan p, int steps, int width, float[] xa, float[] delta, float[] dbc)
    {
        int di = p.Channels, ns = p.States;
        var h = new double[di * ns];
        var y = new double[steps * di];
        for (int t = 0; t < steps; t++)
        {
            for (int c = 0; c < di; c++)
            {
                double dt = delta[(t * di) + c], x = xa[(t * di) + c], acc = 0;
                for (int n = 0; n < ns; n++)
                {
                    h[(c * ns) + n] = (System.Math.Exp(dt * p.A[(c * ns) + n]) * h[(c * ns) + n]) + (dt * dbc[(t * width) + p.BOffset + n] * x);
                    acc += h[(c * ns) + n] * dbc[(t * width) + p.COffset + n];
                }

                y[(t * di) + c] = acc + (p.D[c] * x);
            }
        }

        return y;
    }

    /// <summary>A Mamba-like block: A = −exp(A_log) around −(n+1) (the S4D-real init), D near 1.</summary>
    private static SelectiveScan MambaLike(int di, int ns, int rank)
    {
        float[] jitter = GraphParity.Random(di * ns, 7, -0.3f, 0.3f);
        float[] a = Enumerable.Range(0, di * ns).Select(i => -(float)System.Math.Exp(System.Math.Log((i % ns) + 1) + jitter[i])).ToArray();
        return new SelectiveScan(di, ns, rank, rank + ns, a, GraphParity.Random(di, 8, 0.5f, 1.5f));
    }

    [Theory]
    [InlineData(20, 16, 16, 1)]
    [InlineData(20, 64, 16, 2)]
    [InlineData(7, 5, 3, 0)]
    public void MatchesADoublePrecisionReferenceWithin1e5Normwise(int steps, int di, int ns, int rank)
    {
        var p = MambaLike(di, ns, rank);
        int width = rank + (2 * ns);
        float[] xa = GraphParity.Random(steps * di, 1, -0.3f, 3.0f);
        float[] delta = GraphParity.Random(steps * di, 2, 0.001f, 2.0f);
        float[] dbc = GraphParity.Random(steps * width, 3, -1.0f, 1.0f);
        float[] y = Run(ScanNode(p), T("xa", new[] { steps, di }, xa), T("delta", new[] { steps, di }, delta), T("dbc", new[] { steps, width }, dbc));
        double err = NormwiseError(y, Reference(p, steps, width, xa, delta, dbc));
        Assert.True(err < 1e-5, $"normwise error {err:E3}");
    }

    [Fact]
    public void AScanGraphRunsTheSameEverywhereAndStartsFromZeroStateEachCall()
    {
        // xa is the caller's input, delta = sigmoid(x) > 0, dbc = x·xᵀ [6, 6] with B in columns 0-2 and C in 3-5.
        const int t = 6, di = 4, ns = 3;
        var p = new SelectiveScan(di, ns, 0, 3, GraphParity.Random(di * ns, 5, -3.0f, -0.2f), GraphParity.Random(di, 6));
        var g = GraphParity.Build(
            "x",
            new[] { t, di },
            new Node("n0_delta", new ActivationOp(Activation.Sigmoid), new[] { "x" }, "delta", "dt"),
            new Node("n1_dbc", new MatMul(true, 0.5f), new[] { "x", "x" }, "dbc", "x_proj"),
            new Node("n2_scan", p, new[] { "x", "delta", "dbc" }, "y", "layers.0.mixer"));
        float[] a = GraphParity.Random(t * di, 50), b = GraphParity.Random(t * di, 51);
        var outputs = GraphParity.AssertEnginesAgree(g, "graph_scan", new[] { a, b, a });
        FloatCompare.AssertBitIdentical(outputs[0], outputs[2], "the same window twice (the state must not carry over)");
        var layer = GraphParity.AssertEnginesAgree(g, "graph_scan_layer", new[] { a, b, a }, schedule: TinyLoc.Compiler.Passes.ScheduleMode.Layer);
        FloatCompare.AssertBitIdentical(outputs, layer, "the fused and the layer schedule");

        // Fused (the default), the state is the loop's carry in the arena, set to zero before the first step.
        var fused = GraphParity.Compile(g, "graph_scan");
        Assert.Equal(0, fused.Report!.ScratchBytes);
        Assert.Equal(di * ns, fused.Graph![Assert.Single(Assert.Single(fused.Graph.Loops).Carries)].Elements);
        Assert.Equal(2L * t * di * ns, fused.Report.Layers.Single(l => l.Op == "selective_scan_step").Macs);

        var c = GraphParity.Compile(g, "graph_scan", schedule: TinyLoc.Compiler.Passes.ScheduleMode.Layer);
        Assert.Equal(di * ns * 4, c.Report!.ScratchBytes);
        Assert.Equal(2L * t * di * ns, c.Report.Layers.Single(l => l.Op == "selective_scan").Macs);
        Assert.Equal(4L * ((di * ns) + di), c.Report.Layers.Single(l => l.Op == "selective_scan").WeightBytes);
        string cs = c.Emit("nanoframework")!.First().Content;
        MinimalCorlib.AssertCompilesAgainstMinimalCorlib(cs);
        using var loaded = CSharpHost.Load(GoldenModels.CSharpClass(c), cs);
        var output = new float[loaded.OutputCount];
        Assert.Equal(0, CSharpHost.MeasureAllocatedBytesPerCall(() => loaded.PredictInto(a, output)));
    }

    [Fact]
    public void RejectsInputsThatDoNotFitTheParameters()
    {
        var p = new SelectiveScan(4, 3, 1, 4, new float[12], new float[4]);
        Tensor xa = T("xa", new[] { 5, 4 }, new float[20]), delta = T("delta", new[] { 5, 4 }, new float[20]), dbc = T("dbc", new[] { 5, 7 }, new float[35]);
        Assert.Equal(new[] { 5, 4 }, Graph(ScanNode(p), xa, delta, dbc)["y"].Shape);

        string Fails(SelectiveScan sp, params Tensor[] inputs) =>
            Assert.Throws<DiagnosticException>(() => Graph(ScanNode(sp), inputs)).Diagnostic.Message;
        Assert.Contains("'delta' is [5, 3], needs [T, 4]", Fails(p, xa, T("delta", new[] { 5, 3 }, new float[15]), dbc));
        Assert.Contains("'delta' has 4 time steps but 'xa' has 5", Fails(p, xa, T("delta", new[] { 4, 4 }, new float[16]), dbc));
        Assert.Contains("C columns [4, 7) do not fit in the 6 columns of 'dbc'", Fails(p, xa, delta, T("dbc", new[] { 5, 6 }, new float[30])));
        Assert.Contains("B columns [-1, 2)", Fails(p with { BOffset = -1 }, xa, delta, dbc));
        Assert.Contains("A must have Channels·States = 12 values and D 4, they have 11 and 4", Fails(p with { A = new float[11] }, xa, delta, dbc));
        var two = new Node("n0_scan", p, new[] { "xa", "delta" }, "y", "m");
        Assert.Contains("takes 3 inputs, has 2", Assert.Throws<DiagnosticException>(() => Graph(two, xa, delta)).Diagnostic.Message);
    }
}
