using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.Ops;

/// <summary>The hand-built-graph harness itself, on ops that existed before it (Linear, activations).</summary>
public sealed class GraphParityTests
{
    [Theory]
    [InlineData("none")]
    [InlineData("all")]
    public void ALinearAndActivationGraphRunsTheSameEverywhere(string unroll)
    {
        var p = new Linear(3, 5, GraphParity.Random(15, 1), GraphParity.Random(3, 2), Activation.None);
        var g = GraphParity.Build(
            "x",
            new[] { 5 },
            new Node("n0_fc", p, new[] { "x" }, "fc", "fc"),
            new Node("n1_act", new ActivationOp(Activation.Tanh), new[] { "fc" }, "fc.tanh", "fc"));
        var inputs = Enumerable.Range(0, 4).Select(i => GraphParity.Random(5, 10 + i)).ToArray();
        var outputs = GraphParity.AssertEnginesAgree(g, "graph_linear_" + unroll, inputs, UnrollSelection.Parse(unroll));
        Assert.All(outputs, o => Assert.Equal(3, o.Length));
        Assert.All(outputs.SelectMany(o => o), v => Assert.InRange(v, -1.0f, 1.0f));
    }
}
