using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Tests.Golden;
using Xunit;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// Op tests on hand-built graphs: compile a float graph with <see cref="Compilation.FromGraph"/>, then
/// the generated C (host gcc, sanitizers on) and C# (Roslyn) must equal the reference evaluator bit for bit.
/// </summary>
public static class GraphParity
{
    /// <summary>Nodes from the input value on; the graph's output is the last node's.</summary>
    public static Graph Build(string inputName, int[] inputShape, params Node[] nodes) =>
        ShapeInference.Run(new Value(inputName, DType.Float32, inputShape, ValueKind.Input), nodes);

    /// <summary>Compiles <paramref name="graph"/> (scheme none, the given unroll and schedule) and asserts success.</summary>
    public static Compilation Compile(Graph graph, string name, UnrollMode unroll = UnrollMode.None, ScheduleMode schedule = ScheduleMode.Fused)
    {
        var c = Compilation.FromGraph(graph, name, new CompileOptions { Scheme = "none", Unroll = unroll, Schedule = schedule });
        Assert.True(c.Success, string.Join("\n", c.Diagnostics.Items));
        return c;
    }

    /// <summary>Reference evaluator, host C and C# agree bit for bit on every input; returns the reference outputs.</summary>
    public static float[][] AssertEnginesAgree(Graph graph, string name, IReadOnlyList<float[]> inputs, UnrollMode unroll = UnrollMode.None, ScheduleMode schedule = ScheduleMode.Fused)
    {
        var c = Compile(graph, name, unroll, schedule);
        var reference = inputs.Select(c.Evaluate).ToArray();
        using var scratch = ScratchDirectory.Create(name);
        string dir = GoldenModels.EmitTo(c, "stm32", scratch.Path);
        var fromC = CHost.Run(dir, name, inputs.ToArray(), classify: false);
        FloatCompare.AssertBitIdentical(reference, fromC.Outputs, $"{name}: C on the host vs the reference evaluator");
        string cs = c.Emit("dotnet")!.First().Content;
        using var loaded = CSharpHost.Load(GoldenModels.CSharpClass(c), cs);
        FloatCompare.AssertBitIdentical(reference, loaded.PredictAll(inputs.ToArray()), $"{name}: C# vs the reference evaluator");
        return reference;
    }

    /// <summary>Deterministic pseudo-random floats in [lo, hi) (a fixed LCG, the same on every machine).</summary>
    public static float[] Random(int count, int seed, float lo = -2.0f, float hi = 2.0f)
    {
        uint s = (uint)seed * 2654435761u + 12345u;
        var r = new float[count];
        for (int i = 0; i < count; i++)
        {
            s = (s * 1664525u) + 1013904223u;
            r[i] = lo + ((hi - lo) * ((s >> 8) / 16777216.0f));
        }

        return r;
    }
}
