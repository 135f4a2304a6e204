using System.Collections.Generic;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Tests.Passes;
using Xunit;

namespace TinyLoc.Compiler.Tests.Golden;

/// <summary>
/// One test body, every engine: generated C on the host (gcc, ASan + UBSan) and generated C# (Roslyn,
/// in memory) must give bit-identical outputs to the reference evaluator on every golden vector, for
/// every model × scheme × layer form; classification picks the same class. The matrix is split in two
/// classes (MLPs here, sequence models in <see cref="SequenceEngineParityTests"/>) so that xunit runs the
/// halves in parallel.
/// </summary>
public sealed class EngineParityTests
{
    [Theory]
    [MemberData(nameof(GoldenModels.MlpSchemeUnroll), MemberType = typeof(GoldenModels))]
    public void GeneratedCAndCSharpMatchTheReferenceBitForBit(string model, string scheme, string unroll) => AssertEnginesAgree(model, scheme, unroll);

    /// <summary>Compiles, runs every engine on the golden inputs and compares the bits.</summary>
    internal static void AssertEnginesAgree(string model, string scheme, string unroll, ScheduleMode schedule = ScheduleMode.Fused)
    {
        var c = GoldenModels.Compile(model, scheme, UnrollSelection.Parse(unroll), schedule: schedule);
        var inputs = GoldenModels.Vectors(model).Inputs;
        var reference = inputs.Select(c.Evaluate).ToArray();
        bool classify = c.Manifest!.Output.IsClassification;

        using var scratch = ScratchDirectory.Create(model);
        string dir = GoldenModels.EmitTo(c, "stm32", scratch.Path);
        var fromC = CHost.Run(dir, model, inputs, classify);
        FloatCompare.AssertBitIdentical(reference, fromC.Outputs, $"{model}/{scheme}/{unroll}: C on the host vs the reference evaluator");

        string cs = c.Emit("dotnet")!.First().Content;
        using var loaded = CSharpHost.Load(GoldenModels.CSharpClass(c), cs);
        FloatCompare.AssertBitIdentical(reference, loaded.PredictAll(inputs), $"{model}/{scheme}/{unroll}: C# vs the reference evaluator");

        if (classify)
        {
            int[] expected = reference.Select(c.Manifest.ClassOf).ToArray();
            Assert.Equal(expected, fromC.Classes);
            Assert.Equal(expected, loaded.ClassifyAll(inputs));
        }
    }

    [Theory]
    [MemberData(nameof(AllModels))]
    public void FloatReferenceMatchesPyTorchWithin1e5(string model) => AssertFloatMatchesPyTorch(model);

    /// <summary>The float reference (scheme none) against the golden PyTorch outputs, normwise within 1e-5.</summary>
    internal static void AssertFloatMatchesPyTorch(string model)
    {
        var c = GoldenModels.Compile(model, "none");
        var golden = GoldenModels.Vectors(model);
        var actual = golden.Inputs.Select(c.Evaluate).ToArray();
        for (int v = 0; v < actual.Length; v++)
        {
            // Normwise relative error ||a - e||inf <= 1e-5 ||e||inf: an output near zero that comes from
            // cancelling large terms is held to the precision of those terms, not to its own size.
            double scale = golden.Outputs[v].Max(x => System.Math.Abs((double)x));
            double err = golden.Outputs[v].Zip(actual[v], (e, a) => System.Math.Abs((double)a - e)).Max();
            Assert.True(err <= 1e-5 * scale, $"{model} vector {v}: max |float reference - PyTorch| = {err:G4} > 1e-5 x {scale:G6}");
        }
    }

    [Theory]
    [MemberData(nameof(AllModels))]
    public void UnrolledAndLoopedStaticCodeAgree(string model)
    {
        var inputs = GoldenModels.Vectors(model).Inputs;
        var looped = GoldenModels.Compile(model, "static", UnrollMode.None);
        var unrolled = GoldenModels.Compile(model, "static", UnrollMode.All);
        FloatCompare.AssertBitIdentical(inputs.Select(looped.Evaluate).ToArray(), inputs.Select(unrolled.Evaluate).ToArray(), $"{model}: int8 looped vs unrolled");
    }

    public static TheoryData<string> AllModels()
    {
        var d = new TheoryData<string>();
        foreach (var m in GoldenModels.All)
        {
            d.Add(m);
        }

        return d;
    }
}

/// <summary>The engine matrix of <see cref="EngineParityTests"/> for the sequence models.</summary>
public sealed class SequenceEngineParityTests
{
    [Theory]
    [MemberData(nameof(GoldenModels.SequenceSchemeUnroll), MemberType = typeof(GoldenModels))]
    public void GeneratedCAndCSharpMatchTheReferenceBitForBit(string model, string scheme, string unroll) => EngineParityTests.AssertEnginesAgree(model, scheme, unroll);

    /// <summary>
    /// The layer schedule (<c>--schedule layer</c>: every node over the whole window) in every engine too, for the models
    /// whose default schedule fuses (<see cref="TimeFusionTests"/> holds the two schedules' evaluators to the same bits).
    /// </summary>
    [Theory]
    [MemberData(nameof(FusedModels))]
    public void TheLayerScheduleMatchesTheReferenceBitForBit(string model, string scheme) => EngineParityTests.AssertEnginesAgree(model, scheme, "none", ScheduleMode.Layer);

    public static IEnumerable<object[]> FusedModels() =>
        from m in GoldenModels.Sequence
        from s in new[] { "none", "static" }
        where GoldenModels.Compile(m, s).Graph!.Loops.Count > 0
        select new object[] { m, s };
}
