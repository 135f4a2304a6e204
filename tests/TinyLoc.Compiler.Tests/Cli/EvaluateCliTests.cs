using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using TinyLoc.Compiler.Tests.Golden;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Tests.Runtime;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Compiler.Tests.Cli;

/// <summary><c>tinyloc evaluate</c> as a user meets it: label errors that say what to do, schemes skipped with their reason, recordings windowed by the runtime.</summary>
[Collection("cli")]
public sealed class EvaluateCliTests
{
    private static readonly string[] Rooms = ["hall", "side_room", "left_room", "middle_room", "right_room"];

    [Fact]
    public void AClassifierWithoutLabelSaysWhichOptionAndListsTheColumns()
    {
        using var dir = ScratchDirectory.Create("eval-nolabel");
        string csv = UjiRows(dir.Path, ("0", "1"), ("1", "2"));
        Assert.Equal(1, Run(out _, out string err, "evaluate", GoldenModels.Manifest("uji_mlp"), "--data", csv));
        Assert.Contains("error TL1112: ", err, StringComparison.Ordinal);
        Assert.Contains("--label", err, StringComparison.Ordinal);
        Assert.Contains("B{BUILDINGID}F{FLOOR}", err, StringComparison.Ordinal);
        Assert.Contains("BUILDINGID", err, StringComparison.Ordinal); // the file's columns
        Assert.DoesNotContain("calibration", err, StringComparison.Ordinal);

        Assert.Equal(1, Run(out _, out err, "evaluate", GoldenModels.Manifest("uji_mlp"), "--data", csv, "--label", "B{BUILDING}F{FLOOR}"));
        Assert.Contains("error TL1112: ", err, StringComparison.Ordinal);
        Assert.Contains("'BUILDING'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelsThatAreNeverTheModelsAreAnErrorAndSomeAreAWarningWithCounts()
    {
        using var dir = ScratchDirectory.Create("eval-labels");
        string csv = UjiRows(dir.Path, ("0", "1"), ("1", "2"), ("7", "9"));
        Assert.Equal(1, Run(out _, out string err, "evaluate", GoldenModels.Manifest("uji_mlp"), "--data", csv, "--label", "F{FLOOR}", "--schemes", "none"));
        Assert.Contains("error TL1113: ", err, StringComparison.Ordinal);
        Assert.Contains("'F1'", err, StringComparison.Ordinal);
        Assert.Contains("'B0F0'", err, StringComparison.Ordinal);

        Assert.Equal(0, Run(out string output, out err, "evaluate", GoldenModels.Manifest("uji_mlp"), "--data", csv, "--label", "B{BUILDINGID}F{FLOOR}", "--schemes", "none"));
        Assert.Contains("1 of 3 rows skipped", output, StringComparison.Ordinal);
        Assert.Contains("'B7F9'", output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, err);
    }

    [Fact]
    public void ASchemeThatCannotCalibrateIsSkippedWithItsReasonAndTheOthersAreScored()
    {
        using var dir = ScratchDirectory.Create("eval-skip");
        string csv = Recording(dir.Path, 60);
        Assert.Equal(0, Run(out string output, out _, "evaluate", GoldenModels.Manifest("kolakowski_mamba"), "--data", csv, "--label", "room", "--schemes", "static,none", "--json"));
        using var doc = JsonDocument.Parse(output);
        var schemes = doc.RootElement.GetProperty("schemes").EnumerateArray().Select(s => s.GetProperty("scheme").GetString()!).ToArray();
        Assert.Equal(new[] { "none" }, schemes);
        var skipped = Assert.Single(doc.RootElement.GetProperty("skipped_schemes").EnumerateArray());
        Assert.Equal("static", skipped.GetProperty("scheme").GetString());
        Assert.Contains("TL3002", skipped.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("runtime", doc.RootElement.GetProperty("windows").GetString());

        // 60 rows 300 ms apart, windows of 20 rows every 10: 5 windows.
        Assert.Equal(5, doc.RootElement.GetProperty("samples").GetInt32());

        Assert.Equal(0, Run(out output, out _, "evaluate", GoldenModels.Manifest("kolakowski_mamba"), "--data", csv, "--label", "room", "--schemes", "static,none"));
        Assert.Contains("scheme static skipped: ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal); // redirected: no ANSI
        Assert.Equal(1, Run(out _, out _, "evaluate", GoldenModels.Manifest("kolakowski_mamba"), "--data", csv, "--label", "room", "--schemes", "static"));
    }

    /// <summary>
    /// --plots writes a confusion matrix and a size breakdown per scheme as PNG, the same bytes for the same data (the
    /// pictures were checked by eye: counts in the cells, colour by the true class's fraction; flash and RAM by layer).
    /// </summary>
    [Fact]
    public void PlotsAreAConfusionMatrixAndASizeBreakdownPerSchemeTheSameEachRun()
    {
        using var dir = ScratchDirectory.Create("eval-plots");
        string csv = Recording(dir.Path, 60);
        string pictures = Path.Combine(dir.Path, "plots");
        Assert.Equal(0, Run(out string output, out _, "evaluate", GoldenModels.Manifest("kolakowski_mamba"), "--data", csv, "--label", "room", "--schemes", "none,dynamic", "--plots", pictures, "--json"));
        using var doc = JsonDocument.Parse(output);
        var files = doc.RootElement.GetProperty("plots").EnumerateArray().Select(p => Path.GetFileName(p.GetString()!)).ToArray();
        Assert.Equal(new[] { "kolakowski_mamba.none.confusion.png", "kolakowski_mamba.none.size.png", "kolakowski_mamba.dynamic.confusion.png", "kolakowski_mamba.dynamic.size.png" }, files);
        var first = files.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(pictures, f)));
        Assert.All(first.Values, png =>
        {
            Assert.True(png.Length > 5000, "a picture of a few bytes draws nothing");
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Take(4).ToArray());
        });

        Assert.Equal(0, Run(out _, out _, "evaluate", GoldenModels.Manifest("kolakowski_mamba"), "--data", csv, "--label", "room", "--schemes", "none,dynamic", "--plots", pictures));
        Assert.All(files, f => Assert.Equal(first[f], File.ReadAllBytes(Path.Combine(pictures, f))));
        dir.MarkSucceeded();
    }

    [Fact]
    public void EvaluationDataWithoutTheFeatureColumnsIsTL1115NotCalibrationData()
    {
        using var dir = ScratchDirectory.Create("eval-columns");
        string csv = System.IO.Path.Combine(dir.Path, "data.csv");
        System.IO.File.WriteAllText(csv, "a,room\n1,r1\n");
        Assert.Equal(1, Run(out _, out string err, "evaluate", GoldenModels.Manifest("uji_mlp"), "--data", csv, "--label", "room", "--schemes", "none"));
        Assert.Contains("error TL1115: evaluation data: the header has no column 'WAP001'", err, StringComparison.Ordinal);
        Assert.DoesNotContain("calibration", err, StringComparison.Ordinal);

        System.IO.File.WriteAllText(csv, string.Join(",", Enumerable.Range(1, 520).Select(i => $"WAP{i:000}")) + ",room\n" + string.Join(",", Enumerable.Repeat("x", 520)) + ",r1\n");
        Assert.Equal(1, Run(out _, out err, "evaluate", GoldenModels.Manifest("uji_mlp"), "--data", csv, "--label", "room", "--schemes", "none"));
        Assert.Contains("error TL1115: evaluation data: 'x' is not a finite number", err, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecordingWithoutItsTimeColumnOrInAnotherUnitSaysWhichOption()
    {
        using var dir = ScratchDirectory.Create("eval-time");
        string csv = Recording(dir.Path, 60);
        Assert.Equal(1, Run(out _, out string err, "evaluate", GoldenModels.Manifest("kolakowski_mamba"), "--data", csv, "--label", "room", "--time-column", "t", "--schemes", "none"));
        Assert.Contains("error TL1114: ", err, StringComparison.Ordinal);
        Assert.Contains("'t' (--time-column)", err, StringComparison.Ordinal);

        // Nanoseconds read as seconds: every row is a session of its own and no window fills.
        Assert.Equal(1, Run(out _, out err, "evaluate", GoldenModels.Manifest("kolakowski_mamba"), "--data", csv, "--label", "room", "--time-unit", "s", "--schemes", "none"));
        Assert.Contains("error TL1114: ", err, StringComparison.Ordinal);
        Assert.Contains("--time-unit s", err, StringComparison.Ordinal);
    }

    [RequiresDatasetFact(DatasetCatalog.KolakowskiBle)]
    public void TheMambaOnTheRobotRunGetsTheRuntimesWindowsAndAccuracy()
    {
        // The rooms of RuntimeReplayTests, as a column (README: a one-line preprocessing).
        using var dir = ScratchDirectory.Create("eval-robot");
        var run = RobotRun.Load();
        string csv = Path.Combine(dir.Path, "robot_rooms.csv");
        var text = new StringBuilder("ts,rssi_1,rssi_2,rssi_3,rssi_4,rssi_5,rssi_6,room\n");
        for (int r = 0; r < run.Timestamps.Length; r++)
        {
            text.Append(run.Timestamps[r].ToString("R", CultureInfo.InvariantCulture));
            foreach (var v in run.Rssi[r])
            {
                text.Append(',').Append(v is float f ? f.ToString("R", CultureInfo.InvariantCulture) : string.Empty);
            }

            text.Append(',').Append(Rooms[Room(run.Positions[r])]).Append('\n');
        }

        File.WriteAllText(csv, text.ToString());
        Assert.Equal(0, Run(out string output, out _, "evaluate", GoldenModels.Manifest("kolakowski_mamba"), "--data", csv, "--label", "room", "--schemes", "dynamic", "--json"));
        using var doc = JsonDocument.Parse(output);
        var dynamic = doc.RootElement.GetProperty("schemes")[0];
        Assert.Equal(63, dynamic.GetProperty("samples").GetInt32());
        Assert.Equal(58.0 / 63, dynamic.GetProperty("accuracy").GetDouble(), 6);
    }

    [RequiresDatasetFact(DatasetCatalog.KolakowskiBle)]
    public void TheMlpThroughTheRuntimesRowsScoresExactlyAsRowByRow()
    {
        string manifest = GoldenModels.Manifest("kolakowski_mlp");
        Assert.Equal(0, Run(out string rows, out _, "evaluate", manifest, "--data", RobotRun.Path, "--schemes", "none,static", "--json"));
        Assert.Equal(0, Run(out string windows, out _, "evaluate", manifest, "--data", RobotRun.Path, "--schemes", "none,static", "--json", "--windows", "runtime"));
        using var a = JsonDocument.Parse(rows);
        using var b = JsonDocument.Parse(windows);
        Assert.Equal("file", a.RootElement.GetProperty("windows").GetString());
        Assert.Equal("runtime", b.RootElement.GetProperty("windows").GetString());
        Assert.Equal(a.RootElement.GetProperty("schemes").GetRawText(), b.RootElement.GetProperty("schemes").GetRawText());
        var stat = b.RootElement.GetProperty("schemes")[1];
        Assert.Equal(719, stat.GetProperty("samples").GetInt32());
        Assert.Equal(1.202, stat.GetProperty("mean_error").GetDouble(), 3);
    }

    private static int Room(float[] p) => p[1] < 2.1f ? (p[0] < 3.965f ? 0 : 1) : p[0] < 2.64f ? 2 : p[0] < 6.32f ? 3 : 4;

    /// <summary>A UJI-like CSV: the 520 WAP columns (one heard at -60 dBm), BUILDINGID and FLOOR.</summary>
    private static string UjiRows(string dir, params (string Building, string Floor)[] rows)
    {
        var waps = Enumerable.Range(1, 520).Select(i => "WAP" + i.ToString("000", CultureInfo.InvariantCulture));
        var text = new StringBuilder(string.Join(",", waps) + ",BUILDINGID,FLOOR\n");
        foreach (var (b, f) in rows)
        {
            text.Append("-60").Append(string.Concat(Enumerable.Repeat(",100", 519))).Append(',').Append(b).Append(',').Append(f).Append('\n');
        }

        string path = Path.Combine(dir, "uji.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>A recording as the Kolakowski files have it: ts in nanoseconds every 300 ms, six RSSI columns (one empty now and then) and a room.</summary>
    private static string Recording(string dir, int rows)
    {
        var text = new StringBuilder("ts,rssi_1,rssi_2,rssi_3,rssi_4,rssi_5,rssi_6,room\n");
        for (int r = 0; r < rows; r++)
        {
            text.Append((1.628008099976e18 + (r * 3e8)).ToString("R", CultureInfo.InvariantCulture));
            for (int f = 0; f < 6; f++)
            {
                text.Append(',').Append((r + f) % 7 == 0 ? string.Empty : (-50 - ((r * 3 + f * 5) % 40)).ToString(CultureInfo.InvariantCulture));
            }

            text.Append(',').Append(Rooms[r / 20 % 5]).Append('\n');
        }

        string path = Path.Combine(dir, "recording.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static int Run(out string stdout, out string stderr, params string[] args) => CliRun.Run(out stdout, out stderr, args);
}
