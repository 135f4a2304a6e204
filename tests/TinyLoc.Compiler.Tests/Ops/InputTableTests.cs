using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Numerics;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Tests.Golden;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Tests.Mcu;
using Xunit;

namespace TinyLoc.Compiler.Tests.Ops;

/// <summary>
/// The integer input table of <see cref="Quantize"/> (whole-dBm RSSI quantised by lookup): every input gets exactly the
/// bits of the float path. Checked exhaustively over the table's domain and 300 whole numbers either side of it, with
/// the missing code, the clamp ends, fractions around every whole number of the domain, signed zeros, NaN, infinities,
/// huge values and the magic constant's neighbours, in the evaluator (which has only the float path), host C, C#, and
/// on the microcontrollers.
/// </summary>
public sealed class InputTableTests
{
    private const int Width = 256;

    public static TheoryData<string> Models() => new(GoldenModels.Examples);

    public static TheoryData<string, string> ModelsOnTargets()
    {
        var d = new TheoryData<string, string>();
        foreach (var m in GoldenModels.Examples)
        {
            foreach (var t in McuTarget.All)
            {
                d.Add(m, t.Name);
            }
        }

        return d;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void EveryTableEntryIsTheFloatPathsValue(string model)
    {
        var q = QuantizeOf(model);
        var (first, values) = q.IntegerTable()!.Value;
        var n = q.Normalize!;
        Assert.True(first <= n.Min && first + values.Length - 1 >= n.Max);
        if (n.Missing is float m)
        {
            Assert.InRange(m, first, first + values.Length - 1);
        }

        for (int k = 0; k < values.Length; k++)
        {
            Assert.Equal(QuantMath.QuantizeInput(n.Apply(first + k), q.InvScale, q.ZeroPoint), values[k]);
        }
    }

    [Fact]
    public void NoTableWithoutANormalisationOrWithAFractionalRange()
    {
        Assert.Null(new Quantize(null, 255.0f, -128).IntegerTable());
        Assert.Null(new Quantize(NormalizeParams.Create(-104.5f, 0.0f, 100.0f), 255.0f, -128).IntegerTable());
        Assert.Null(new Quantize(NormalizeParams.Create(-104.0f, 0.0f, 100.25f), 255.0f, -128).IntegerTable());
        Assert.Null(new Quantize(NormalizeParams.Create(-5000.0f, 0.0f, null), 255.0f, -128).IntegerTable());
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void HostCAndCSharpQuantiseEveryInputWithTheFloatPathsBits(string model)
    {
        var q = QuantizeOf(model);
        GraphParity.AssertEnginesAgree(Graph(q), "input_table_" + model, Vectors(q));
    }

    [RequiresMcuToolchainTheory]
    [MemberData(nameof(ModelsOnTargets))]
    public void TheMcusQuantiseEveryInputWithTheFloatPathsBits(string model, string target)
    {
        // Two vectors per program, as in OpsOnMcuTests: QEMU can drop semihosting output when much more is printed.
        var q = QuantizeOf(model);
        var c = GraphParity.Compile(Graph(q), "input_table");
        var all = Vectors(q);
        for (int start = 0; start < all.Length; start += 2)
        {
            var inputs = all.Skip(start).Take(2).ToArray();
            var build = McuBuilder.Build(c, McuTarget.ByName(target), inputs, $"input-table-{model}-{start}");
            var run = QemuRunner.Run(build, inputs.Length, classify: false, countInstructions: false);
            FloatCompare.AssertBitIdentical(inputs.Select(c.Evaluate).ToArray(), run.Result.Outputs, $"{model}'s input quantisation on {target}, vectors {start}..");
        }
    }

    private static Quantize QuantizeOf(string model) =>
        GoldenModels.Compile(model, "static").Graph!.Nodes.Select(n => n.Op).OfType<Quantize>().Single();

    /// <summary>quantize → dequantize over <see cref="Width"/> features: distinct int8 codes give distinct floats.</summary>
    private static Graph Graph(Quantize q) =>
        ShapeInference.Run(
            new Value("x", DType.Float32, new[] { Width }, ValueKind.Input),
            new[]
            {
                new Node("n0_quantize", q, new[] { "x" }, "xq", "input"),
                new Node("n1_dequantize", Dequantize.Instance, new[] { "xq" }, "y", "output"),
            },
            new Dictionary<string, QuantParams> { ["xq"] = new QuantParams(1.0f / 255.0f, q.ZeroPoint) });

    /// <summary>Every input the test feeds, in vectors of <see cref="Width"/> (the last padded with the missing code or 0).</summary>
    private static float[][] Vectors(Quantize q)
    {
        var (first, values) = q.IntegerTable()!.Value;
        int last = first + values.Length - 1;
        var xs = new List<float>();
        for (int k = first - 300; k <= last + 300; k++)
        {
            xs.Add(k);
        }

        for (int k = first - 1; k <= last + 1; k++)
        {
            xs.Add(k + 0.5f);
            xs.Add(k - 0.25f);
            xs.Add(System.MathF.BitIncrement(k));
            xs.Add(System.MathF.BitDecrement(k));
        }

        xs.AddRange(new[]
        {
            -0.0f, 0.0f, float.NaN, -float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.MinValue,
            float.Epsilon, -float.Epsilon, 1e-30f, -1e-30f, 4194304.0f, -4194304.0f, 8388608.0f, -8388608.0f,
            12582912.0f, -12582912.0f, 12582912.0f + first, -12582912.0f - first, 16777216.0f, 1e9f, -1e9f,
        });
        float pad = q.Normalize!.Missing ?? 0.0f;
        return Enumerable.Range(0, (xs.Count + Width - 1) / Width)
            .Select(v => Enumerable.Range(v * Width, Width).Select(i => i < xs.Count ? xs[i] : pad).ToArray())
            .ToArray();
    }
}
