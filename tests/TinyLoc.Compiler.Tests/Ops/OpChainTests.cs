using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.Ops;

/// <summary>Every sequence op of Mamba and MDCSA in one graph: residuals, slices, both norms, fused activations.</summary>
public sealed class OpChainTests
{
    private static LinearParams Fc(int o, int i, int seed) =>
        new(o, i, GraphParity.Random(o * i, seed, -0.6f, 0.6f), GraphParity.Random(o, seed + 1, -0.3f, 0.3f), Activation.None);

    private static Node N(int i, Op op, string output, object p, params string[] inputs) => new($"n{i}_{op.Name}", op, inputs, output, p, output);

    public static Graph MambaAndMdcsaShapedChain() => GraphParity.Build(
        "x",
        new[] { 8, 5 },
        N(0, Linear.Instance, "e", Fc(8, 5, 1), "x"),
        N(1, AddConst.Instance, "e1", new ConstParams(GraphParity.Random(64, 3, -0.5f, 0.5f)), "e"),
        N(2, RmsNorm.Instance, "u", new NormParams(8, 1e-5f, GraphParity.Random(8, 4, 0.5f, 1.5f), null), "e1"),
        N(3, Linear.Instance, "xz", Fc(16, 8, 5), "u"),
        N(4, Slice.Instance, "xs", new SliceParams(0, 8), "xz"),
        N(5, Slice.Instance, "z", new SliceParams(8, 8), "xz"),
        N(6, Conv1d.Instance, "xa", Conv1dTests.Conv(8, 8, 4, 1, 3, 0, 8, Activation.Silu, 7), "xs"),
        N(7, Linear.Instance, "dt", Fc(8, 8, 9), "xa"),
        N(8, ActivationOp.Instance, "delta", Activation.Softplus, "dt"),
        N(9, ActivationOp.Instance, "gate", Activation.Silu, "z"),
        N(10, Mul.Instance, "gated", NoParams.Instance, "delta", "gate"),
        N(11, Add.Instance, "res", NoParams.Instance, "e1", "gated"),
        N(12, LayerNorm.Instance, "ln", new NormParams(8, 1e-5f, GraphParity.Random(8, 11, 0.5f, 1.5f), GraphParity.Random(8, 12, -0.2f, 0.2f)), "res"),
        N(13, Conv1d.Instance, "q", Conv1dTests.Conv(8, 8, 3, 1, 2, 0, 1, Activation.None, 13), "ln"),
        N(14, ActivationOp.Instance, "qt", Activation.Tanh, "q"),
        N(15, Softmax.Instance, "p", NoParams.Instance, "qt"),
        N(16, Linear.Instance, "f", Fc(8, 8, 15), "p"),
        N(17, ActivationOp.Instance, "f.elu", Activation.Elu, "f"),
        N(18, Linear.Instance, "gg", Fc(16, 8, 17), "f.elu"),
        N(19, Glu.Instance, "glu", NoParams.Instance, "gg"),
        N(20, MaxPool1d.Instance, "pool", new PoolParams(2, 2), "glu"),
        N(21, Conv1d.Instance, "y", Conv1dTests.Conv(8, 3, 2, 2, 0, 0, 1, Activation.Exp, 19), "pool"));

    [Fact]
    public void TheWholeChainRunsTheSameEverywhereAndFitsTheNanoFrameworkProfile()
    {
        var g = MambaAndMdcsaShapedChain();
        Assert.Equal(new[] { 2, 3 }, g[g.Output].Shape);
        var inputs = Enumerable.Range(0, 3).Select(i => GraphParity.Random(40, 90 + i)).ToArray();
        var outputs = GraphParity.AssertEnginesAgree(g, "ops_chain", inputs);
        Assert.All(outputs.SelectMany(o => o), v => Assert.True(float.IsFinite(v) && v > 0));

        var c = GraphParity.Compile(g, "ops_chain");
        MinimalCorlib.AssertCompilesAgainstMinimalCorlib(c.Emit("nanoframework")!.Single().Content);
        Assert.Contains(c.Report!.Layers, l => l.Op == "conv1d");
        Assert.All(c.Report.Layers, l => Assert.True(l.CodeBytes > 0, l.Node));
    }
}
