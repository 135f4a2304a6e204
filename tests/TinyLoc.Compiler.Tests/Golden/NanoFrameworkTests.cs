using System.Linq;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.Golden;

/// <summary>The nanoFramework profile uses arrays and primitives only, and a call allocates nothing.</summary>
public sealed class NanoFrameworkTests
{
    [Theory]
    [InlineData("kolakowski_mlp", "static", "all")]
    [InlineData("uji_mlp", "static", "none")]
    [InlineData("tiny_tanh_cls", "none", "all")]
    [InlineData("tiny_silu_reg", "static", "none")]
    [InlineData("tiny_sigmoid_cls", "static", "all")]
    [InlineData("kolakowski_mlp", "dynamic", "none")]
    [InlineData("tiny_mamba_h8l1", "dynamic", "none")]
    [InlineData("tiny_mdcsa_h16l1", "llm-int8", "none")]
    [InlineData("tiny_cnn1d", "none", "all")]
    public void CompilesAgainstAMinimalCorlib(string model, string scheme, string unroll)
    {
        var c = GoldenModels.Compile(model, scheme, UnrollSelection.Parse(unroll));
        MinimalCorlib.AssertCompilesAgainstMinimalCorlib(c.Emit("nanoframework")!.First().Content);
    }

    [Theory]
    [InlineData("kolakowski_mlp", "static")]
    [InlineData("uji_mlp", "static")]
    [InlineData("tiny_silu_reg", "none")]
    public void PredictAndClassifyAllocateNothingAfterWarmUp(string model, string scheme)
    {
        var c = GoldenModels.Compile(model, scheme, UnrollMode.None);
        using var loaded = CSharpHost.Load(GoldenModels.CSharpClass(c), c.Emit("nanoframework")!.First().Content);
        var input = GoldenModels.Vectors(model).Inputs[0];
        var output = new float[loaded.OutputCount];
        Assert.Equal(0, CSharpHost.MeasureAllocatedBytesPerCall(() => loaded.PredictInto(input, output)));
        if (loaded.CanClassify)
        {
            Assert.Equal(0, CSharpHost.MeasureAllocatedBytesPerCall(() => loaded.Classify(input)));
        }
    }
}
