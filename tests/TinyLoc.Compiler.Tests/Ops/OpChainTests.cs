using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.Ops;

/// <summary>Every sequence op of Mamba and MDCSA in one graph: residuals, slices, both norms, fused activations.</summary>
public sealed class OpChainTests
{
    private static Linear Fc(int o, int i, int seed) =>
        new(o, i, GraphParity.Random(o * i, seed, -0.6f, 0.6f), GraphParity.Random(o, seed + 1, -0.3f, 0.3f), Activation.None);

    private static Node N(int i, Op op, string output, params string[] inputs) => new($"n{i}_{op.Name}", op, inputs, output, output);

    public static Graph MambaAndMdcsaShapedChain() => GraphParity.Build(
        "x",
        new[] { 8, 5 },
        N(0, Fc(8, 5, 1), "e", "x"),
        N(1, new AddConst(GraphParity.Random(64, 3, -0.5f, 0.5f)), "e1", "e"),
        N(2, new RmsNorm(new NormParams(8, 1e-5f, GraphParity.Random(8, 4, 0.5f, 1.5f), null)), "u", "e1"),
        N(3, Fc(16, 8, 5), "xz", "u"),
        N(4, new Slice(0, 8), "xs", "xz"),
        N(5, new Slice(8, 8), "z", "xz"),
        N(6, Conv1dTests.Conv(8, 8, 4, 1, 3, 0, 8, Activation.Silu, 7), "xa", "xs"),
        N(7, Fc(8, 8, 9), "dt", "xa"),
        N(8, new ActivationOp(Activation.Softplus), "delta", "dt"),
        N(9, new ActivationOp(Activation.Silu), "gate", "z"),
        N(10, Mul.Instance, "gated", "delta", "gate"),
        N(11, Add.Instance, "res", "e1", "gated"),
        N(12, new LayerNorm(new NormParams(8, 1e-5f, GraphParity.Random(8, 11, 0.5f, 1.5f), GraphParity.Random(8, 12, -0.2f, 0.2f))), "ln", "res"),
        N(13, Conv1dTests.Conv(8, 8, 3, 1, 2, 0, 1, Activation.None, 13), "q", "ln"),
        N(14, new ActivationOp(Activation.Tanh), "qt", "q"),
        N(15, Softmax.Instance, "p", "qt"),
        N(16, Fc(8, 8, 15), "f", "p"),
        N(17, new ActivationOp(Activation.Elu), "f.elu", "f"),
        N(18, Fc(16, 8, 17), "gg", "f.elu"),
        N(19, Glu.Instance, "glu", "gg"),
        N(20, new MaxPool1d(2, 2), "pool", "glu"),
        N(21, Conv1dTests.Conv(8, 3, 2, 2, 0, 0, 1, Activation.Exp, 19), "y", "pool"));

    [Fact]
    public void TheWholeChainRunsTheSameEverywhereAndFitsTheNanoFrameworkProfile()
    {
        var g = MambaAndMdcsaShapedChain();
        Assert.Equal(new[] { 2, 3 }, g[g.Output].Shape);
        var inputs = Enumerable.Range(0, 3).Select(i => GraphParity.Random(40, 90 + i)).ToArray();
        var outputs = GraphParity.AssertEnginesAgree(g, "ops_chain", inputs);
        Assert.All(outputs.SelectMany(o => o), v => Assert.True(float.IsFinite(v) && v > 0));

        var c = GraphParity.Compile(g, "ops_chain");
        MinimalCorlib.AssertCompilesAgainstMinimalCorlib(c.Emit("nanoframework")!.First().Content);
        Assert.Contains(c.Report!.Layers, l => l.Op == "conv1d");
        Assert.All(c.Report.Layers, l => Assert.True(l.CodeBytes > 0, l.Node));
    }
}
