using System.Globalization;
using System.IO;
using System.Linq;

namespace TinyLoc.Compiler.Tests.HarnessTests;

/// <summary>
/// Tiny hand-written models that follow the generated code's API, for testing the harness:
/// <c>toy</c> computes <c>output[i] = input[i] * 2</c> for 3 values and classifies by arg-max.
/// </summary>
internal static class SampleModels
{
    /// <summary>The toy model's name.</summary>
    public const string ToyName = "toy";

    /// <summary>The toy model's C header.</summary>
    public const string ToyHeader = """
        #ifndef TOY_H
        #define TOY_H

        #define TOY_INPUT_COUNT 3
        #define TOY_OUTPUT_COUNT 3

        void toy_predict(const float *input, float *output);
        int toy_classify(const float *input);

        #endif
        """;

    /// <summary>The default body of <c>toy_predict</c>.</summary>
    public const string ToyPredictBody = """
            int i;
            for (i = 0; i < TOY_INPUT_COUNT; i++) {
                output[i] = input[i] * 2.0f;
            }
        """;

    /// <summary>The toy model's C source with <paramref name="predictBody"/> as the body of <c>toy_predict</c>.</summary>
    /// <param name="predictBody">C statements.</param>
    public static string ToySource(string predictBody = ToyPredictBody) => $$"""
        #include "toy.h"

        void toy_predict(const float *input, float *output)
        {
        {{predictBody}}
        }

        int toy_classify(const float *input)
        {
            float scores[TOY_OUTPUT_COUNT];
            int best = 0;
            int i;
            toy_predict(input, scores);
            for (i = 1; i < TOY_OUTPUT_COUNT; i++) {
                if (scores[i] > scores[best]) {
                    best = i;
                }
            }
            return best;
        }
        """;

    /// <summary>Writes <c>toy.h</c> and <c>toy.c</c> into <paramref name="folder"/> and returns their paths.</summary>
    /// <param name="folder">An existing folder.</param>
    /// <param name="predictBody">The body of <c>toy_predict</c>.</param>
    public static string[] WriteToyC(string folder, string predictBody = ToyPredictBody)
    {
        string header = Path.Combine(folder, "toy.h");
        string source = Path.Combine(folder, "toy.c");
        File.WriteAllText(header, ToyHeader + "\n");
        File.WriteAllText(source, ToySource(predictBody) + "\n");
        return [header, source];
    }

    /// <summary>The toy model in C# (valid in both the dotnet and the nanoFramework profile).</summary>
    public const string ToyCSharp = """
        namespace TinyLoc.Models
        {
            /// <summary>Doubles its input.</summary>
            public static class Toy
            {
                public const int InputCount = 3;
                public const int OutputCount = 3;

                private static readonly float[] Scores = new float[OutputCount];

                public static void Predict(float[] input, float[] output)
                {
                    for (int i = 0; i < InputCount; i++)
                    {
                        output[i] = input[i] * 2.0f;
                    }
                }

                public static int Classify(float[] input)
                {
                    Predict(input, Scores);
                    int best = 0;
                    for (int i = 1; i < OutputCount; i++)
                    {
                        if (Scores[i] > Scores[best])
                        {
                            best = i;
                        }
                    }

                    return best;
                }
            }
        }
        """;

    /// <summary>Input count of <see cref="ToyInt8CSharp"/>.</summary>
    public const int Int8Inputs = 12;

    /// <summary>Output count of <see cref="ToyInt8CSharp"/>.</summary>
    public const int Int8Outputs = 10;

    /// <summary>The weights of <see cref="ToyInt8CSharp"/>: 120 values in [-100, 100].</summary>
    public static sbyte[] Int8Weights { get; } =
        Enumerable.Range(0, Int8Inputs * Int8Outputs).Select(k => (sbyte)((k * 37 % 201) - 100)).ToArray();

    /// <summary>
    /// A nanoFramework-style int8 dense layer: input quantised with scale 1/16, 120 int8 weights in a
    /// static readonly array (big enough for Roslyn to use <c>RuntimeHelpers.InitializeArray</c>), int64
    /// accumulators, a string label table.
    /// </summary>
    public static string ToyInt8CSharp => $$"""
        namespace TinyLoc.Models
        {
            public static class ToyInt8
            {
                public const int InputCount = {{Int8Inputs}};
                public const int OutputCount = {{Int8Outputs}};

                public static readonly string[] Labels = new string[] { "hall", "kitchen", "lounge", "bed1", "bed2", "bath", "study", "porch", "garage", "attic" };

                private static readonly sbyte[] W = new sbyte[] { {{string.Join(", ", Int8Weights.Select(w => w.ToString(CultureInfo.InvariantCulture)))}} };

                private static readonly sbyte[] Quantized = new sbyte[InputCount];
                private static readonly float[] Scores = new float[OutputCount];

                public static void Predict(float[] input, float[] output)
                {
                    for (int i = 0; i < InputCount; i++)
                    {
                        float scaled = input[i] * 16.0f;
                        int q = (int)(scaled >= 0.0f ? scaled + 0.5f : scaled - 0.5f);
                        Quantized[i] = (sbyte)(q > 127 ? 127 : q < -128 ? -128 : q);
                    }

                    for (int o = 0; o < OutputCount; o++)
                    {
                        long acc = 0L;
                        for (int i = 0; i < InputCount; i++)
                        {
                            acc += (long)W[o * InputCount + i] * Quantized[i];
                        }

                        output[o] = (float)acc * 0.0625f;
                    }
                }

                public static int Classify(float[] input)
                {
                    Predict(input, Scores);
                    int best = 0;
                    for (int o = 1; o < OutputCount; o++)
                    {
                        if (Scores[o] > Scores[best])
                        {
                            best = o;
                        }
                    }

                    return best;
                }

                public static string Label(int index)
                {
                    return Labels[index];
                }
            }
        }
        """;

    /// <summary>The reference arithmetic of <see cref="ToyInt8CSharp"/>.</summary>
    /// <param name="input">12 values.</param>
    public static float[] ToyInt8Reference(float[] input)
    {
        sbyte[] q = input.Select(x =>
        {
            float scaled = x * 16.0f;
            int v = (int)(scaled >= 0.0f ? scaled + 0.5f : scaled - 0.5f);
            return (sbyte)System.Math.Clamp(v, -128, 127);
        }).ToArray();
        return Enumerable.Range(0, Int8Outputs)
            .Select(o => (float)Enumerable.Range(0, Int8Inputs).Sum(i => (long)Int8Weights[(o * Int8Inputs) + i] * q[i]) * 0.0625f)
            .ToArray();
    }
}
