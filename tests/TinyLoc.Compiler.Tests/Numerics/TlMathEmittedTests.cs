using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Numerics;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.Numerics;

/// <summary>
/// The emitted log1p, softplus, elu and rsqrt (C on the host with sanitizers, and C#) return exactly
/// <see cref="TlMath"/>'s values, on thousands of arguments over every branch, special values included.
/// (The ops' graph tests reach these helpers only through their own arguments: log1p never sees x &lt; 0 there.)
/// </summary>
public sealed class TlMathEmittedTests
{
    public const string Name = "tlmath_kernels";

    private static readonly Helper[] Used = { Helper.Exp, Helper.Log1p, Helper.Softplus, Helper.Elu, Helper.Rsqrt };

    public static readonly Func<float, float>[] Reference = { TlMath.Log1p, TlMath.Softplus, TlMath.Elu, TlMath.Rsqrt };

    public static readonly string[] Calls = { "log1p", "softplus", "elu", "rsqrt" };

    /// <summary>How many special values (NaN, infinities, zeros, denormals, branch edges) <see cref="Arguments"/> starts with.</summary>
    public static int SpecialCount => Specials.Length;

    private static readonly float[] Specials =
    {
        float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.0f, -0.0f, float.Epsilon, -float.Epsilon, 1e-39f,
        float.MaxValue, float.MinValue, -1.0f, -0.99999994f, -1.0000001f, 1.0f, 20.0f, 20.000002f, -87.0f, 88.0f, 5.9604645e-08f,
    };

    /// <summary>The special values, then magnitudes 1e-38 … 1e38 of both signs, (−1, −0.9], and random values in [−100, 100] and [−1.5, 1.5].</summary>
    public static float[] Arguments()
    {
        var xs = new List<float>(Specials);
        for (int i = 0; i <= 700; i++)
        {
            float mag = (float)Math.Pow(10, -38 + (i * 76.0 / 700));
            xs.Add(mag);
            xs.Add(-mag);
        }

        xs.AddRange(Enumerable.Range(0, 600).Select(i => -1.0f + (float)Math.Pow(10, -7 + (i * 7.0 / 600))));
        xs.AddRange(GraphParity.Random(1200, 5, -100, 100));
        xs.AddRange(GraphParity.Random(600, 6, -1.5f, 1.5f));
        return xs.ToArray();
    }

    [Fact]
    public void EmittedHelpersEqualTheReferenceBitForBit()
    {
        float[] xs = Arguments();
        float[] want = Expected(xs);
        using var scratch = ScratchDirectory.Create(Name);
        WriteC(scratch.Path, xs.Length);
        var fromC = CHost.Run(scratch.Path, Name, new[] { xs });
        FloatCompare.AssertBitIdentical(new[] { want }, fromC.Outputs, "emitted C helpers vs TlMath");

        string cs = Source(new Dialect(Language.CSharp, string.Empty), xs.Length);
        MinimalCorlib.AssertCompilesAgainstMinimalCorlib(cs);
        using var loaded = CSharpHost.Load(Name, cs);
        FloatCompare.AssertBitIdentical(new[] { want }, loaded.PredictAll(new[] { xs }), "emitted C# helpers vs TlMath");
    }

    /// <summary>What the kernels' predict returns for <paramref name="xs"/>: each function of <see cref="Calls"/> per argument.</summary>
    public static float[] Expected(float[] xs)
    {
        var want = new float[xs.Length * Calls.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            for (int f = 0; f < Calls.Length; f++)
            {
                want[(i * Calls.Length) + f] = Reference[f](xs[i]);
            }
        }

        return want;
    }

    /// <summary>Writes <c>tlmath_kernels.h</c> and <c>.c</c>: a "model" whose predict applies every helper to every input.</summary>
    public static string WriteC(string folder, int n)
    {
        File.WriteAllText(Path.Combine(folder, Name + ".h"), $"#ifndef TLMATH_KERNELS_H\n#define TLMATH_KERNELS_H\n#define TLMATH_KERNELS_INPUT_COUNT {n}\n#define TLMATH_KERNELS_OUTPUT_COUNT {n * Calls.Length}\nvoid {Name}_predict(const float *input, float *output);\n#endif\n");
        string c = Path.Combine(folder, Name + ".c");
        File.WriteAllText(c, Source(new Dialect(Language.C, Name + "_"), n));
        return c;
    }

    private static string Source(Dialect d, int n)
    {
        var s = new StringBuilder();
        if (d.IsC)
        {
            s.Append($"#include <stdint.h>\n#include \"{Name}.h\"\n\n");
        }
        else
        {
            s.Append("namespace TinyLoc.Models\n{\npublic static class TlmathKernels\n{\n");
            s.Append($"public const int InputCount = {n};\npublic const int OutputCount = {n * Calls.Length};\n");
        }

        s.Append(Helpers.EmitAll(Used, d)).Append('\n');
        s.Append(d.IsC ? $"void {Name}_predict(const float *input, float *output)\n{{\n    int i;\n    for (i = 0; i < {n}; i++)\n    {{\n"
                       : $"public static void Predict(float[] input, float[] output)\n{{\n    for (int i = 0; i < {n}; i++)\n    {{\n");
        for (int f = 0; f < Calls.Length; f++)
        {
            string fn = d.IsC ? d.Sym(Calls[f]) : char.ToUpperInvariant(Calls[f][0]) + Calls[f].Substring(1);
            s.Append($"        output[i * {Calls.Length} + {f}] = {fn}(input[i]);\n");
        }

        s.Append("    }\n}\n");
        if (!d.IsC)
        {
            s.Append("}\n}\n");
        }

        return s.ToString();
    }
}
