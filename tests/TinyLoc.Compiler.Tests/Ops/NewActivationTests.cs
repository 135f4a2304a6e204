using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;
using static TinyLoc.Compiler.Tests.Harness.NodeRunner;

namespace TinyLoc.Compiler.Tests.Ops;

/// <summary>The activations ELU, softplus and exp: stand-alone and fused into a linear layer.</summary>
public sealed class NewActivationTests
{
    [Theory]
    [InlineData(Activation.Elu)]
    [InlineData(Activation.Softplus)]
    [InlineData(Activation.Exp)]
    public void StandAloneActivationsMatchDouble(Activation act)
    {
        float[] x = GraphParity.Random(400, (int)act, -30, 30);
        float[] y = Run(new Node("n0_act", new ActivationOp(act), new[] { "x" }, "y", "act"), T("x", new[] { 400 }, x));
        DoubleReference.AssertNormwise(y, x.Select(v => DoubleReference.Act(act, v)).ToArray(), act.Name(), 1e-6);
    }

    [Fact]
    public void NamesParseBackAndAllButReluCallExp()
    {
        foreach (var act in new[] { Activation.Elu, Activation.Softplus, Activation.Exp })
        {
            Assert.Equal(act, Activations.Parse(act.Name()));
            Assert.True(act.UsesExp());
        }

        Assert.False(Activation.Relu.UsesExp());
        Assert.False(Activation.None.UsesExp());
    }

    [Theory]
    [InlineData("none")]
    [InlineData("all")]
    public void FusedAndStandAloneActivationsRunTheSameEverywhere(string unroll)
    {
        // linear → elu (fused), linear → softplus (fused), then exp stand-alone (its input is read twice).
        var l1 = new Linear(6, 5, GraphParity.Random(30, 1), GraphParity.Random(6, 2), Activation.None);
        var l2 = new Linear(4, 6, GraphParity.Random(24, 3, -1, 1), GraphParity.Random(4, 4, -3, 3), Activation.None);
        var g = GraphParity.Build(
            "x",
            new[] { 5 },
            new Node("n0_fc1", l1, new[] { "x" }, "fc1", "fc1"),
            new Node("n1_elu", new ActivationOp(Activation.Elu), new[] { "fc1" }, "fc1.elu", "fc1"),
            new Node("n2_fc2", l2, new[] { "fc1.elu" }, "fc2", "fc2"),
            new Node("n3_softplus", new ActivationOp(Activation.Softplus), new[] { "fc2" }, "fc2.softplus", "fc2"),
            new Node("n4_sq", Mul.Instance, new[] { "fc2.softplus", "fc2.softplus" }, "sq", "sq"),
            new Node("n5_exp", new ActivationOp(Activation.Exp), new[] { "sq" }, "y", "exp"));
        var fused = ActivationFusion.Run(g);
        Assert.Equal(new[] { Activation.Elu, Activation.Softplus }, fused.Nodes.Select(n => n.Op).OfType<Linear>().Select(l => l.Act));
        var inputs = Enumerable.Range(0, 4).Select(i => GraphParity.Random(5, 80 + i, -6, 6)).ToArray();
        GraphParity.AssertEnginesAgree(g, "ops_activations_" + unroll, inputs, UnrollSelection.Parse(unroll));
    }
}
