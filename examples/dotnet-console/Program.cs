// Classifies UJIIndoorLoc's held-out validation scans (building x floor) with TinyLoc.Models.UjiMlp,
// the class TinyLoc.Generator compiled from ../models/uji_mlp.tinyloc.json during this build.
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
return 0;

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
