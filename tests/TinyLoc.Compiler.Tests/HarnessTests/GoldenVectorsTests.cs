using System;
using System.IO;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.HarnessTests;

public sealed class GoldenVectorsTests
{
    [Fact]
    public void Load_reads_python_repr_float32_values_exactly()
    {
        using ScratchDirectory folder = ScratchDirectory.Create("golden-tests");
        string path = folder.File("toy.golden.json");
        File.WriteAllText(path, """
            {
              "model": "toy",
              "torch": "1.13.1",
              "note": "unknown fields are ignored",
              "inputs": [[0.10000000149011612, -2.5, 1.401298464324817e-45], [3.4028234663852886e+38, -0.0, 1]],
              "outputs": [[0.20000000298023224], ["NaN"]]
            }
            """);

        GoldenVectorSet set = GoldenVectors.Load(path);

        Assert.Equal("toy", set.Model);
        Assert.Equal("1.13.1", set.Torch);
        FloatCompare.AssertBitIdentical(
            [[0.1f, -2.5f, float.Epsilon], [float.MaxValue, -0.0f, 1.0f]],
            set.Inputs,
            "golden inputs");
        Assert.Equal(0.2f, set.Outputs[0][0]);
        Assert.True(float.IsNaN(set.Outputs[1][0]));
        folder.MarkSucceeded();
    }

    [Theory]
    [InlineData("""{ "model": "toy", "inputs": [[0.1]], "outputs": [[1]] }""", "not a float32 value")]
    [InlineData("""{ "model": "toy", "inputs": [[1], [2]], "outputs": [[1]] }""", "2 inputs but 1 outputs")]
    [InlineData("""{ "model": "toy", "inputs": [[1, 2], [2]], "outputs": [[1], [2]] }""", "'inputs[1]' has 1 values")]
    [InlineData("""{ "inputs": [[1]], "outputs": [[1]] }""", "'model' must be a string")]
    [InlineData("""{ "model": "toy", "inputs": [[true]], "outputs": [[1]] }""", "'inputs[0][0]' is not a number")]
    public void Malformed_files_name_the_field(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => GoldenVectors.Parse(json, "x.golden.json"));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("x.golden.json", e.Message, StringComparison.Ordinal);
    }
}
