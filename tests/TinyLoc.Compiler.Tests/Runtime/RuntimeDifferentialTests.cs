using System;
using System.Linq;
using TinyLoc.Runtime;
using Xunit;

namespace TinyLoc.Compiler.Tests.Runtime;

/// <summary>
/// Hostile streams through both runtimes: random ids (unknown ones included), times out of order, backwards and
/// hours ahead and across the 2^32 ms wrap, NaN, infinities and extreme values, motion and resets. The C runtime runs
/// under ASan and UBSan; it must neither crash nor report, and its answers and counters must equal the C#
/// runtime's bit for bit.
/// </summary>
public sealed class RuntimeDifferentialTests
{
    public static TheoryData<int, ScriptModel> Models() => new()
    {
        // classes, 50 % overlap, readings carried 2 rows, a 3-answer vote
        { 11, new ScriptModel(6, 8, 4, 5, OutputKinds.Classes, 250_000, 2, 2000, -93f, 3, 0.8f, false) },
        // a CRF tag path, no overlap, no fill, an odd period in microseconds
        { 12, new ScriptModel(4, 5, 5, 5, OutputKinds.Path, 333_333, 0, 1500, -120f, 5, 0.8f, false) },
        // x, y with motion, one row per window
        { 13, new ScriptModel(3, 1, 1, 2, OutputKinds.Position, 100_000, 9, 700, 100f, 1, 0.8f, false) },
        // other outputs, hop 1 over a long window, a period under a millisecond
        { 14, new ScriptModel(9, 12, 1, 3, OutputKinds.Values, 777, 30, 60_000, -104f, 1, 0.25f, false) },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void RandomStreamsGiveTheSameAnswersInCAndCSharp(int seed, ScriptModel model)
    {
        var script = RandomScript(seed, model, 40_000); // 4 models x 40,000 events: about 120,000 pushes
        string cs = script.RunCSharp();
        Assert.Equal(cs, RuntimeDriver.Run(script));

        // The stream exercised what it was built for: answers, and each kind of bad input counted.
        var stats = cs.Split('\n').Single(l => l.StartsWith("stats ", StringComparison.Ordinal)).Split(' ').Skip(1).Select(uint.Parse).ToArray();
        Assert.True(cs.Split('\n').Count(l => l.StartsWith("a ", StringComparison.Ordinal)) > 100, cs.Substring(0, Math.Min(cs.Length, 2000)));
        Assert.All(stats.Take(4), n => Assert.True(n > 0, string.Join(" ", stats)));
    }

    /// <summary>A seeded stream of <paramref name="count"/> events (pushes mostly, motion, polls, resets).</summary>
    private static RuntimeScript RandomScript(int seed, ScriptModel model, int count)
    {
        var rng = new Random(seed);
        var script = new RuntimeScript(model);
        uint t = (uint)rng.Next();
        float[] odd = { float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue, 1e-40f, -0.0f, -150f, 30f, -150.0001f, 30.0001f, model.Missing };
        for (int i = 0; i < count; i++)
        {
            int dice = rng.Next(1000);
            t = dice switch
            {
                < 5 => t - (uint)rng.Next(1, 5000),                 // back a little (late readings)
                < 7 => t - (uint)rng.Next(5000, 10_000_000),        // the clock went back
                < 9 => t + (uint)rng.Next(3_600_000, int.MaxValue), // hours ahead (and across the wrap)
                _ => t + (uint)rng.Next(0, 200),
            };
            float rssi = rng.Next(20) == 0 ? odd[rng.Next(odd.Length)] : (float)(-100 + (rng.NextDouble() * 70));
            int kind = rng.Next(100);
            if (kind < 60)
            {
                script.Push(rng.Next(50) == 0 ? rng.Next(-3, model.Features + 3) : rng.Next(model.Features), rssi, t);
            }
            else if (kind < 75)
            {
                string id = rng.Next(20) == 0 ? "x" + rng.Next(10) : "f" + rng.Next(model.Features);
                script.Push(id, rssi, t);
            }
            else if (kind < 82)
            {
                float d() => rng.Next(30) == 0 ? odd[rng.Next(3)] : (float)(rng.NextDouble() - 0.5);
                script.Motion(d(), d(), t);
            }
            else if (kind < 999)
            {
                script.Poll(t);
            }
            else
            {
                script.Reset();
            }
        }

        return script;
    }
}
