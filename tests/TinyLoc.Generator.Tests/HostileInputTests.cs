using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using TinyLoc.Generator.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Generator.Tests;

/// <summary>
/// The generator runs on every build of a consumer project, so it gets the command line's protections: an
/// AdditionalFile that is a FIFO or a link to a device is refused without being opened (TL1012), and warnings are
/// capped at ten of one id plus a summary, as <c>tinyloc</c> prints them.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tinyloc-gen-hostile-" + Guid.NewGuid().ToString("N"));

    public HostileInputTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        foreach (string f in Directory.EnumerateFileSystemEntries(_dir))
        {
            File.Delete(f);
        }

        Directory.Delete(_dir);
    }

    [Fact]
    public void A_fifo_or_a_link_to_dev_zero_as_checkpoint_is_refused_unopened()
    {
        string fifo = Path.Combine(_dir, "fifo.safetensors");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", fifo) { UseShellExecute = false })!)
        {
            mkfifo.WaitForExit();
        }

        File.CreateSymbolicLink(Path.Combine(_dir, "zero.safetensors"), "/dev/zero");
        foreach (string checkpoint in new[] { "fifo.safetensors", "zero.safetensors" })
        {
            string manifest = Path.Combine(_dir, "m.tinyloc.json");
            var result = new GeneratorHarness(ModelFiles.For(manifest, Manifest(checkpoint))).Run();
            var error = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
            Assert.Equal("TL1012", error.Id);
            Assert.StartsWith(checkpoint + ": the file is not read: ", error.GetMessage(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Warnings_of_one_id_are_capped_at_ten_and_summarised()
    {
        string checkpoint = Path.Combine(_dir, "many.safetensors");
        File.WriteAllBytes(checkpoint, WithUnusedTensors(Path.Combine(RepoPaths.TestData, "models", "tiny_silu_reg.safetensors"), 30));
        var result = new GeneratorHarness(ModelFiles.For(Path.Combine(_dir, "m.tinyloc.json"), Manifest("many.safetensors"))).Run();

        var unused = result.Diagnostics.Where(d => d.Id == "TL1202").ToList();
        Assert.Equal(11, unused.Count);
        Assert.Equal("20 more like the above not shown (30 in all)", unused[^1].GetMessage());
        Assert.NotEmpty(result.GeneratedSources);
    }

    private static string Manifest(string checkpoint) =>
        File.ReadAllText(Path.Combine(RepoPaths.TestData, "models", "tiny_silu_reg.tinyloc.json"))
            .Replace("\"tiny_silu_reg.safetensors\"", "\"" + checkpoint + "\"", StringComparison.Ordinal);

    /// <summary>The safetensors file with <paramref name="extra"/> one-element tensors no layer uses.</summary>
    private static byte[] WithUnusedTensors(string path, int extra)
    {
        byte[] real = File.ReadAllBytes(path);
        int length = (int)BitConverter.ToUInt64(real, 0);
        string header = Encoding.UTF8.GetString(real, 8, length).TrimEnd();
        var data = real.Skip(8 + length).ToList();
        var sb = new StringBuilder(header, 0, header.Length - 1, header.Length + (extra * 80));
        for (int i = 0; i < extra; i++)
        {
            sb.Append(",\"unused").Append(i).Append("\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[").Append(data.Count).Append(',').Append(data.Count + 4).Append("]}");
            data.AddRange(new byte[4]);
        }

        byte[] text = Encoding.UTF8.GetBytes(sb.Append('}').ToString());
        return BitConverter.GetBytes((ulong)text.Length).Concat(text).Concat(data).ToArray();
    }
}
