using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;
using static TinyLoc.Compiler.Tests.Harness.NodeRunner;

namespace TinyLoc.Compiler.Tests.Ops;

/// <summary>CRF Viterbi decoding (pytorch-crf layout): against brute force over every path, ties, engines, checks.</summary>
public sealed class CrfTests
{
    private static Node CrfNode(Crf p, string input = "e") => new("n0_crf", p, new[] { input }, "tags", "crf");

    /// <summary>Every one of the C^T' paths, scored left to right as the recursion adds: start + E[0], then + trans + E[t], then + end.</summary>
    private static IEnumerable<(int[] Path, float Score)> AllPaths(Crf p, float[] e, int steps)
    {
        int c = p.Classes;
        int count = (int)System.Math.Pow(c, steps);
        for (int code = 0; code < count; code++)
        {
            var path = new int[steps];
            for (int t = 0, rest = code; t < steps; t++, rest /= c)
            {
                path[t] = rest % c;
            }

            float s = p.Start[path[0]] + e[path[0]];
            for (int t = 1; t < steps; t++)
            {
                s = s + p.Transitions[(path[t - 1] * c) + path[t]];
                s = s + e[(t * c) + path[t]];
            }

            yield return (path, s + p.End[path[steps - 1]]);
        }
    }

    /// <summary>
    /// The best path with ties broken as torch.max does at every step of the backtrack: the lowest last tag,
    /// then for it the lowest previous tag, and so on (the smallest path compared from its end).
    /// </summary>
    private static (int[] Path, float Score) BruteForceBest(Crf p, float[] e, int steps)
    {
        var all = AllPaths(p, e, steps).ToList();
        float best = all.Max(x => x.Score);
        return all.Where(x => x.Score == best)
            .OrderBy(x => x.Path, Comparer<int[]>.Create((a, b) =>
            {
                for (int t = a.Length - 1; t >= 0; t--)
                {
                    if (a[t] != b[t])
                    {
                        return a[t].CompareTo(b[t]);
                    }
                }

                return 0;
            }))
            .First();
    }

    private static float[] SmallIntegers(int count, int seed) => GraphParity.Random(count, seed, -2.0f, 3.0f).Select(v => (float)System.Math.Floor(v)).ToArray();

    private static Crf RandomCrf(int c, int seed, bool path, bool integers)
    {
        float[] R(int n, int s) => integers ? SmallIntegers(n, s) : GraphParity.Random(n, s);
        return new Crf(c, R(c, seed), R(c, seed + 1), R(c * c, seed + 2), path);
    }

    private static int ArgmaxLowest(float[] v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++)
        {
            if (v[i] > v[best])
            {
                best = i;
            }
        }

        return best;
    }

    [Fact]
    public void SmallIntegerCrfsDecodeAsBruteForceWithTiesToTheLowestIndex()
    {
        // Scores in {-2, …, 2}: every sum is exact and ties are everywhere.
        int cases = 0;
        for (int seed = 0; seed < 240; seed++)
        {
            int c = 1 + (seed % 4), steps = 1 + (seed / 4 % 5);
            if (System.Math.Pow(c, steps) > 1024)
            {
                continue;
            }

            var p = RandomCrf(c, 1000 + (seed * 7), path: true, integers: true);
            float[] e = SmallIntegers(steps * c, 5000 + seed);
            var (bestPath, bestScore) = BruteForceBest(p, e, steps);
            float[] tags = Run(CrfNode(p), T("e", new[] { steps, c }, e));
            Assert.Equal(bestPath.Select(v => (float)v), tags);

            float[] final = Run(CrfNode(p with { Path = false }), T("e", new[] { steps, c }, e));
            var all = AllPaths(p, e, steps).ToList();
            for (int j = 0; j < c; j++)
            {
                Assert.Equal(all.Where(x => x.Path[steps - 1] == j).Max(x => x.Score), final[j]);
            }

            Assert.Equal(bestScore, final.Max());
            Assert.Equal(bestPath[steps - 1], ArgmaxLowest(final));
            cases++;
        }

        Assert.True(cases > 150);
    }

    [Fact]
    public void AnExactTieGoesToTheLowestIndexAtEveryStep()
    {
        // No transition preferences: each step's best tags tie ({0,1}, then {1,2}, then {0,2}), total 6 either way.
        var p = new Crf(3, new float[3], new float[3], new float[9], Path: true);
        float[] e = { 1, 1, 0, 0, 2, 2, 3, 0, 3 };
        Assert.Equal(new[] { 0.0f, 1.0f, 0.0f }, Run(CrfNode(p), T("e", new[] { 3, 3 }, e)));
        Assert.Equal(new[] { 6.0f, 3.0f, 6.0f }, Run(CrfNode(p with { Path = false }), T("e", new[] { 3, 3 }, e)));
        Assert.Equal(new[] { 0, 1, 0 }, BruteForceBest(p, e, 3).Path);

        // A tie between different first tags: 0 (start 0, emission 1) and 2 (start 1, emission 0) both reach 0 with 1.
        var q = new Crf(3, new float[] { 0, 0, 1 }, new float[3], new float[] { 0, -5, -5, -5, -5, -5, 0, -5, -5 }, Path: true);
        float[] e2 = { 1, 0, 0, 1, 0, 0 };
        Assert.Equal(new[] { 0.0f, 0.0f }, Run(CrfNode(q), T("e", new[] { 2, 3 }, e2)));
        Assert.Equal(new[] { 0, 0 }, BruteForceBest(q, e2, 2).Path);
    }

    [Theory]
    [InlineData(4, 5, 1)]
    [InlineData(3, 6, 2)]
    [InlineData(9, 3, 3)]
    public void FloatScoresEqualTheBestPathSumExactly(int c, int steps, int seed)
    {
        // Float addition is monotonic, so max-plus in float32 gives the best of the float path sums to the bit.
        var p = RandomCrf(c, seed * 100, path: true, integers: false);
        float[] e = GraphParity.Random(steps * c, (seed * 100) + 50, -3.0f, 3.0f);
        var all = AllPaths(p, e, steps).ToList();
        float[] tags = Run(CrfNode(p), T("e", new[] { steps, c }, e));
        int[] path = tags.Select(v => (int)v).ToArray();
        Assert.Equal(tags, path.Select(v => (float)v));
        float best = all.Max(x => x.Score);
        Assert.Equal(best, all.Single(x => x.Path.SequenceEqual(path)).Score);
        Assert.Equal(BruteForceBest(p, e, steps).Path, path);
        float[] final = Run(CrfNode(p with { Path = false }), T("e", new[] { steps, c }, e));
        Assert.Equal(best, final.Max());
    }

    [Theory]
    [InlineData(true, 6)]
    [InlineData(false, 6)]
    [InlineData(true, 1)]
    [InlineData(false, 1)]
    public void ACrfGraphRunsTheSameEverywhere(bool path, int steps)
    {
        const int c = 5;
        var p = RandomCrf(c, 77, path, integers: false);
        var g = GraphParity.Build("e", new[] { steps, c }, CrfNode(p));
        Assert.Equal(new[] { path ? steps : c }, g["tags"].Shape);

        // Random emissions, and whole-number ones on integer parameters, where ties are common.
        var inputs = Enumerable.Range(0, 4).Select(i => GraphParity.Random(steps * c, 60 + i, -3.0f, 3.0f))
            .Append(SmallIntegers(steps * c, 70)).Append(new float[steps * c]).ToArray();
        string name = $"graph_crf_{(path ? "path" : "last")}_{steps}";
        GraphParity.AssertEnginesAgree(g, name, inputs);
        var gi = GraphParity.Build("e", new[] { steps, c }, CrfNode(RandomCrf(c, 78, path, integers: true)));
        GraphParity.AssertEnginesAgree(gi, name + "_int", inputs);

        var comp = GraphParity.Compile(g, name);
        int i8 = path ? (steps - 1) * c : 0, f32 = (steps > 1 ? 2 * c : c) * 4;
        Assert.Equal(i8 + f32, comp.Report!.ScratchBytes);
        Assert.Equal(4L * (c + c + (steps > 1 ? c * c : 0)), comp.Report.Layers.Single().WeightBytes);
        Assert.Equal((steps - 1L) * c * c, comp.Report.Layers.Single().Macs);
        MinimalCorlib.AssertCompilesAgainstMinimalCorlib(comp.Emit("nanoframework")!.First().Content);
    }

    [Fact]
    public void RejectsWrongShapesAndTooManyClassesForBackPointers()
    {
        string Fails(Crf p, int[] shape) =>
            Assert.Throws<DiagnosticException>(() => Graph(CrfNode(p), T("e", shape, new float[shape.Aggregate(1, (a, b) => a * b)]))).Diagnostic.Message;
        var p = new Crf(4, new float[4], new float[4], new float[16], true);
        Assert.Contains("emissions 'e' are [5, 3], need [T', 4]", Fails(p, new[] { 5, 3 }));
        Assert.Contains("needs a matrix", Fails(p, new[] { 20 }));
        Assert.Contains("transitions 4·4 = 16, they have 4, 4 and 15", Fails(p with { Transitions = new float[15] }, new[] { 5, 4 }));
        var big = new Crf(128, new float[128], new float[128], new float[128 * 128], true);
        Assert.Contains("at most 127 classes, not 128", Fails(big, new[] { 2, 128 }));
        Assert.Equal(new[] { 128 }, Graph(CrfNode(big with { Path = false }), T("e", new[] { 2, 128 }, new float[256]))["tags"].Shape);
    }
}
