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

    /// <summary>Bytes the import may allocate per byte of checkpoint (measured: 3.0 for .pt: the file bytes, the float arrays and one staging copy).</summary>
    private const int MaxAllocatedPerFileByte = 4;

    [Fact]
    public void Two_megabyte_checkpoints_import_in_one_pass_without_copies()
    {
        // Speed is measured by work, not by a clock (a loaded machine must not fail the test): the import
        // allocates at most a small multiple of the file (the float arrays themselves are 1x), so it reads
        // the data once and never copies it quadratically.
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
            long before = GC.GetAllocatedBytesForCurrentThread();
            var stopwatch = Stopwatch.StartNew();
            var stateDict = ImportAssert.Succeeds(reader, path);
            stopwatch.Stop();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            long size = new FileInfo(path).Length;
            _output.WriteLine($"{Path.GetFileName(path)}: {size} bytes in {stopwatch.Elapsed.TotalMilliseconds:F1} ms, {allocated} bytes allocated ({allocated / (double)size:F2}x the file)");

            Assert.Equal(4, stateDict.Tensors.Count);
            Assert.Equal(BitConverter.ToSingle(storages[3].Value, 4 * 1000), stateDict.Tensors[3].Values[1000]);
            Assert.True(allocated <= MaxAllocatedPerFileByte * size, $"{path}: the import allocated {allocated} bytes for a {size}-byte file, more than {MaxAllocatedPerFileByte}x");
        }
    }
}
