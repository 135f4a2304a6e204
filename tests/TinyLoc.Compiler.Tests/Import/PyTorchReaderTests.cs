using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Import;
using Xunit;

namespace TinyLoc.Compiler.Tests.Import;

public sealed class PyTorchReaderTests
{
    public static TheoryData<string> GoodFiles() => new(GoodFileNames());

    private static string[] GoodFileNames() =>
        CheckpointCorpus.Expected.Keys.Where(f => f.EndsWith(".pt", StringComparison.Ordinal)).ToArray();

    [Theory]
    [MemberData(nameof(GoodFiles))]
    public void Good_file_matches_expected_json_bit_for_bit(string file)
    {
        var stateDict = ImportAssert.Succeeds(PyTorchReader.Read, CheckpointCorpus.PathOf(file));
        ImportAssert.Matches(CheckpointCorpus.Expected[file], stateDict);
    }

    [Fact]
    public void Corpus_lists_the_required_good_files()
    {
        Assert.Subset(
            new HashSet<string>(CheckpointCorpus.Expected.Keys),
            new HashSet<string> { "mlp_named.pt", "mlp_sequential.pt", "dtypes.pt", "mlp_named.safetensors" });
    }

    [Fact]
    public void Named_mlp_has_state_dict_names_and_shapes()
    {
        var stateDict = ImportAssert.Succeeds(PyTorchReader.Read, CheckpointCorpus.PathOf("mlp_named.pt"));
        Assert.Equal(new[] { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" }, stateDict.Tensors.Select(t => t.Name));
        Assert.Equal("[8, 4]", stateDict.Tensors[0].ShapeText);
        Assert.Equal("[3]", stateDict.Tensors[3].ShapeText);
    }

    [Fact]
    public void Sequential_names_are_numbered_and_top_folder_is_not_the_stem()
    {
        // mlp_sequential.pt was saved through a BytesIO, so its zip folder is 'archive/'.
        var stateDict = ImportAssert.Succeeds(PyTorchReader.Read, CheckpointCorpus.PathOf("mlp_sequential.pt"));
        Assert.Equal(new[] { "0.weight", "0.bias", "2.weight", "2.bias" }, stateDict.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void Renamed_file_still_reads()
    {
        using var temp = new TempFolder();
        string renamed = temp.File("something else.pth");
        File.Copy(CheckpointCorpus.PathOf("mlp_named.pt"), renamed);
        var stateDict = ImportAssert.Succeeds(PyTorchReader.Read, renamed);
        ImportAssert.Matches(CheckpointCorpus.Expected["mlp_named.pt"], stateDict);
    }

    [Fact]
    public void Training_checkpoint_uses_its_model_state_dict()
    {
        var stateDict = ImportAssert.Succeeds(PyTorchReader.Read, CheckpointCorpus.PathOf("wrapped_state_dict.pt"));
        Assert.Equal(new[] { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" }, stateDict.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void Checkpoint_reader_dispatches_pt_files_here()
    {
        var stateDict = ImportAssert.Succeeds(CheckpointReader.Read, CheckpointCorpus.PathOf("mlp_named.pt"));
        ImportAssert.Matches(CheckpointCorpus.Expected["mlp_named.pt"], stateDict);
    }

    [Theory]
    [InlineData("empty.pt", "TL1012", "empty")]
    [InlineData("not_a_zip.pt", "TL1002", "zip signature")]
    [InlineData("truncated.pt", "TL1002", "truncated")]
    [InlineData("legacy_format.pt", "TL1002", "legacy")]
    [InlineData("missing_storage.pt", "TL1003", "missing_storage/data/0")]
    [InlineData("evil_global.pt", "TL1004", "'posix.system'")]
    [InlineData("whole_module.pt", "TL1004", "'__main__.Net'")]
    [InlineData("bad_opcode.pt", "TL1005", "0x81", "byte 2")]
    [InlineData("bad_memo.pt", "TL1006", "memo entry 5", "byte 5")]
    [InlineData("short_storage.pt", "TL1007", "'fc1.weight'", "128 bytes", "'short_storage/data/0'", "holds 64")]
    [InlineData("quantized.pt", "TL1008", "'0._packed_params._packed_params'", "quantised checkpoints are not supported yet")]
    [InlineData("big_endian.pt", "TL1008", "'fc1.weight'", "big-endian")]
    [InlineData("not_state_dict.pt", "TL1009", "'epoch'", "an int")]
    public void Malformed_file_reports_one_precise_error(string file, string id, params string[] fragments)
    {
        string path = CheckpointCorpus.PathOf(file);
        ImportAssert.Fails(PyTorchReader.Read, path, id, fragments);
        ImportAssert.Fails(CheckpointReader.Read, path, id, fragments);
    }

    [Fact]
    public void Missing_file_is_TL1001()
    {
        using var temp = new TempFolder();
        ImportAssert.Fails(PyTorchReader.Read, temp.File("nope.pt"), "TL1001", "does not exist");
    }

    [Fact]
    public void Folder_instead_of_file_is_TL1012()
    {
        using var temp = new TempFolder();
        ImportAssert.Fails(PyTorchReader.Read, temp.Path, "TL1012", "folder");
    }

    [Fact]
    public void Shared_storage_views_and_offsets_are_read()
    {
        // Two tensors view one storage: 'a' is its first row, 'b' its transposed second and third rows.
        float[] storage = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        byte[] bytes = storage.SelectMany(BitConverter.GetBytes).ToArray();
        var pickle = new PickleWriter().Proto().Op(Compiler.Import.Pickle.PickleOpcode.EmptyDict).Mark()
            .Unicode("a").Tensor("FloatStorage", "0", 9, 0, new long[] { 3 }, new long[] { 1 })
            .Unicode("b").Tensor("FloatStorage", "0", 9, 3, new long[] { 3, 2 }, new long[] { 1, 3 })
            .Op(Compiler.Import.Pickle.PickleOpcode.SetItems).Stop().ToArray();
        using var temp = new TempFolder();
        string path = temp.File("views.pt");
        TorchZipWriter.Write(path, "views", pickle, new[] { new KeyValuePair<string, byte[]>("0", bytes) }, byteOrder: "little");

        var stateDict = ImportAssert.Succeeds(PyTorchReader.Read, path);
        Assert.Equal(new float[] { 1, 2, 3 }, stateDict.Tensors[0].Values);
        Assert.Equal(new float[] { 4, 7, 5, 8, 6, 9 }, stateDict.Tensors[1].Values);
        Assert.Equal(new[] { 3, 2 }, stateDict.Tensors[1].Shape);
    }

    [Fact]
    public void View_past_the_end_of_its_storage_is_TL1007()
    {
        byte[] bytes = new float[] { 1, 2, 3, 4 }.SelectMany(BitConverter.GetBytes).ToArray();
        var pickle = new PickleWriter().Proto().Op(Compiler.Import.Pickle.PickleOpcode.EmptyDict)
            .Unicode("w").Tensor("FloatStorage", "0", 4, 2, new long[] { 2, 2 }, new long[] { 1, 2 })
            .Op(Compiler.Import.Pickle.PickleOpcode.SetItem).Stop().ToArray();
        using var temp = new TempFolder();
        string path = temp.File("past_end.pt");
        TorchZipWriter.Write(path, "past_end", pickle, new[] { new KeyValuePair<string, byte[]>("0", bytes) });

        // Last element index 2 + 1*1 + 1*2 = 5, so 6 floats = 24 bytes are needed; 16 are there.
        ImportAssert.Fails(PyTorchReader.Read, path, "TL1007", "'w'", "24 bytes", "holds 16");
    }

    [Fact]
    public void Pickle_without_data_pkl_is_TL1003()
    {
        using var temp = new TempFolder();
        string path = temp.File("no_pickle.pt");
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
        {
            zip.CreateEntry("no_pickle/version");
        }

        ImportAssert.Fails(PyTorchReader.Read, path, "TL1003", "*/data.pkl");
    }

    [Theory]
    [InlineData("builtins", "eval")]
    [InlineData("os", "system")]
    [InlineData("__builtin__", "getattr")]
    [InlineData("subprocess", "Popen")]
    [InlineData("torch", "load")]
    [InlineData("torch.nn.modules.linear", "Linear")]
    public void Any_global_off_the_allowlist_is_refused_end_to_end(string module, string name)
    {
        var pickle = new PickleWriter().Proto().Global(module, name).Unicode("x").Op(Compiler.Import.Pickle.PickleOpcode.Tuple1)
            .Op(Compiler.Import.Pickle.PickleOpcode.Reduce).Stop().ToArray();
        using var temp = new TempFolder();
        string path = temp.File("evil.pt");
        TorchZipWriter.Write(path, "evil", pickle, Array.Empty<KeyValuePair<string, byte[]>>());
        ImportAssert.Fails(PyTorchReader.Read, path, "TL1004", "'" + module + "." + name + "'");
    }

    [Fact]
    public void Big_endian_archive_reports_the_byte_order()
    {
        var diagnostic = ImportAssert.Fails(PyTorchReader.Read, CheckpointCorpus.PathOf("big_endian.pt"), "TL1008");
        Assert.Contains("float32 stored big-endian", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("byteorder", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnostic_text_names_the_file_and_the_fix()
    {
        string path = CheckpointCorpus.PathOf("evil_global.pt");
        var diagnostic = ImportAssert.Fails(PyTorchReader.Read, path, "TL1004");
        Assert.StartsWith(path + ": error TL1004: ", diagnostic.ToString(), StringComparison.Ordinal);
        Assert.Contains("nothing from a pickle is ever executed", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutated_good_files_never_throw()
    {
        // Deterministic fuzzing: truncations and byte flips of every good .pt file. Each read must either
        // succeed or report exactly one error at the path; nothing may escape.
        var random = new Random(1234);
        using var temp = new TempFolder();
        foreach (string file in GoodFileNames())
        {
            byte[] original = File.ReadAllBytes(CheckpointCorpus.PathOf(file));
            for (int round = 0; round < 150; round++)
            {
                byte[] mutated;
                if (round % 3 == 0)
                {
                    mutated = original.Take(random.Next(original.Length)).ToArray();
                }
                else
                {
                    mutated = (byte[])original.Clone();
                    for (int flips = 1 + random.Next(4); flips > 0; flips--)
                    {
                        mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                    }
                }

                string path = temp.File("mutated.pt");
                File.WriteAllBytes(path, mutated);
                var (result, diagnostics) = ImportAssert.ReadSafely(PyTorchReader.Read, path);
                if (result is null)
                {
                    var diagnostic = Assert.Single(diagnostics.Items);
                    Assert.Equal(Severity.Error, diagnostic.Severity);
                    Assert.Equal(path, diagnostic.Location.File);
                    Assert.DoesNotContain("internal error", diagnostic.Message, StringComparison.Ordinal);
                }
                else
                {
                    Assert.Empty(diagnostics.Items);
                }
            }
        }
    }
}
