using System;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.IO;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.HarnessTests;

public sealed class MinimalCorlibTests
{
    [Fact]
    public void Primitives_arrays_and_strings_compile()
    {
        MinimalCorlib.AssertCompilesAgainstMinimalCorlib(SampleModels.ToyCSharp);
        MinimalCorlib.AssertCompilesAgainstMinimalCorlib(SampleModels.ToyInt8CSharp);
    }

    [Fact]
    public void A_large_constant_initializer_goes_through_InitializeArray()
    {
        MinimalCorlibResult result = MinimalCorlib.Compile(SampleModels.ToyInt8CSharp);

        Assert.True(result.Success, DiagnosticFormatter.Format(result.Errors));
        using var pe = new PEReader(new MemoryStream(result.Image!));
        MetadataReader metadata = pe.GetMetadataReader();
        string[] members = metadata.MemberReferences
            .Select(h => metadata.GetString(metadata.GetMemberReference(h).Name))
            .ToArray();
        Assert.Contains("InitializeArray", members);
        string[] assemblies = metadata.AssemblyReferences
            .Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name))
            .ToArray();
        Assert.Equal([MinimalCorlibSource.AssemblyName], assemblies);
    }

    [Fact]
    public void The_int8_sample_computes_what_its_reference_computes()
    {
        using CSharpModel model = CSharpHost.Load("ToyInt8", SampleModels.ToyInt8CSharp);
        float[][] inputs =
        [
            Enumerable.Range(0, SampleModels.Int8Inputs).Select(i => (i - 5) * 0.37f).ToArray(),
            Enumerable.Range(0, SampleModels.Int8Inputs).Select(i => i % 3 == 0 ? 100.0f : -0.01f * i).ToArray(),
        ];

        FloatCompare.AssertBitIdentical(
            inputs.Select(SampleModels.ToyInt8Reference).ToArray(),
            model.PredictAll(inputs),
            "int8 sample vs its reference");
    }

    [Theory]
    [InlineData("foreach over an array", "float s = 0f; foreach (float v in x) { s += v; } return s;")]
    [InlineData("ref, out and params", "Twice(ref x[0], out float y); return y + Sum(1, 2, 3);")]
    [InlineData("switch on int and enums", "switch ((int)Mode.Fast) { case 1: return 1f; default: return 0f; }")]
    [InlineData("argument checks", "if (x == null) { throw new System.ArgumentNullException(\"x\"); } if (x.Length != 3) { throw new System.ArgumentException(\"3 values\", \"x\"); } return x[2];")]
    [InlineData("local functions and conversions", "float Half(float v) => v * 0.5f; return Half((float)checked((int)x[0]) + (float)(long)unchecked((uint)-1 >> 3));")]
    [InlineData("jagged and rectangular arrays", "float[][] j = new float[][] { new float[] { 1f }, x }; float[,] m = new float[2, 2]; m[1, 1] = j[1][0]; return m[1, 1] % 2f;")]
    [InlineData("string tables", "string[] labels = { \"a\", \"bc\" }; return labels[1].Length;")]
    public void Primitive_array_and_string_code_compiles(string what, string body)
    {
        string source = $$"""
            #nullable enable
            namespace TinyLoc.Models
            {
                internal enum Mode { Slow, Fast }

                public static class Good
                {
                    public static float F(float[] x)
                    {
                        {{body}}
                    }

                    private static void Twice(ref float v, out float y) { y = v * 2f; v = 0f; }

                    private static int Sum(params int[] values) { return values.Length; }

                    private static string? Maybe(int i) { return i > 0 ? "yes" : null; }
                }
            }
            """;

        MinimalCorlibResult result = MinimalCorlib.Compile(source);

        Assert.True(result.Success, $"{what}:\n{DiagnosticFormatter.Format(result.Errors)}");
    }

    [Theory]
    [InlineData("math", "return (float)System.Math.Exp(x[0]);", "Math")]
    [InlineData("list", "var l = new System.Collections.Generic.List<int>(); return l.Count;", "Collections")]
    [InlineData("span", "System.Span<float> s = x; return s[0];", "Span")]
    [InlineData("stackalloc to Span", "System.Span<float> s = stackalloc float[4]; s[0] = x[0]; return s[0];", "Span")]
    [InlineData("stackalloc", "var s = stackalloc float[4]; s[0] = x[0]; return s[0];", "CS0214")]
    [InlineData("unsafe stackalloc", "unsafe { float* p = stackalloc float[4]; p[0] = x[0]; return p[0]; }", "CS0227")]
    [InlineData("linq", "return System.Linq.Enumerable.Sum(x);", "Linq")]
    [InlineData("interpolation", "string s = $\"{x[0]}\"; return s.Length;", "CS")]
    [InlineData("boxing", "object o = x[0]; return o == null ? 0f : 1f;", "NF0002")]
    [InlineData("nullable", "float? y = x[0]; return y.Value;", "Nullable")]
    [InlineData("lambda", "System.Func<float, float> f = v => v; return f(x[0]);", "Func")]
    [InlineData("string concatenation", "string s = \"a\" + x.Length; return s.Length;", "String.Concat")]
    public void Anything_beyond_primitives_and_arrays_fails(string what, string body, string expectedInErrors)
    {
        string source = $$"""
            namespace TinyLoc.Models
            {
                public static class Bad
                {
                    public static float F(float[] x)
                    {
                        {{body}}
                    }
                }
            }
            """;

        var e = Assert.Throws<HarnessException>(() => MinimalCorlib.AssertCompilesAgainstMinimalCorlib(source));

        Assert.True(
            e.Message.Contains(expectedInErrors, StringComparison.Ordinal),
            $"{what}: expected '{expectedInErrors}' in:\n{e.Message}");
        Assert.Contains("source0.cs(7,", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generic_declarations_are_reported()
    {
        const string Source = """
            namespace TinyLoc.Models
            {
                public static class Generic
                {
                    public static T Same<T>(T value) { return value; }
                }
            }
            """;

        var errors = MinimalCorlib.GetErrors(Source);

        Assert.Contains(errors, d => d.Id == NanoFrameworkProfileRules.GenericDeclaration.Id);
    }

    [Fact]
    public void Double_arithmetic_is_reported()
    {
        const string Source = """
            namespace TinyLoc.Models
            {
                public static class Wide
                {
                    public static float Half(float x) { double d = x; return (float)(d / 2.0); }
                }
            }
            """;

        var errors = MinimalCorlib.GetErrors(Source);

        Assert.Contains(errors, d => d.Id == NanoFrameworkProfileRules.DoubleArithmetic.Id);
    }
}
