using System;
using System.Globalization;
using Xunit.Sdk;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>Float comparisons for golden tests: bit-identical between our engines, close to PyTorch.</summary>
public static class FloatCompare
{
    /// <summary>The floor of the tolerance scale, as a fraction of the vector's largest magnitude.</summary>
    public const double VectorScaleFraction = 1e-3;

    /// <summary>
    /// Fails unless every element is close: <c>|a − e| ≤ rel · max(|e|, 1e-3 · maxAbs(e-vector))</c>,
    /// where <c>maxAbs(e-vector)</c> is the largest magnitude in that expected vector. The second term
    /// keeps elements near zero from demanding more precision than the vector's large elements get.
    /// NaN matches NaN, an infinity matches only itself. Reports the first failure and how many failed.
    /// </summary>
    /// <param name="expected">Reference vectors (e.g. PyTorch's outputs).</param>
    /// <param name="actual">Vectors under test.</param>
    /// <param name="rel">The relative tolerance; default 1e-5 (the float path's contract).</param>
    /// <param name="what">What is compared, for the message.</param>
    public static void AssertClose(float[][] expected, float[][] actual, double rel = 1e-5, string what = "outputs")
    {
        CheckShape(expected, actual, what);
        int failures = 0;
        string? first = null;
        double worst = 0;
        for (int v = 0; v < expected.Length; v++)
        {
            double scale = VectorScaleFraction * MaxAbs(expected[v]);
            for (int i = 0; i < expected[v].Length; i++)
            {
                float e = expected[v][i];
                float a = actual[v][i];
                if (IsClose(e, a, rel, scale, out double tolerance))
                {
                    continue;
                }

                failures++;
                double diff = Math.Abs((double)a - e);
                worst = Math.Max(worst, double.IsNaN(diff) ? double.PositiveInfinity : diff / Math.Max(tolerance, double.Epsilon));
                first ??= string.Create(
                    CultureInfo.InvariantCulture,
                    $"vector {v}, index {i}: expected {FloatBits.Describe(e)}, actual {FloatBits.Describe(a)}, "
                    + $"|diff| = {diff:G6} > tolerance {tolerance:G6}");
            }
        }

        if (first is not null)
        {
            throw new XunitException(string.Create(
                CultureInfo.InvariantCulture,
                $"{what}: {failures} element(s) not within rel {rel:G3}; first at {first}; worst is {worst:G4}× its tolerance."));
        }
    }

    /// <summary>Single-vector form of <see cref="AssertClose(float[][], float[][], double, string)"/>.</summary>
    /// <param name="expected">The reference vector.</param>
    /// <param name="actual">The vector under test.</param>
    /// <param name="rel">The relative tolerance; default 1e-5.</param>
    /// <param name="what">What is compared, for the message.</param>
    public static void AssertClose(float[] expected, float[] actual, double rel = 1e-5, string what = "output") =>
        AssertClose([expected], [actual], rel, what);

    /// <summary>
    /// Fails unless both have the same shape and every float has the same bits (so -0 ≠ +0 and NaN
    /// payloads count). Reports the first differing vector and index with both values and bits.
    /// </summary>
    /// <param name="expected">Reference vectors (e.g. the reference evaluator's).</param>
    /// <param name="actual">Vectors under test (e.g. host C's).</param>
    /// <param name="what">What is compared, e.g. "host C vs reference", for the message.</param>
    public static void AssertBitIdentical(float[][] expected, float[][] actual, string what)
    {
        CheckShape(expected, actual, what);
        int differing = 0;
        string? first = null;
        for (int v = 0; v < expected.Length; v++)
        {
            for (int i = 0; i < expected[v].Length; i++)
            {
                float e = expected[v][i];
                float a = actual[v][i];
                if (BitConverter.SingleToUInt32Bits(e) == BitConverter.SingleToUInt32Bits(a))
                {
                    continue;
                }

                differing++;
                first ??= string.Create(
                    CultureInfo.InvariantCulture,
                    $"vector {v}, index {i}: expected {FloatBits.Describe(e)}, actual {FloatBits.Describe(a)}");
            }
        }

        if (first is not null)
        {
            throw new XunitException(string.Create(
                CultureInfo.InvariantCulture,
                $"{what}: not bit-identical; {differing} element(s) differ; first at {first}."));
        }
    }

    /// <summary>Single-vector form of <see cref="AssertBitIdentical(float[][], float[][], string)"/>.</summary>
    /// <param name="expected">The reference vector.</param>
    /// <param name="actual">The vector under test.</param>
    /// <param name="what">What is compared, for the message.</param>
    public static void AssertBitIdentical(float[] expected, float[] actual, string what) =>
        AssertBitIdentical([expected], [actual], what);

    private static bool IsClose(float e, float a, double rel, double scale, out double tolerance)
    {
        tolerance = rel * Math.Max(Math.Abs((double)e), scale);
        if (float.IsNaN(e) || float.IsNaN(a))
        {
            return float.IsNaN(e) && float.IsNaN(a);
        }

        if (float.IsInfinity(e) || float.IsInfinity(a))
        {
            return e == a;
        }

        return Math.Abs((double)a - e) <= tolerance;
    }

    private static double MaxAbs(float[] values)
    {
        double max = 0;
        foreach (float value in values)
        {
            if (float.IsFinite(value))
            {
                max = Math.Max(max, Math.Abs((double)value));
            }
        }

        return max;
    }

    private static void CheckShape(float[][] expected, float[][] actual, string what)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (expected.Length != actual.Length)
        {
            throw new XunitException(string.Create(
                CultureInfo.InvariantCulture,
                $"{what}: expected {expected.Length} vectors, got {actual.Length}."));
        }

        for (int v = 0; v < expected.Length; v++)
        {
            if (expected[v].Length != actual[v].Length)
            {
                throw new XunitException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{what}: vector {v} has {actual[v].Length} values, expected {expected[v].Length}."));
            }
        }
    }
}
