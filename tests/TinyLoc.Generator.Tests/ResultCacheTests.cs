using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TinyLoc.Generator.Caching;
using TinyLoc.Generator.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Generator.Tests;

/// <summary>
/// The results cache under obj/ (<see cref="ResultCache"/>): a build with a new generator driver (a new compiler
/// process) takes an unchanged model's result from it without running the compiler, with the same source and the
/// same diagnostics; new content or settings miss it; a damaged or unusable cache is a miss, never an error.
/// Each build is a new <see cref="GeneratorHarness"/> (a new driver, nothing kept in memory); compiler runs are
/// counted through the generator's hook.
/// </summary>
public sealed class ResultCacheTests : IDisposable
{
    private readonly TinyModelCopy _model = new();

    private readonly List<string> _compiled = new();

    private string Manifest => _model.Manifest;

    private string Checkpoint => _model.Checkpoint;

    private string CacheFolder => Path.Combine(_model.Folder, "obj", "tinyloc");

    private string Entry => Assert.Single(Directory.GetFiles(CacheFolder, "*" + ResultCache.Extension));

    /// <inheritdoc/>
    public void Dispose() => _model.Dispose();

    [Fact]
    public void A_new_build_of_an_unchanged_model_takes_source_and_diagnostics_from_the_cache()
    {
        // Over the RAM budget: an error (TL4001), and the class is still generated; plus the size summary (TL6003).
        var first = Build(("TinyLocRamBudget", "64"));
        Assert.Single(_compiled);
        Assert.Contains(first.Diagnostics, d => d.StartsWith("TL4001 Error ", StringComparison.Ordinal));
        Assert.Contains(first.Diagnostics, d => d.StartsWith("TL6003 Info ", StringComparison.Ordinal));
        Assert.Single(first.Sources);

        var second = Build(("TinyLocRamBudget", "64"));
        Assert.Single(_compiled); // not compiled again
        Assert.Equal(first.Sources, second.Sources);
        Assert.Equal(first.Diagnostics, second.Diagnostics);
    }

    [Fact]
    public void A_changed_checkpoint_byte_misses_the_cache()
    {
        var first = Build();
        byte[] bytes = File.ReadAllBytes(Checkpoint);
        bytes[^1] ^= 0x01; // the last weight's lowest mantissa bit
        File.WriteAllBytes(Checkpoint, bytes);

        var second = Build();
        Assert.Equal(2, _compiled.Count);
        Assert.NotEqual(first.Sources, second.Sources); // at least the content hash in the banner

        // The model's one entry now holds the new result: a third build takes it from there.
        var third = Build();
        Assert.Equal(2, _compiled.Count);
        Assert.Equal(second.Sources, third.Sources);
    }

    [Fact]
    public void A_changed_manifest_or_setting_misses_the_cache()
    {
        Build();
        Build(("TinyLocUnroll", "all"));
        Assert.Equal(2, _compiled.Count);

        string text = File.ReadAllText(Manifest);
        var edited = Build(text.Replace("\"scheme\": \"static\"", "\"scheme\": \"none\"", StringComparison.Ordinal));
        Assert.Equal(3, _compiled.Count);
        Assert.Contains("scheme none", Assert.Single(edited.Sources));
    }

    [Theory]
    [InlineData("flip a byte of the source")]
    [InlineData("flip a byte of the key")]
    [InlineData("truncate")]
    [InlineData("append")]
    [InlineData("empty")]
    [InlineData("garbage")]
    public void A_damaged_entry_is_a_miss_and_is_replaced(string damage)
    {
        var fresh = Build();
        byte[] entry = File.ReadAllBytes(Entry);
        byte[] damaged = damage switch
        {
            "flip a byte of the source" => Flip(entry, entry.Length / 2),
            "flip a byte of the key" => Flip(entry, 8 + 4),
            "truncate" => entry[..(entry.Length - 1)],
            "append" => [.. entry, 0],
            "empty" => [],
            _ => Enumerable.Range(0, entry.Length).Select(i => (byte)(i * 7)).ToArray(),
        };
        File.WriteAllBytes(Entry, damaged);

        var after = Build();
        Assert.Equal(2, _compiled.Count); // compiled again, and nothing else changed
        Assert.Equal(fresh.Sources, after.Sources);
        Assert.Equal(fresh.Diagnostics, after.Diagnostics);
        Assert.Equal(entry, File.ReadAllBytes(Entry)); // the same bytes as the first build wrote: deterministic

        Build();
        Assert.Equal(2, _compiled.Count);
    }

    [Fact]
    public void An_unusable_cache_folder_is_no_cache_and_no_error()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(CacheFolder)!);
        File.WriteAllText(CacheFolder, "a file where the folder should be");

        var first = Build();
        var second = Build();
        Assert.Equal(2, _compiled.Count);
        Assert.Equal(first.Sources, second.Sources);
        Assert.Equal(first.Diagnostics, second.Diagnostics);
        Assert.DoesNotContain(second.Diagnostics, d => d.Contains(" Error ", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_cache_folder_nothing_is_written()
    {
        var harness = new GeneratorHarness(ModelFiles.For(Manifest), TestOptionsProvider.Empty, generator: new TinyLocGenerator(_compiled.Add));
        harness.Run();
        Assert.Single(_compiled);
        Assert.False(Directory.Exists(Path.Combine(_model.Folder, "obj")));
        Assert.Equal(new[] { Manifest, Checkpoint }.OrderBy(f => f, StringComparer.Ordinal), Directory.GetFiles(_model.Folder).OrderBy(f => f, StringComparer.Ordinal));
    }

    [Fact]
    public void Each_model_has_one_entry_named_after_it()
    {
        Build();
        Build(("TinyLocUnroll", "all"));
        Assert.StartsWith("tiny_silu_reg.", Path.GetFileName(Entry), StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFiles(CacheFolder), f => !f.EndsWith(ResultCache.Extension, StringComparison.Ordinal)); // no temporary file left
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[index] ^= 0x01;
        return copy;
    }

    private Outcome Build(params (string Name, string Value)[] properties) => Build(File.ReadAllText(Manifest), properties);

    /// <summary>One build: a new driver over the model (manifest text given), with the cache folder and <paramref name="properties"/>.</summary>
    private Outcome Build(string manifestText, params (string Name, string Value)[] properties)
    {
        var options = properties.ToDictionary(p => p.Name, p => p.Value);
        options["TinyLocCacheDirectory"] = CacheFolder;
        var harness = new GeneratorHarness(ModelFiles.For(Manifest, manifestText), new TestOptionsProvider(options), generator: new TinyLocGenerator(_compiled.Add));
        var result = harness.Run();
        return new Outcome(
            result.ModelSources().Select(s => s.HintName + "\n" + s.SourceText).ToList(),
            result.Diagnostics.Select(d => $"{d.Id} {d.Severity} {d.Location.GetLineSpan()} {d.GetMessage()}").ToList());
    }

    /// <summary>What a build produced: each source (hint name and text), each diagnostic (id, severity, location, message).</summary>
    private sealed record Outcome(List<string> Sources, List<string> Diagnostics);
}
