using System;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;
using Xunit.Sdk;

namespace TinyLoc.Compiler.Tests.HarnessTests;

public sealed class FloatCompareTests
{
    [Fact]
    public void AssertClose_accepts_values_within_the_relative_tolerance()
    {
        FloatCompare.AssertClose([[100.0f, -1.0f]], [[100.0009f, -1.000009f]]);
        FloatCompare.AssertClose([[float.NaN, float.PositiveInfinity]], [[float.NaN, float.PositiveInfinity]]);
    }

    [Fact]
    public void AssertClose_scales_near_zero_elements_by_the_vectors_largest_magnitude()
    {
        // Tolerance for the zero element: 1e-5 * max(0, 1e-3 * 1000) = 1e-5.
        FloatCompare.AssertClose([[1000.0f, 0.0f]], [[1000.0f, 0.9e-5f]]);
        Assert.Throws<XunitException>(() => FloatCompare.AssertClose([[1000.0f, 0.0f]], [[1000.0f, 1.1e-5f]]));
    }

    [Fact]
    public void AssertClose_reports_the_first_failure_and_the_count()
    {
        var e = Assert.Throws<XunitException>(() => FloatCompare.AssertClose(
            [[1.0f, 2.0f], [3.0f, 4.0f]],
            [[1.0f, 2.0f], [3.1f, float.NaN]],
            what: "C# vs torch"));

        Assert.Contains("C# vs torch: 2 element(s)", e.Message, StringComparison.Ordinal);
        Assert.Contains("vector 1, index 0: expected 3 (0x40400000), actual 3.1 (0x40466666)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssertBitIdentical_reports_the_first_differing_element_with_its_bits()
    {
        var e = Assert.Throws<XunitException>(() => FloatCompare.AssertBitIdentical(
            [[1.0f, 2.0f, 3.0f], [4.0f, 5.0f, 0.0f]],
            [[1.0f, 2.0f, 3.0f], [4.0f, 5.0f, -0.0f]],
            "host C vs reference"));

        Assert.Contains("host C vs reference", e.Message, StringComparison.Ordinal);
        Assert.Contains("vector 1, index 2: expected 0 (0x00000000), actual -0 (0x80000000)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shape_mismatches_are_reported()
    {
        var count = Assert.Throws<XunitException>(() => FloatCompare.AssertBitIdentical([[1.0f]], [[1.0f], [2.0f]], "x"));
        var width = Assert.Throws<XunitException>(() => FloatCompare.AssertClose([[1.0f]], [[1.0f, 2.0f]]));

        Assert.Contains("expected 1 vectors, got 2", count.Message, StringComparison.Ordinal);
        Assert.Contains("vector 0 has 2 values, expected 1", width.Message, StringComparison.Ordinal);
    }
}
