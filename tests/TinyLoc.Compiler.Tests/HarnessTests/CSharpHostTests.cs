using System;
using System.Linq;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.HarnessTests;

public sealed class CSharpHostTests
{
    [Fact]
    public void Load_binds_the_model_class_by_model_name()
    {
        using CSharpModel model = CSharpHost.Load(SampleModels.ToyName, SampleModels.ToyCSharp);

        Assert.Equal("TinyLoc.Models.Toy", model.ModelType.FullName);
        Assert.Equal(3, model.InputCount);
        Assert.Equal(3, model.OutputCount);
        Assert.True(model.CanClassify);

        float[][] inputs = [[1.0f, -2.5f, 3.25f], [-0.0f, float.Epsilon, 1e38f], [5.0f, 7.0f, 6.0f]];
        float[][] expected = inputs.Select(v => v.Select(x => x * 2.0f).ToArray()).ToArray();
        FloatCompare.AssertBitIdentical(expected, model.PredictAll(inputs), "C# toy vs x*2");
        Assert.Equal([2, 2, 1], model.ClassifyAll(inputs));
    }

    [Fact]
    public void Load_finds_pascal_case_classes_and_rejects_wrong_input_lengths()
    {
        string source = SampleModels.ToyCSharp.Replace("class Toy", "class KolakowskiMlp", StringComparison.Ordinal);
        using CSharpModel model = CSharpHost.Load("kolakowski_mlp", source);

        Assert.Equal("TinyLoc.Models.KolakowskiMlp", model.ModelType.FullName);
        Assert.Throws<ArgumentException>(() => model.Predict([1.0f]));
    }

    [Fact]
    public void Compile_errors_list_diagnostics_with_line_numbers()
    {
        string broken = SampleModels.ToyCSharp.Replace("input[i] * 2.0f", "input[i] * twice", StringComparison.Ordinal);

        var e = Assert.Throws<HarnessException>(() => CSharpHost.Load(SampleModels.ToyName, broken));

        Assert.Contains("source0.cs(15,40): error CS0103", e.Message, StringComparison.Ordinal);
        Assert.Contains("CS0103", e.Message, StringComparison.Ordinal);
        Assert.Contains("output[i] = input[i] * twice;", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_are_errors_by_default()
    {
        string noisy = SampleModels.ToyCSharp.Replace(
            "int best = 0;",
            "int best = 0;\n                int unused = 1;",
            StringComparison.Ordinal);

        var e = Assert.Throws<HarnessException>(() => CSharpHost.Load(SampleModels.ToyName, noisy));
        Assert.Contains("CS0219", e.Message, StringComparison.Ordinal);

        using CSharpModel relaxed = CSharpHost.Load(
            SampleModels.ToyName,
            noisy,
            CSharpHostOptions.Default with { WarningsAsErrors = false });
        Assert.Equal(3, relaxed.OutputCount);
    }

    [Fact]
    public void A_class_without_the_api_is_reported_with_its_members()
    {
        string source = SampleModels.ToyCSharp.Replace("Predict(", "Run(", StringComparison.Ordinal);

        var e = Assert.Throws<HarnessException>(() => CSharpHost.Load(SampleModels.ToyName, source));

        Assert.Contains("lacks public static void Predict(float[] input, float[] output)", e.Message, StringComparison.Ordinal);
        Assert.Contains("Void Run(Single[], Single[])", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_cannot_bind_to_test_dependencies()
    {
        string source = SampleModels.ToyCSharp.Replace(
            "public const int InputCount = 3;",
            "public const int InputCount = 3;\n        public static void Check() { Xunit.Assert.True(true); }",
            StringComparison.Ordinal);

        var e = Assert.Throws<HarnessException>(() => CSharpHost.Load(SampleModels.ToyName, source));
        Assert.Contains("Xunit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MeasureAllocatedBytesPerCall_sees_allocations_and_their_absence()
    {
        using CSharpModel model = CSharpHost.Load(SampleModels.ToyName, SampleModels.ToyCSharp);
        float[] input = [1.0f, 2.0f, 3.0f];
        float[] output = new float[3];
        Action<float[], float[]> predict = model.PredictInto;

        Assert.Equal(0, CSharpHost.MeasureAllocatedBytesPerCall(() => predict(input, output), warmup: 100, calls: 1000));
        Assert.Equal(0, CSharpHost.MeasureAllocatedBytesPerCall(() => model.Classify(input), warmup: 100, calls: 1000));
        Assert.InRange(CSharpHost.MeasureAllocatedBytesPerCall(() => model.Predict(input), warmup: 10, calls: 100), 12, 128);
    }
}
