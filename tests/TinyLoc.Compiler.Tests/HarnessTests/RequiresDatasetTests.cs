using System;
using System.IO;
using System.IO.Compression;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.HarnessTests;

public sealed class RequiresDatasetTests
{
    [Fact]
    public void A_missing_dataset_skips_with_where_to_get_it()
    {
        var fact = new RequiresDatasetFactAttribute("no-such-dataset-7c1f");
        var theory = new RequiresDatasetTheoryAttribute("no-such-dataset-7c1f");

        Assert.NotNull(fact.Skip);
        Assert.Contains("no-such-dataset-7c1f", fact.Skip, StringComparison.Ordinal);
        Assert.Contains("TINYLOC_DATA", fact.Skip, StringComparison.Ordinal);
        Assert.Equal(fact.Skip, theory.Skip);
    }

    [Theory]
    [InlineData(DatasetCatalog.UjiIndoorLoc, "UCI ML Repository, UJIIndoorLoc (CC BY 4.0)")]
    [InlineData(DatasetCatalog.KolakowskiBle, "Zenodo 10.5281/zenodo.5457591 (CC BY 4.0)")]
    [InlineData(DatasetCatalog.IBeaconBle, "BLE RSSI Dataset for Indoor Localization and Navigation")]
    [InlineData(DatasetCatalog.WifiLocalization, "Wireless Indoor Localization")]
    [InlineData("UJIIndoorLoc", "UJIIndoorLoc (CC BY 4.0)")]
    public void The_skip_message_names_the_download_source(string folder, string source)
    {
        string message = DatasetCatalog.MissingMessage(folder);

        Assert.Contains(source, message, StringComparison.Ordinal);
        Assert.Contains($"'{folder}'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_present_dataset_does_not_skip()
    {
        string? present = null;
        foreach (string folder in DatasetCatalog.Known)
        {
            if (TestPaths.HasDataset(folder))
            {
                present = folder;
                break;
            }
        }

        if (present is null)
        {
            return;
        }

        Assert.Null(new RequiresDatasetFactAttribute(present).Skip);
        Assert.Null(new RequiresDatasetTheoryAttribute(present).Skip);
    }

    [RequiresDatasetFact(DatasetCatalog.WifiLocalization)]
    public void The_fact_runs_when_the_data_is_there()
    {
        string file = Path.Combine(TestPaths.Dataset(DatasetCatalog.WifiLocalization)!, "wifi_localization.txt.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(file), CompressionMode.Decompress));

        Assert.Equal(8, reader.ReadLine()!.Split('\t').Length);
    }

    [RequiresDatasetTheory(DatasetCatalog.KolakowskiBle)]
    [InlineData("anchors.csv")]
    [InlineData("calibration_df.csv.gz")]
    public void The_theory_runs_when_the_data_is_there(string file)
    {
        Assert.True(File.Exists(Path.Combine(TestPaths.Dataset(DatasetCatalog.KolakowskiBle)!, file)));
    }
}
