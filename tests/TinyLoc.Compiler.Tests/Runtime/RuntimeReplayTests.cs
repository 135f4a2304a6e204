using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Tests.Golden;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Runtime;
using Xunit;

namespace TinyLoc.Compiler.Tests.Runtime;

/// <summary>
/// The runtime (runtime/c and runtime/TinyLoc.Runtime) on the Kolakowski robot run: a push per non-empty RSSI cell
/// at the recording's own times gives exactly the rows and windows the training script made from the same file, in C
/// (host, ASan + UBSan) and in C#.
/// </summary>
public sealed class RuntimeReplayTests
{
    [RequiresDatasetFact(DatasetCatalog.KolakowskiBle)]
    public void RowsAndWindowsEqualTheTrainingScriptsOnTheRobotRunInCAndCSharp()
    {
        var m = ManifestReader.Read(GoldenModels.Manifest("kolakowski_mamba"), new DiagnosticBag())!;
        var s = m.Input.Stream;
        var run = RobotRun.Load();
        var expected = run.TrainingWindows(m.Input.Window, s.Hop, 2.0, m.Input.RssiMin);
        Assert.Equal(63, expected.Count); // kolakowski_mamba.metrics.json: 63 test windows

        var script = new RuntimeScript(new ScriptModel(m.Input.Features.Count, m.Input.Window, s.Hop, m.Output.Count, OutputKinds.Classes, s.PeriodUs, s.FillRows, (uint)s.SessionGapMs, m.Input.RssiMin, 1, 0.8f, Capture: true));
        run.Replay(script, s);
        string cs = script.RunCSharp();
        var windows = cs.Split('\n').Where(l => l.StartsWith("w ", System.StringComparison.Ordinal)).Select(l => l.Substring(2)).ToList();
        Assert.Equal(expected.Select(w => string.Join(" ", w.Select(RuntimeScript.Hex))).ToList(), windows);

        // Every row of the file became a row of the runtime; none was empty or late.
        var stats = cs.Split('\n').Single(l => l.StartsWith("stats ", System.StringComparison.Ordinal)).Split(' ').Skip(1).Select(uint.Parse).ToArray();
        Assert.Equal(new uint[] { 0, 0, 0 }, stats.Take(3));
        Assert.Equal((uint)run.Timestamps.Length, stats[4]);
        Assert.Equal(0u, stats[5]);
        Assert.Equal(63u, stats[6]);

        Assert.Equal(cs, RuntimeDriver.Run(script));
    }

    [RequiresDatasetFact(DatasetCatalog.KolakowskiBle)]
    public void TheGeneratedLocalizerAnswersTheRobotRunAsTheReferenceEvaluatorDoesOnTheTrainingWindows()
    {
        // kolakowski_mamba as compiled by default (dynamic int8), its C# class and runtime (as the CLI and the
        // source generator write them), driven by the replay; and the reference evaluator on the script's windows.
        var c = GoldenModels.Compile("kolakowski_mamba", "dynamic");
        var m = c.Manifest!;
        var run = RobotRun.Load();
        var expected = run.TrainingWindows(m.Input.Window, m.Input.Stream.Hop, 2.0, m.Input.RssiMin).Select(w => m.ClassOf(c.Evaluate(w))).ToList();

        using var loaded = CSharpHost.Load(GoldenModels.CSharpClass(c), c.Emit("dotnet")!.Select(f => f.Content));
        dynamic loc = loaded.ModelType.GetMethod("CreateLocalizer")!.Invoke(null, null)!;
        var labels = new List<int>();
        uint now = 0;
        for (int row = 0; row < run.Rssi.Length; row++)
        {
            now = run.TimeMs(row);
            for (int f = 0; f < 6; f++)
            {
                if (run.Rssi[row][f] is float v)
                {
                    loc.Push(m.Input.Features[f], v, now);
                }
            }

            while (loc.Poll(now))
            {
                labels.Add((int)loc.Answer.Label);
            }
        }

        while (loc.Poll(now + 2000u))
        {
            labels.Add((int)loc.Answer.Label);
        }

        Assert.Equal(expected, labels);

        // The rooms of the windows' last rows (examples/dotnet-console prints this accuracy: 58 of 63 with dynamic int8; PyTorch float: 59).
        int right = run.TrainingWindowLastRows(m.Input.Window, m.Input.Stream.Hop, 2.0).Select((r, i) => Room(run.Positions[r]) == labels[i] ? 1 : 0).Sum();
        Assert.Equal(58, right);
    }

    private static int Room(float[] p) => p[1] < 2.1f ? (p[0] < 3.965f ? 0 : 1) : p[0] < 2.64f ? 2 : p[0] < 6.32f ? 3 : 4;
}
