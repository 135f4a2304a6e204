using System;
using System.Linq;
using TinyLoc.Compiler.Ops;
using Xunit;

namespace TinyLoc.Compiler.Tests.Ops;

/// <summary>
/// The ops' definitions written the straightforward way in double precision (PyTorch's formulas, no care for
/// summation order or rounding), for the tests that hold the reference evaluator to within 1e-5 of them.
/// </summary>
internal static class DoubleReference
{
    public static double Act(Activation a, double x) => a switch
    {
        Activation.None => x,
        Activation.Relu => Math.Max(x, 0),
        Activation.Tanh => Math.Tanh(x),
        Activation.Sigmoid => 1 / (1 + Math.Exp(-x)),
        Activation.Silu => x / (1 + Math.Exp(-x)),
        Activation.Elu => x > 0 ? x : Math.Exp(x) - 1,
        Activation.Softplus => x > 20 ? x : Math.Log(1 + Math.Exp(x)),
        Activation.Exp => Math.Exp(x),
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };

    /// <summary>nn.Conv1d on a time-major [T, In] input with zero padding, then the activation.</summary>
    public static double[] Conv1d(float[] x, int steps, Conv1d p)
    {
        int outSteps = ((steps + p.PadLeft + p.PadRight - p.Kernel) / p.Stride) + 1;
        int icg = p.InChannels / p.Groups, ocg = p.OutChannels / p.Groups;
        var y = new double[outSteps * p.OutChannels];
        for (int t = 0; t < outSteps; t++)
        {
            for (int o = 0; o < p.OutChannels; o++)
            {
                double s = p.Bias[o];
                for (int c = 0; c < icg; c++)
                {
                    for (int j = 0; j < p.Kernel; j++)
                    {
                        int ti = (t * p.Stride) - p.PadLeft + j;
                        double v = ti < 0 || ti >= steps ? 0 : x[(ti * p.InChannels) + ((o / ocg) * icg) + c];
                        s += (double)p.Weight[(((o * icg) + c) * p.Kernel) + j] * v;
                    }
                }

                y[(t * p.OutChannels) + o] = Act(p.Act, s);
            }
        }

        return y;
    }

    public static double[] MaxPool(float[] x, int steps, int channels, int kernel, int stride)
    {
        int outSteps = ((steps - kernel) / stride) + 1;
        var y = new double[outSteps * channels];
        for (int t = 0; t < outSteps; t++)
        {
            for (int c = 0; c < channels; c++)
            {
                y[(t * channels) + c] = Enumerable.Range(t * stride, kernel).Max(ti => (double)x[(ti * channels) + c]);
            }
        }

        return y;
    }

    /// <summary>x · rsqrt(mean(x²) + eps) · g per row.</summary>
    public static double[] RmsNorm(float[] x, NormParams p) => Rows(x, p.Features, (row, y) =>
    {
        double ms = row.Sum(v => v * v) / row.Length;
        for (int i = 0; i < row.Length; i++)
        {
            y[i] = row[i] / Math.Sqrt(ms + p.Eps) * p.Weight[i];
        }
    });

    /// <summary>(x − mean) / sqrt(var + eps) · w + b per row, biased variance.</summary>
    public static double[] LayerNorm(float[] x, NormParams p) => Rows(x, p.Features, (row, y) =>
    {
        double mean = row.Average();
        double var = row.Sum(v => (v - mean) * (v - mean)) / row.Length;
        for (int i = 0; i < row.Length; i++)
        {
            y[i] = ((row[i] - mean) / Math.Sqrt(var + p.Eps) * p.Weight[i]) + (p.Bias?[i] ?? 0);
        }
    });

    public static double[] Softmax(float[] x, int width) => Rows(x, width, (row, y) =>
    {
        double m = row.Max();
        double sum = row.Sum(v => Math.Exp(v - m));
        for (int i = 0; i < row.Length; i++)
        {
            y[i] = Math.Exp(row[i] - m) / sum;
        }
    });

    /// <summary>F.glu(x, -1) per row of 2H: a · σ(b) (the output has H per row, written over the first half).</summary>
    public static double[] Glu(float[] x, int width)
    {
        int h = width / 2, rows = x.Length / width;
        var y = new double[rows * h];
        for (int t = 0; t < rows; t++)
        {
            for (int i = 0; i < h; i++)
            {
                y[(t * h) + i] = x[(t * width) + i] * Act(Activation.Sigmoid, x[(t * width) + h + i]);
            }
        }

        return y;
    }

    /// <summary>Fails unless ‖actual − reference‖₂ ≤ tol · ‖reference‖₂ and every value is finite.</summary>
    public static void AssertNormwise(float[] actual, double[] reference, string what, double tol = 1e-5)
    {
        Assert.Equal(reference.Length, actual.Length);
        Assert.All(actual, v => Assert.True(float.IsFinite(v), $"{what}: a non-finite output {v}"));
        double err = Harness.NodeRunner.NormwiseError(actual, reference);
        Assert.True(err <= tol, $"{what}: normwise relative error {err:E3} > {tol:E1}");
    }

    private static double[] Rows(float[] x, int width, Action<double[], double[]> f)
    {
        var y = new double[x.Length];
        for (int t = 0; t < x.Length / width; t++)
        {
            double[] row = x.Skip(t * width).Take(width).Select(v => (double)v).ToArray();
            var yr = new double[width];
            f(row, yr);
            Array.Copy(yr, 0, y, t * width, width);
        }

        return y;
    }
}
