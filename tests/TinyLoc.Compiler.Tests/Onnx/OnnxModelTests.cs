using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Tests.Golden;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.Onnx;

/// <summary>
/// ONNX exports made by examples/training/export_onnx.py with Debian's PyTorch: the float graph matches PyTorch on the
/// exported module's own outputs within 1e-5, every scheme compiles and runs the same bits in the reference evaluator,
/// host C and C#, and an export of an example gives the program its state dict gives.
/// </summary>
public sealed class OnnxModelTests
{
    public static readonly string[] Schemes = { "none", "static", "dynamic", "llm-int8", "auto" };

    public static IEnumerable<object[]> Models() => GoldenModels.Onnx.Select(m => new object[] { m });

    public static IEnumerable<object[]> ModelSchemes() =>
        from m in GoldenModels.Onnx
        from s in Schemes
        select new object[] { m, s };

    [Theory]
    [MemberData(nameof(Models))]
    public void FloatGraphMatchesPyTorchWithin1e5(string model) => EngineParityTests.AssertFloatMatchesPyTorch(model);

    [Theory]
    [MemberData(nameof(ModelSchemes))]
    public void EverySchemeRunsTheSameBitsInCAndCSharp(string model, string scheme) => EngineParityTests.AssertEnginesAgree(model, scheme, "none");

    /// <summary>The export of an example and its state dict compile to programs that give the same bits (the same weights, the same ops).</summary>
    [Theory]
    [InlineData("uji_mlp_onnx", "uji_mlp", "none")]
    [InlineData("uji_mlp_onnx", "uji_mlp", "dynamic")]
    [InlineData("kolakowski_mlp_onnx", "kolakowski_mlp", "none")]
    [InlineData("kolakowski_mlp_onnx", "kolakowski_mlp", "llm-int8")]
    [InlineData("kolakowski_cnn1d_onnx", "kolakowski_cnn1d", "none")]
    [InlineData("kolakowski_cnn1d_onnx", "kolakowski_cnn1d", "dynamic")]
    public void AnExportCompilesToTheProgramOfItsStateDict(string onnx, string stateDict, string scheme)
    {
        var fromOnnx = GoldenModels.Compile(onnx, scheme);
        var fromPt = GoldenModels.Compile(stateDict, scheme);
        var inputs = GoldenModels.Vectors(onnx).Inputs;
        FloatCompare.AssertBitIdentical(inputs.Select(fromPt.Evaluate).ToArray(), inputs.Select(fromOnnx.Evaluate).ToArray(), $"{onnx} vs {stateDict} ({scheme})");
        Assert.Equal(fromPt.Report!.WeightBytes, fromOnnx.Report!.WeightBytes);
        Assert.Equal(fromPt.Report!.Macs, fromOnnx.Report!.Macs);
    }

    /// <summary>BatchNormalization after a Gemm or Conv folds into that layer: no node of its own remains.</summary>
    [Theory]
    [InlineData("kolakowski_bn_mlp")]
    [InlineData("kolakowski_cnn_cf")]
    public void BatchNormFoldsIntoTheLayerBeforeIt(string model)
    {
        var c = GoldenModels.Compile(model, "none");
        Assert.DoesNotContain(c.FloatGraph!.Nodes, n => n.Source.Contains("BatchNorm", System.StringComparison.Ordinal));
        Assert.DoesNotContain(c.FloatGraph!.Nodes, n => n.Op is TinyLoc.Compiler.Ops.AddConst);
    }
}
