using System;
using System.IO;
using System.Linq;
using System.Text;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Import;
using Xunit;

namespace TinyLoc.Compiler.Tests.Import;

public sealed class SafetensorsReaderTests
{
    public static TheoryData<string> GoodFiles() => new(GoodFileNames());

    private static string[] GoodFileNames() =>
        CheckpointCorpus.Expected.Keys.Where(f => f.EndsWith(".safetensors", StringComparison.Ordinal)).ToArray();

    [Theory]
    [MemberData(nameof(GoodFiles))]
    public void Good_file_matches_expected_json_bit_for_bit(string file)
    {
        var stateDict = ImportAssert.Succeeds(SafetensorsReader.Read, CheckpointCorpus.PathOf(file));
        ImportAssert.Matches(CheckpointCorpus.Expected[file], stateDict);
    }

    [Fact]
    public void Safetensors_and_pt_of_the_same_model_agree()
    {
        var fromPt = ImportAssert.Succeeds(PyTorchReader.Read, CheckpointCorpus.PathOf("mlp_named.pt"));
        var fromSafetensors = ImportAssert.Succeeds(CheckpointReader.Read, CheckpointCorpus.PathOf("mlp_named.safetensors"));
        Assert.Equal(fromPt.Tensors.Select(t => t.Name), fromSafetensors.Tensors.Select(t => t.Name));
        for (int i = 0; i < fromPt.Tensors.Count; i++)
        {
            Assert.Equal(fromPt.Tensors[i].Shape, fromSafetensors.Tensors[i].Shape);
            Assert.Equal(fromPt.Tensors[i].Values, fromSafetensors.Tensors[i].Values);
        }
    }

    [Fact]
    public void Tensors_come_in_data_order_not_header_order()
    {
        // The header lists fc1.bias before fc1.weight (sorted by name); the data has fc1.weight first.
        string header = ReadHeader(CheckpointCorpus.PathOf("mlp_named.safetensors"));
        Assert.True(header.IndexOf("fc1.bias", StringComparison.Ordinal) < header.IndexOf("fc1.weight", StringComparison.Ordinal));
        var stateDict = ImportAssert.Succeeds(SafetensorsReader.Read, CheckpointCorpus.PathOf("mlp_named.safetensors"));
        Assert.Equal(new[] { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" }, stateDict.Tensors.Select(t => t.Name));
    }

    [Theory]
    [InlineData("bad_header.safetensors", "TL1010", "not valid JSON")]
    [InlineData("bad_header_length.safetensors", "TL1010", "header length 1099511627776")]
    [InlineData("offsets_out_of_range.safetensors", "TL1010", "'w'", "[0, 400]", "outside")]
    [InlineData("overlapping.safetensors", "TL1010", "'a'", "'b'", "overlap")]
    [InlineData("size_mismatch.safetensors", "TL1010", "'w'", "needs 12 bytes", "span 8")]
    [InlineData("unsupported_dtype.safetensors", "TL1008", "'w'", "C64")]
    public void Malformed_file_reports_one_precise_error(string file, string id, params string[] fragments)
    {
        string path = CheckpointCorpus.PathOf(file);
        ImportAssert.Fails(SafetensorsReader.Read, path, id, fragments);
        ImportAssert.Fails(CheckpointReader.Read, path, id, fragments);
    }

    [Theory]
    [InlineData("", "fewer than the 8-byte header length")]
    [InlineData("{}", "header length")]
    [InlineData("[1, 2]", "not a JSON object")]
    [InlineData("{\"w\": 3}", "not an object")]
    [InlineData("{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", "no string 'dtype'")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", "'shape'")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", "'shape'")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", "'data_offsets'")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}}", "outside")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", "twice")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296], \"data_offsets\": [0, 8]}}", "more than")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}} x", "not valid JSON")]
    [InlineData("{\"w\": \"\u0001\"}", "control character")]
    public void Header_problems_are_TL1010(string header, string fragment)
    {
        using var temp = new TempFolder();
        string path = temp.File("bad.safetensors");
        byte[] data = new byte[8];
        byte[] file = header.Length == 0 ? new byte[3] : Compose(header, data);
        if (header == "{}")
        {
            file = BitConverter.GetBytes(0UL).Concat(data).ToArray();
        }

        File.WriteAllBytes(path, file);
        ImportAssert.Fails(SafetensorsReader.Read, path, "TL1010", fragment);
    }

    [Fact]
    public void Header_that_is_not_utf8_is_TL1010()
    {
        using var temp = new TempFolder();
        string path = temp.File("latin1.safetensors");
        byte[] header = { (byte)'{', (byte)'"', 0xE9, (byte)'"', (byte)':', (byte)'1', (byte)'}', (byte)' ' };
        File.WriteAllBytes(path, BitConverter.GetBytes((ulong)header.Length).Concat(header).ToArray());
        ImportAssert.Fails(SafetensorsReader.Read, path, "TL1010", "UTF-8");
    }

    [Fact]
    public void Empty_tensors_and_metadata_are_fine()
    {
        using var temp = new TempFolder();
        string path = temp.File("edge.safetensors");
        byte[] data = BitConverter.GetBytes(7.5f);
        File.WriteAllBytes(path, Compose(
            "{\"__metadata__\": {\"format\": \"pt\"}, \"z\": {\"dtype\": \"F32\", \"shape\": [0, 2], \"data_offsets\": [0, 0]}," +
            " \"s\": {\"dtype\": \"F32\", \"shape\": [], \"data_offsets\": [0, 4]}, \"e\": {\"dtype\": \"I64\", \"shape\": [0], \"data_offsets\": [4, 4]}}",
            data));
        var stateDict = ImportAssert.Succeeds(SafetensorsReader.Read, path);
        Assert.Equal(new[] { "z", "s", "e" }, stateDict.Tensors.Select(t => t.Name));
        Assert.Equal(new[] { 7.5f }, stateDict.Tensors[1].Values);
        Assert.Empty(stateDict.Tensors[0].Values);
    }

    [Fact]
    public void Missing_file_is_TL1001()
    {
        using var temp = new TempFolder();
        ImportAssert.Fails(SafetensorsReader.Read, temp.File("nope.safetensors"), "TL1001", "does not exist");
    }

    [Fact]
    public void Mutated_good_files_never_throw()
    {
        var random = new Random(99);
        using var temp = new TempFolder();
        foreach (string file in GoodFileNames())
        {
            byte[] original = File.ReadAllBytes(CheckpointCorpus.PathOf(file));
            for (int round = 0; round < 300; round++)
            {
                byte[] mutated = round % 3 == 0
                    ? original.Take(random.Next(original.Length)).ToArray()
                    : (byte[])original.Clone();
                if (round % 3 != 0)
                {
                    // Mostly mutate the header, where the structure is.
                    int limit = Math.Min(mutated.Length, 8 + (int)BitConverter.ToUInt64(original, 0));
                    mutated[random.Next(limit)] = (byte)random.Next(256);
                }

                string path = temp.File("mutated.safetensors");
                File.WriteAllBytes(path, mutated);
                var (result, diagnostics) = ImportAssert.ReadSafely(SafetensorsReader.Read, path);
                if (result is null)
                {
                    var diagnostic = Assert.Single(diagnostics.Items);
                    Assert.Equal(Severity.Error, diagnostic.Severity);
                    Assert.DoesNotContain("internal error", diagnostic.Message, StringComparison.Ordinal);
                }
            }
        }
    }

    internal static byte[] Compose(string header, byte[] data)
    {
        byte[] text = Encoding.UTF8.GetBytes(header);
        return BitConverter.GetBytes((ulong)text.Length).Concat(text).Concat(data).ToArray();
    }

    private static string ReadHeader(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return Encoding.UTF8.GetString(bytes, 8, (int)BitConverter.ToUInt64(bytes, 0));
    }
}
