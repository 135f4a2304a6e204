using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Tests.Runtime;

/// <summary>
/// The Kolakowski robot run (<c>test_robot_df.csv.gz</c>, read in place from the data path) two ways: as the training
/// script cuts it into windows (examples/training/train_kolakowski_seq.py: sessions at gaps over 2 s, windows of T
/// rows every HOP rows inside a session, an empty cell = rssi_min), and as a device would see it: one push per
/// non-empty RSSI cell at the row's own time, in milliseconds from the first row.
/// </summary>
public sealed class RobotRun
{
    public const string File = "test_robot_df.csv.gz";

    private RobotRun(double[] ts, float?[][] rssi, float[][] positions)
    {
        Timestamps = ts;
        Rssi = rssi;
        Positions = positions;
    }

    /// <summary>Each row's time in nanoseconds, as the file gives it.</summary>
    public double[] Timestamps { get; }

    /// <summary>Each row's six readings (null: empty cell, not received).</summary>
    public float?[][] Rssi { get; }

    /// <summary>Each row's ground truth x, y (metres).</summary>
    public float[][] Positions { get; }

    public static string Path => System.IO.Path.Combine(TestPaths.Dataset(DatasetCatalog.KolakowskiBle)!, File);

    public static RobotRun Load()
    {
        using var csv = new CsvFile(Path);
        int ts = csv.Column("ts"), x = csv.Column("x"), y = csv.Column("y");
        int[] rssi = Enumerable.Range(1, 6).Select(i => csv.Column("rssi_" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        var times = new List<double>();
        var cells = new List<float?[]>();
        var positions = new List<float[]>();
        foreach (var row in csv.Rows())
        {
            times.Add(double.Parse(row[ts], CultureInfo.InvariantCulture));
            cells.Add(rssi.Select(c => row[c].Length == 0 ? (float?)null : float.Parse(row[c], CultureInfo.InvariantCulture)).ToArray());
            positions.Add(new[] { float.Parse(row[x], CultureInfo.InvariantCulture), float.Parse(row[y], CultureInfo.InvariantCulture) });
        }

        return new RobotRun(times.ToArray(), cells.ToArray(), positions.ToArray());
    }

    /// <summary>A row's time on the device's clock: milliseconds after the first row, rounded.</summary>
    public uint TimeMs(int row) => (uint)(((Timestamps[row] - Timestamps[0]) / 1e6) + 0.5);

    /// <summary>The training script's windows (raw dBm, time-major, empty cells at <paramref name="rssiMin"/>).</summary>
    public List<float[]> TrainingWindows(int window, int hop, double gapSeconds, float rssiMin) =>
        WindowRows(window, hop, gapSeconds).Select(rows => rows.SelectMany(r => Rssi[r].Select(v => v ?? rssiMin)).ToArray()).ToList();

    /// <summary>The row each of the training script's windows ends with (its label's row).</summary>
    public List<int> TrainingWindowLastRows(int window, int hop, double gapSeconds) =>
        WindowRows(window, hop, gapSeconds).Select(rows => rows[^1]).ToList();

    private List<int[]> WindowRows(int window, int hop, double gapSeconds)
    {
        var runs = new List<List<int>> { new() { 0 } };
        for (int i = 1; i < Timestamps.Length; i++)
        {
            if ((Timestamps[i] - Timestamps[i - 1]) / 1e9 > gapSeconds)
            {
                runs.Add(new List<int>());
            }

            runs[^1].Add(i);
        }

        var windows = new List<int[]>();
        foreach (var run in runs)
        {
            for (int s = 0; s + window <= run.Count; s += hop)
            {
                windows.Add(run.GetRange(s, window).ToArray());
            }
        }

        return windows;
    }

    /// <summary>The device's view: every non-empty cell pushed at its row's time, then a poll after the last row.</summary>
    public void Replay(RuntimeScript script, StreamSpec stream)
    {
        for (int row = 0; row < Rssi.Length; row++)
        {
            for (int f = 0; f < Rssi[row].Length; f++)
            {
                if (Rssi[row][f] is float v)
                {
                    script.Push(f, v, TimeMs(row));
                }
            }

            script.Poll(TimeMs(row));
        }

        script.Poll(TimeMs(Rssi.Length - 1) + (uint)stream.SessionGapMs);
    }
}
