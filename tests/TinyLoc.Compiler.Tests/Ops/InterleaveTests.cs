using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;
using static TinyLoc.Compiler.Tests.Harness.NodeRunner;

namespace TinyLoc.Compiler.Tests.Ops;

/// <summary><c>interleave</c>: MDCSA's merge of branch outputs by time, <c>s[n·t + i] = d_i[t]</c>.</summary>
public sealed class InterleaveTests
{
    private static Node InterleaveNode(params string[] inputs) =>
        new("n0_merge", Interleave.Instance, inputs, "s", "mdsca");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RowNtPlusIIsRowTOfInputI(int n)
    {
        const int t = 5, h = 3;
        var inputs = Enumerable.Range(0, n).Select(i => T("d" + i, new[] { t, h }, GraphParity.Random(t * h, 30 + i))).ToArray();
        float[] s = Run(InterleaveNode(inputs.Select(x => x.Name).ToArray()), inputs);
        Assert.Equal(n * t * h, s.Length);
        for (int step = 0; step < t; step++)
        {
            for (int i = 0; i < n; i++)
            {
                for (int c = 0; c < h; c++)
                {
                    Assert.Equal(inputs[i].Data[(step * h) + c], s[(((n * step) + i) * h) + c]);
                }
            }
        }
    }

    [Fact]
    public void ThreeBranchesRunTheSameEverywhere()
    {
        // Branches from the caller's input and from the arena; the merged sequence is the graph output.
        const int t = 4, h = 3;
        var g = GraphParity.Build(
            "x",
            new[] { t, h },
            new Node("n0_a", new ActivationOp(Activation.Tanh), new[] { "x" }, "d1", "b1"),
            new Node("n1_b", new ActivationOp(Activation.Sigmoid), new[] { "x" }, "d2", "b2"),
            new Node("n2_merge", Interleave.Instance, new[] { "d1", "x", "d2" }, "s", "mdsca"));
        Assert.Equal(new[] { 3 * t, h }, g["s"].Shape);
        var inputs = Enumerable.Range(0, 3).Select(i => GraphParity.Random(t * h, 40 + i)).ToArray();
        var outputs = GraphParity.AssertEnginesAgree(g, "graph_interleave", inputs);
        for (int k = 0; k < inputs.Length; k++)
        {
            // Row 3t+1 is the input itself, copied exactly.
            for (int step = 0; step < t; step++)
            {
                Assert.Equal(inputs[k].Skip(step * h).Take(h), outputs[k].Skip(((3 * step) + 1) * h).Take(h));
            }
        }

        MinimalCorlib.AssertCompilesAgainstMinimalCorlib(GraphParity.Compile(g, "graph_interleave").Emit("nanoframework")!.First().Content);
    }

    [Fact]
    public void RejectsMismatchedShapesAndNoInputs()
    {
        var e = Assert.Throws<DiagnosticException>(() => Graph(InterleaveNode("a", "b"), T("a", new[] { 4, 3 }, new float[12]), T("b", new[] { 3, 4 }, new float[12])));
        Assert.Equal("TL2001", e.Diagnostic.Id);
        Assert.Contains("all inputs must have the same shape: 'a' is [4, 3] but 'b' is [3, 4]", e.Diagnostic.Message);
        e = Assert.Throws<DiagnosticException>(() => Graph(InterleaveNode(), T("a", new[] { 4, 3 }, new float[12])));
        Assert.Contains("takes at least one input", e.Diagnostic.Message);
        e = Assert.Throws<DiagnosticException>(() => Graph(InterleaveNode("a"), T("a", new[] { 2, 3, 2 }, new float[12])));
        Assert.Contains("needs a matrix", e.Diagnostic.Message);
    }
}
