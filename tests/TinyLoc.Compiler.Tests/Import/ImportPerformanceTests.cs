using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Import;
using Xunit;
using Xunit.Abstractions;

namespace TinyLoc.Compiler.Tests.Import;

public sealed class ImportPerformanceTests
{
    private readonly ITestOutputHelper _output;

    public ImportPerformanceTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Two_megabyte_checkpoints_import_well_under_a_second()
    {
        // 4 tensors of 256 x 512 float32 = 2 MiB of weights, as a torch.save zip and as safetensors.
        var shapes = Enumerable.Range(0, 4).Select(i => ("layer" + i + ".weight", new long[] { 256, 512 })).ToList();
        var random = new Random(5);
        var storages = new List<KeyValuePair<string, byte[]>>();
        var data = new List<byte>();
        var header = new List<string>();
        for (int i = 0; i < shapes.Count; i++)
        {
            var bytes = new byte[256 * 512 * 4];
            for (int j = 0; j < bytes.Length; j += 4)
            {
                BitConverter.GetBytes((float)(random.NextDouble() - 0.5)).CopyTo(bytes, j);
            }

            storages.Add(new KeyValuePair<string, byte[]>(i.ToString(System.Globalization.CultureInfo.InvariantCulture), bytes));
            header.Add($"\"{shapes[i].Item1}\": {{\"dtype\": \"F32\", \"shape\": [256, 512], \"data_offsets\": [{data.Count}, {data.Count + bytes.Length}]}}");
            data.AddRange(bytes);
        }

        using var temp = new TempFolder();
        string pt = temp.File("big.pt");
        TorchZipWriter.Write(pt, "big", PickleWriter.FloatStateDict(shapes), storages);
        string safetensors = temp.File("big.safetensors");
        File.WriteAllBytes(safetensors, SafetensorsReaderTests.Compose("{" + string.Join(", ", header) + "}", data.ToArray()));
        Assert.True(new FileInfo(pt).Length > 2_000_000);

        foreach (var (path, reader) in new (string, Func<string, Compiler.Diagnostics.DiagnosticBag, StateDict?>)[]
                 { (pt, PyTorchReader.Read), (safetensors, SafetensorsReader.Read) })
        {
            ImportAssert.Succeeds(reader, path); // warm-up (JIT)
            var stopwatch = Stopwatch.StartNew();
            var stateDict = ImportAssert.Succeeds(reader, path);
            stopwatch.Stop();
            _output.WriteLine($"{Path.GetFileName(path)}: {new FileInfo(path).Length} bytes in {stopwatch.Elapsed.TotalMilliseconds:F1} ms");

            Assert.Equal(4, stateDict.Tensors.Count);
            Assert.Equal(BitConverter.ToSingle(storages[3].Value, 4 * 1000), stateDict.Tensors[3].Values[1000]);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromMilliseconds(500), $"{path} took {stopwatch.Elapsed.TotalMilliseconds} ms");
        }
    }
}
