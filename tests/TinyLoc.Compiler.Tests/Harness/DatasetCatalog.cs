using System;
using System.Collections.Generic;
using System.Linq;
using TinyLoc.Tests.Shared;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// The real datasets tests may read (folder names under <see cref="RepoPaths.DataRoot"/>) and where
/// a user can download each one.
/// </summary>
public static class DatasetCatalog
{
    /// <summary>Wi-Fi fingerprints, 3 buildings (Torres-Sospedra et al., IPIN 2014).</summary>
    public const string UjiIndoorLoc = "ujiindoorloc";

    /// <summary>BLE RSS time series with x,y ground truth (Kolakowski, Sensors 2021).</summary>
    public const string KolakowskiBle = "ble-rss-kolakowski-2021";

    /// <summary>BLE iBeacon fingerprints, 13 beacons.</summary>
    public const string IBeaconBle = "ble-ibeacon-uci";

    /// <summary>Wi-Fi signal strengths of 7 access points in 4 rooms.</summary>
    public const string WifiLocalization = "wifi-localization-uci";

    private static readonly Dictionary<string, string> Sources = new(StringComparer.OrdinalIgnoreCase)
    {
        [UjiIndoorLoc] = "UCI ML Repository, UJIIndoorLoc (CC BY 4.0)",
        [KolakowskiBle] = "Zenodo 10.5281/zenodo.5457591 (CC BY 4.0)",
        [IBeaconBle] = "UCI ML Repository, \"BLE RSSI Dataset for Indoor Localization and Navigation\" (CC BY 4.0)",
        [WifiLocalization] = "UCI ML Repository, \"Wireless Indoor Localization\" (CC BY 4.0)",
    };

    /// <summary>The known dataset folder names, sorted.</summary>
    public static IReadOnlyList<string> Known { get; } = Sources.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();

    /// <summary>Where to download <paramref name="folder"/>, or null for a dataset this catalogue does not know.</summary>
    /// <param name="folder">A dataset folder name (case-insensitive).</param>
    public static string? DownloadSource(string folder) => Sources.GetValueOrDefault(folder);

    /// <summary>
    /// The skip message for a test that needs <paramref name="folder"/>: which dataset, where it was
    /// looked for, where to get it and how to point <c>TINYLOC_DATA</c> at it.
    /// </summary>
    /// <param name="folder">A dataset folder name.</param>
    public static string MissingMessage(string folder)
    {
        string source = DownloadSource(folder) is { } known ? $"download it from {known}" : "obtain it";
        return $"Dataset '{folder}' not found under '{RepoPaths.DataRoot}'. To run this test, {source}, "
            + $"put it in a folder named '{folder}' and set {RepoPaths.DataEnvironmentVariable} to that folder's parent "
            + "(default: ../shared/datasets beside the repository).";
    }
}
