using System.Linq;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Quantization;
using TinyLoc.Compiler.Tests.Golden;
using Xunit;

namespace TinyLoc.Compiler.Tests.Families;

/// <summary>
/// The paper's Fig. 2 effect (quantisation's fixed per-layer cost makes a tiny layer larger in int8 than in
/// float) and the <c>auto</c> scheme that avoids it.
/// </summary>
public sealed class AutoSchemeTests
{
    [Fact]
    public void MambaH8L1sTinyDtProjGainsLeastFromInt8()
    {
        var c = GoldenModels.Compile("tiny_mamba_h8l1", "dynamic");
        var dt = c.Report!.Schemes.Single(l => l.Layer == "layers.0.mixer.dt_proj");
        Assert.Equal((16, 1), (dt.Out, dt.In));
        // With one input per row, its weights are few and the per-layer constants (row sums, bias) weigh most: of
        // all the layers it gains least from dynamic int8 (the quantiser itself is shared by every dynamic layer).
        Assert.Equal(dt, c.Report.Schemes.MaxBy(l => l["dynamic"] / (double)l["none"]));
        Assert.True(dt["static"] > dt["none"], $"dt_proj: static {dt["static"]} B, float {dt["none"]} B");

        // The large layers shrink, as expected.
        var x = c.Report.Schemes.Single(l => l.Layer == "layers.0.mixer.x_proj");
        Assert.True(x["dynamic"] < x["none"] / 2);
    }

    [Theory]
    [MemberData(nameof(SequenceModels))]
    public void AutoNeverPicksTheLargerFormAndBeatsBothPureSchemes(string model)
    {
        var auto = GoldenModels.Compile(model, "auto");
        var schemes = auto.Report!.Schemes;
        var linear = auto.Graph!.Nodes.Where(n => n.Op is Linear or DLinear).ToList();
        Assert.Equal(schemes.Count, linear.Count);
        long saving = schemes.Sum(s => System.Math.Max(0, s["none"] - s["dynamic"]));
        bool switched = saving > CostModel.CortexM4.DynamicSharedBytes;
        foreach (var (node, sizes) in linear.Zip(schemes, (n, s) => (n, s)))
        {
            // Each layer takes its smaller form, unless all together save less than the quantiser they would share.
            Assert.Equal(sizes.Layer, node.Source);
            long chosen = node.Op.Cost(node, auto.Graph, CostModel.CortexM4).FlashBytes;
            Assert.Equal(switched ? System.Math.Min(sizes["none"], sizes["dynamic"]) : sizes["none"], chosen);
            Assert.Equal(switched && sizes["dynamic"] < sizes["none"], node.Op is DLinear);
        }

        long none = GoldenModels.Compile(model, "none").Report!.FlashBytes;
        long dynamic = GoldenModels.Compile(model, "dynamic").Report!.FlashBytes;
        Assert.True(auto.Report.FlashBytes <= System.Math.Min(none, dynamic), $"{model}: auto {auto.Report.FlashBytes} B, none {none} B, dynamic {dynamic} B");
    }

    [Theory]
    [InlineData("tiny_mdcsa_h16l1")]
    [InlineData("tiny_relu_reg")]
    [InlineData("uji_mlp")]
    public void WithCalibrationDataAutoMeetsItsAccuracyTarget(string model)
    {
        var inputs = GoldenModels.Vectors(model).Inputs;
        var c = Compilation.Create(GoldenModels.Manifest(model), new CompileOptions { Scheme = "auto", Unroll = UnrollMode.None, CalibrationInputs = inputs });
        Assert.True(c.Success, string.Join("\n", c.Diagnostics.Items));
        var fl = inputs.Select(c.EvaluateFloat).ToArray();
        var q = inputs.Select(c.Evaluate).ToArray();
        if (c.Manifest!.Output.IsClassification)
        {
            int same = fl.Zip(q, (a, b) => c.Manifest.ClassOf(a) == c.Manifest.ClassOf(b) ? 1 : 0).Sum();
            Assert.True(same >= AutoScheme.ClassAgreement * inputs.Length, $"{model}: {same} of {inputs.Length} keep their class");
        }
        else
        {
            double scale = fl.SelectMany(r => r).Max(v => System.Math.Abs((double)v));
            double err = fl.Zip(q, (a, b) => a.Zip(b, (x, y) => System.Math.Abs((double)x - y)).Max()).Average();
            Assert.True(err <= AutoScheme.RegressionError * scale, $"{model}: mean error {err} vs scale {scale}");
        }

        // Nothing is switched that would grow: the flash is at most the flash-only choice's.
        Assert.True(c.Report!.FlashBytes <= GoldenModels.Compile(model, "none").Report!.FlashBytes);
    }

    public static TheoryData<string> SequenceModels()
    {
        var d = new TheoryData<string>();
        foreach (var m in GoldenModels.Sequence)
        {
            d.Add(m);
        }

        return d;
    }
}
