using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using TinyLoc.Compiler.Import.Pickle;
using TinyLoc.Compiler.Tests.Import;
using TinyLoc.Tests.Shared;

namespace TinyLoc.Compiler.Tests.Security.Corpus;

/// <summary>
/// Containers: a real PyTorch .pt and a real safetensors file (tests/testdata/models) cut at many offsets;
/// views whose offsets, shapes and strides overflow or repeat 4 bytes into billions of elements; zips that
/// inflate, hold an entry twice or name entries outside their folder; hostile safetensors headers.
/// </summary>
internal static class ArchiveCases
{
    private const string RealPt = "models/tiny_relu_reg.pt";
    private const string RealSafetensors = "models/tiny_silu_reg.safetensors";

    public static IEnumerable<HostileCase> All()
    {
        foreach (int cut in Cuts(File.ReadAllBytes(Path.Combine(RepoPaths.TestData, RealPt)).Length, 150))
        {
            yield return new HostileCase("truncated-pt:" + cut.ToString(CultureInfo.InvariantCulture), "fail", f =>
            {
                f.Write("model.pt", File.ReadAllBytes(Path.Combine(RepoPaths.TestData, RealPt)).Take(cut).ToArray());
                return new CaseInput(CaseManifest.Relu().WriteTo(f));
            });
        }

        foreach (int cut in Cuts(File.ReadAllBytes(Path.Combine(RepoPaths.TestData, RealSafetensors)).Length, 100))
        {
            yield return new HostileCase("truncated-safetensors:" + cut.ToString(CultureInfo.InvariantCulture), "fail", f =>
            {
                f.Write("model.safetensors", File.ReadAllBytes(Path.Combine(RepoPaths.TestData, RealSafetensors)).Take(cut).ToArray());
                return new CaseInput(CaseManifest.Safetensors().WriteTo(f));
            });
        }

        yield return Real("real-pt:unchanged", RealPt, "model.pt", CaseManifest.Relu(), "ok");
        yield return Real("real-safetensors:unchanged", RealSafetensors, "model.safetensors", CaseManifest.Safetensors(), "ok");

        // Views: (storage elements, offset, shape, stride) against an 8-byte storage.
        var views = new (string Name, string Expect, long Elements, long Offset, long[] Shape, long[] Stride)[]
        {
            ("stride0-5e8", "TL1015", 1, 0, new[] { 500_000_000L }, new[] { 0L }),
            ("stride0-2pow31", "fail", 1, 0, new[] { 1L << 31 }, new[] { 0L }),
            ("stride0-2d-65536x65536", "fail", 1, 0, new[] { 65536L, 65536L }, new[] { 0L, 0L }),
            ("stride0-2d-20000x20000", "TL1015", 1, 0, new[] { 20000L, 20000L }, new[] { 0L, 0L }),
            ("stride0-small-expand", "any", 1, 0, new[] { 8L, 5L }, new[] { 0L, 0L }),
            ("stride-long-max", "fail", 2, 0, new[] { 8L, 5L }, new[] { long.MaxValue, 1L }),
            ("stride-negative", "fail", 2, 0, new[] { 8L, 5L }, new[] { -1L, 1L }),
            ("stride-overflow-product", "fail", 2, 0, new[] { 3L, 3L }, new[] { 1L << 62, 1L << 62 }),
            ("offset-long-max", "fail", 2, long.MaxValue, new[] { 8L, 5L }, new[] { 5L, 1L }),
            ("offset-negative", "fail", 2, -1, new[] { 8L, 5L }, new[] { 5L, 1L }),
            ("offset-past-storage", "fail", 2, 1_000_000, new[] { 8L, 5L }, new[] { 5L, 1L }),
            ("shape-negative", "fail", 2, 0, new[] { -8L, 5L }, new[] { 5L, 1L }),
            ("shape-int-overflow", "fail", 2, 0, new[] { 1L << 40, 1L }, new[] { 1L, 1L }),
            ("shape-rank-mismatch", "fail", 2, 0, new[] { 8L, 5L }, new[] { 1L }),
            ("storage-claims-2pow62-elements", "fail", 1L << 62, 0, new[] { 8L, 5L }, new[] { 5L, 1L }),
            ("shape-zero", "fail", 2, 0, new[] { 0L, 5L }, new[] { 5L, 1L }),
            ("rank-64", "fail", 2, 0, Enumerable.Repeat(1L, 64).ToArray(), Enumerable.Repeat(1L, 64).ToArray()),
        };
        foreach (var v in views)
        {
            yield return PickleCases.Case("view:" + v.Name, v.Expect, () =>
                new PickleWriter().Proto().Op(PickleOpcode.EmptyDict).Unicode("fc1.weight")
                    .Tensor("FloatStorage", "0", v.Elements, v.Offset, v.Shape, v.Stride).Op(PickleOpcode.SetItem).Stop().ToArray());
        }

        // Zips that inflate: the storage (or the pickle) is deflated zeros.
        foreach (long mib in new long[] { 5, 64, 1024 })
        {
            yield return new HostileCase("inflating-storage:" + mib + "MiB", "TL1015", f => Inflating(f, "model/data/0", mib << 20));
        }

        yield return new HostileCase("inflating-pickle:20MiB", "TL1015", f => Inflating(f, "model/data.pkl", 20L << 20));
        yield return new HostileCase("inflating-storage:3MiB-within-limit", "fail", f => Inflating(f, "model/data/0", 3L << 20));

        foreach (string entry in new[] { "model/data.pkl", "model/data/0", "model/version" })
        {
            yield return new HostileCase("duplicate-entry:" + entry, "TL1002", f => WithExtraEntries(f, (entry, new byte[] { 1, 2, 3, 4 })));
        }

        foreach (string name in new[] { "../../../../tmp/tinyloc-evil", "/tmp/tinyloc-evil-abs", "..\\..\\evil", "model/../../evil", "C:\\evil", "model/data/../../../evil", "\u202Eevil", "model/data/0\u0000x" })
        {
            yield return new HostileCase("traversal-entry:" + Escape(name), "ok", f => WithExtraEntries(f, (name, Encoding.ASCII.GetBytes("evil"))));
            yield return PickleCases.Case("traversal-storage-key:" + Escape(name), "fail", () =>
                new PickleWriter().Proto().Op(PickleOpcode.EmptyDict).Unicode("fc1.weight")
                    .Tensor("FloatStorage", name, 2, 0, new[] { 2L }, new[] { 1L }).Op(PickleOpcode.SetItem).Stop().ToArray());
        }

        foreach (var (name, header) in SafetensorsHeaders())
        {
            yield return new HostileCase("safetensors-header:" + name, "fail", f =>
            {
                f.Write("model.safetensors", SafetensorsReaderTests.Compose(header, new byte[64]));
                return new CaseInput(CaseManifest.Safetensors().WriteTo(f));
            });
        }

        yield return new HostileCase("safetensors-header-length:2pow64-1", "TL1010", f =>
        {
            f.Write("model.safetensors", Enumerable.Repeat((byte)0xff, 8).Concat(new byte[64]).ToArray());
            return new CaseInput(CaseManifest.Safetensors().WriteTo(f));
        });
        yield return new HostileCase("safetensors:10000-extra-tensors", "ok", f =>
        {
            var real = File.ReadAllBytes(Path.Combine(RepoPaths.TestData, RealSafetensors));
            int length = (int)BitConverter.ToUInt64(real, 0);
            string header = Encoding.UTF8.GetString(real, 8, length).TrimEnd();
            var data = real.Skip(8 + length).ToList();
            var extra = new StringBuilder();
            for (int i = 0; i < 10_000; i++)
            {
                extra.Append(",\"extra").Append(i).Append("\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[").Append(data.Count).Append(',').Append(data.Count + 4).Append("]}");
                data.AddRange(new byte[4]);
            }

            f.Write("model.safetensors", SafetensorsReaderTests.Compose(header.Substring(0, header.Length - 1) + extra + "}", data.ToArray()));
            return new CaseInput(CaseManifest.Safetensors().WriteTo(f));
        });
    }

    private static HostileCase Real(string name, string source, string file, CaseManifest manifest, string expect) => new(name, expect, f =>
    {
        f.Copy(source, file);
        return new CaseInput(manifest.WriteTo(f));
    });

    /// <summary><paramref name="n"/> distinct cut lengths over the file, the first and last bytes densely.</summary>
    private static IEnumerable<int> Cuts(int length, int n)
    {
        var cuts = new SortedSet<int>();
        for (int i = 0; i < 16; i++)
        {
            cuts.Add(i);
            cuts.Add(length - 1 - i);
        }

        for (int i = 0; cuts.Count < n; i++)
        {
            cuts.Add((int)((long)length * i / (n - 30)) % length);
        }

        return cuts;
    }

    private static CaseInput Inflating(CaseFolder f, string bigEntry, long bytes)
    {
        byte[] pickle = PickleWriter.FloatStateDict(new[] { ("fc1.weight", new long[] { 8, 5 }) });
        using (var file = File.Create(f.File("model.pt")))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            foreach (var (name, content, size) in new[] { ("model/data.pkl", pickle, 0L), ("model/data/0", new byte[160], 0L), ("model/version", new byte[] { (byte)'3' }, 0L) })
            {
                var entry = zip.CreateEntry(name, name == bigEntry ? CompressionLevel.SmallestSize : CompressionLevel.Fastest);
                using var s = entry.Open();
                if (name == bigEntry)
                {
                    var zeros = new byte[1 << 20];
                    for (long left = bytes; left > 0; left -= zeros.Length)
                    {
                        s.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
                    }
                }
                else
                {
                    s.Write(content, 0, content.Length);
                }
            }
        }

        return new CaseInput(CaseManifest.Relu().WriteTo(f));
    }

    /// <summary>The real .pt with more entries added at the end of its zip.</summary>
    private static CaseInput WithExtraEntries(CaseFolder f, params (string Name, byte[] Data)[] extra)
    {
        string path = f.Copy(RealPt, "model.pt");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            string top = zip.Entries.First(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)).FullName.Split('/')[0];
            foreach (var (name, data) in extra)
            {
                var entry = zip.CreateEntry(name.StartsWith("model/", StringComparison.Ordinal) ? top + name.Substring(5) : name, CompressionLevel.NoCompression);
                using var s = entry.Open();
                s.Write(data, 0, data.Length);
            }
        }

        return new CaseInput(CaseManifest.Relu().WriteTo(f));
    }

    private static IEnumerable<(string Name, string Header)> SafetensorsHeaders()
    {
        yield return ("shape-overflow", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,16]}}");
        yield return ("offsets-2pow53", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[9007199254740992,9007199254741008]}}");
        yield return ("offsets-negative", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[-16,0]}}");
        yield return ("offsets-overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}");
        yield return ("offsets-nan", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[NaN,16]}}");
        yield return ("dtype-object", "{\"a\":{\"dtype\":{\"x\":1},\"shape\":[4],\"data_offsets\":[0,16]}}");
        yield return ("deep-nesting", "{\"__metadata__\":" + new string('[', 100_000) + new string(']', 100_000) + "}");
        yield return ("long-name", "{\"" + new string('n', 200_000) + "\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}");
        yield return ("two-megabytes", "{" + new string(' ', 2 << 20) + "}");
        yield return ("not-an-object", "[1,2,3]");
        yield return ("duplicate-key", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,32]}}");
        yield return ("stride0-like-shape-1e9", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1000000000],\"data_offsets\":[0,4]}}");
    }

    private static string Escape(string s) => string.Concat(s.Select(c => c < 0x20 || c > 0x7e ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString()));
}
