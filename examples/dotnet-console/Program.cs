// Classifies UJIIndoorLoc's held-out validation scans (building x floor) with TinyLoc.Models.UjiMlp, then replays
// the Kolakowski robot run through the runtime (beacon readings in, rooms out) with TinyLoc.Models.KolakowskiMamba:
// the classes TinyLoc.Generator compiled from ../models/*.tinyloc.json during this build.
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using TinyLoc.Models;

const string Dataset = "ujiindoorloc";
const string File = "validationData.csv.gz";

string? root = DataRoot();
string path = Path.Combine(root ?? "../shared/datasets", Dataset, File);
if (root is null || !System.IO.File.Exists(path))
{
    Console.Error.WriteLine($"UJIIndoorLoc not found: no {path}.");
    Console.Error.WriteLine("Download UJIIndoorLoc (CC BY 4.0) from the UCI Machine Learning Repository, put validationData.csv.gz");
    Console.Error.WriteLine($"in a folder named {Dataset}, and set TINYLOC_DATA to that folder's parent (default: ../shared/datasets beside the repository).");
    return 2;
}


Console.WriteLine($"{nameof(UjiMlp)}: {UjiMlp.InputCount} inputs -> {UjiMlp.OutputCount} classes; RAM {UjiMlp.RamBytes:N0} B (arena {UjiMlp.ArenaBytes:N0} B), flash ~{UjiMlp.FlashBytesEstimate:N0} B, model {UjiMlp.Hash}");

var input = new float[UjiMlp.InputCount];
int scans = 0, correct = 0;
var perBuilding = new SortedDictionary<string, (int Scans, int Correct)>(StringComparer.Ordinal);
var clock = new Stopwatch();
using (var reader = new StreamReader(new GZipStream(System.IO.File.OpenRead(path), CompressionMode.Decompress)))
{
    string[] header = (reader.ReadLine() ?? string.Empty).Split(',');
    int[] waps = Enumerable.Range(1, UjiMlp.InputCount).Select(i => Array.IndexOf(header, $"WAP{i:000}")).ToArray();
    int floor = Array.IndexOf(header, "FLOOR"), building = Array.IndexOf(header, "BUILDINGID");
    if (waps.Any(i => i < 0) || floor < 0 || building < 0)
    {
        Console.Error.WriteLine($"{path}: not the UJIIndoorLoc layout (WAP001..WAP{UjiMlp.InputCount:000}, FLOOR, BUILDINGID).");
        return 3;
    }

    for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
    {
        string[] cells = line.Split(',');
        for (int i = 0; i < waps.Length; i++)
        {
            input[i] = float.Parse(cells[waps[i]], CultureInfo.InvariantCulture);
        }

        string truth = $"B{cells[building]}F{cells[floor]}";
        clock.Start();
        string predicted = UjiMlp.Labels[UjiMlp.Classify(input)];
        clock.Stop();

        bool hit = predicted == truth;
        scans++;
        correct += hit ? 1 : 0;
        string b = "building " + cells[building];
        var (n, k) = perBuilding.GetValueOrDefault(b);
        perBuilding[b] = (n + 1, k + (hit ? 1 : 0));
    }
}

foreach (var (b, (n, k)) in perBuilding)
{
    Console.WriteLine($"  {b}: {k,5:N0} of {n,5:N0} scans right ({100.0 * k / n:0.00} %)");
}

Console.WriteLine($"{File}: {scans:N0} held-out scans, building x floor accuracy {100.0 * correct / scans:0.00} % ({correct:N0} right); {clock.Elapsed.TotalMilliseconds * 1000 / scans:0.0} us per scan");
return ReplayRobotRun(root);

// The Kolakowski robot run as a device meets it: each non-empty RSSI cell pushed at its row's time (the column name
// is the beacon id), the runtime's answer (the room of the window's last row) scored against the robot's true room.
static int ReplayRobotRun(string root)
{
    string path = Path.Combine(root, "ble-rss-kolakowski-2021", "test_robot_df.csv.gz");
    if (!System.IO.File.Exists(path))
    {
        Console.Error.WriteLine($"Kolakowski BLE RSS not found: no {path}. Download it (CC BY 4.0) from Zenodo, doi 10.5281/zenodo.5457591.");
        return 2;
    }

    var localizer = KolakowskiMamba.CreateLocalizer();
    var rooms = new Dictionary<uint, int>(); // row time -> the robot's room
    int windows = 0, right = 0;
    double first = double.NaN;
    uint now = 0;
    void Score()
    {
        while (localizer.Poll(now))
        {
            windows++;
            right += localizer.Answer.Label == rooms[localizer.Answer.TimeMs] ? 1 : 0;
        }
    }

    using (var reader = new StreamReader(new GZipStream(System.IO.File.OpenRead(path), CompressionMode.Decompress)))
    {
        string[] header = (reader.ReadLine() ?? string.Empty).Split(',');
        int ts = Array.IndexOf(header, "ts"), x = Array.IndexOf(header, "x"), y = Array.IndexOf(header, "y");
        string[] ids = Enumerable.Range(1, 6).Select(i => $"rssi_{i}").ToArray();
        int[] columns = ids.Select(id => Array.IndexOf(header, id)).ToArray();
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            string[] cells = line.Split(',');
            double stamp = double.Parse(cells[ts], CultureInfo.InvariantCulture);
            first = double.IsNaN(first) ? stamp : first;
            now = (uint)(((stamp - first) / 1e6) + 0.5);
            rooms[now] = Room(float.Parse(cells[x], CultureInfo.InvariantCulture), float.Parse(cells[y], CultureInfo.InvariantCulture));
            for (int f = 0; f < ids.Length; f++)
            {
                if (cells[columns[f]].Length > 0)
                {
                    localizer.Push(ids[f], float.Parse(cells[columns[f]], CultureInfo.InvariantCulture), now);
                }
            }

            Score();
        }
    }

    now += 2000; // past the session gap: the last row ends
    Score();
    var stats = localizer.Stats;
    Console.WriteLine($"test_robot_df.csv.gz through the runtime: {stats.Rows:N0} rows, {windows} windows of {KolakowskiMamba.InputCount / 6} rows, room accuracy {100.0 * right / windows:0.00} % ({right} right); runtime state {KolakowskiMamba.RuntimeStateBytes} B");
    return 0;
}

// The five rooms of the Kolakowski flat (metres; examples/training/train_kolakowski_seq.py, in the model's label order).
static int Room(float x, float y) => y < 2.1f ? (x < 3.965f ? 0 : 1) : x < 2.64f ? 2 : x < 6.32f ? 3 : 4;

// TINYLOC_DATA, else ../shared/datasets beside the repository that holds this example (found upwards from
// the working folder and from the program's folder), or null.
static string? DataRoot()
{
    string? fromEnvironment = Environment.GetEnvironmentVariable("TINYLOC_DATA");
    if (!string.IsNullOrWhiteSpace(fromEnvironment))
    {
        return Path.GetFullPath(fromEnvironment);
    }

    foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "TinyLoc.Compiler.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "datasets"));
            }
        }
    }

    return null;
}
