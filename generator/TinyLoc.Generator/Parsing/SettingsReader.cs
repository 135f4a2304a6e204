using System.IO;
using Microsoft.CodeAnalysis.Diagnostics;
using TinyLoc.Generator.Pipeline;

namespace TinyLoc.Generator.Parsing;

/// <summary>
/// Reads a model's build settings from the analyzer config the SDK writes for
/// <c>CompilerVisibleProperty</c> and <c>CompilerVisibleItemMetadata</c> (build/TinyLoc.Generator.props):
/// the item's metadata wins over the project property, which wins over the default. Empty means unset.
/// </summary>
internal static class SettingsReader
{
    /// <summary>RAM budget: bytes, or a number with KB, KiB, MB or MiB.</summary>
    public const string RamBudget = "TinyLocRamBudget";

    /// <summary>Flash budget: bytes, or a number with KB, KiB, MB or MiB.</summary>
    public const string FlashBudget = "TinyLocFlashBudget";

    /// <summary>The C# profile: dotnet (default), nanoframework or meadow.</summary>
    public const string Target = "TinyLocTarget";

    /// <summary>The generated class's namespace (default TinyLoc.Models).</summary>
    public const string Namespace = "TinyLocNamespace";

    /// <summary>auto (default), all or none.</summary>
    public const string Unroll = "TinyLocUnroll";

    /// <summary>none (float32) or static (int8); default the manifest's.</summary>
    public const string Scheme = "TinyLocScheme";

    /// <summary>true (default): the class gets the runtime (readings to windows to answers); false, as <c>--no-runtime</c>.</summary>
    public const string Runtime = "TinyLocRuntime";

    /// <summary>fused (default: time-fused loops) or layer, as <c>--schedule</c>.</summary>
    public const string Schedule = "TinyLocSchedule";

    /// <summary>The default profile, as the command line's <c>--target dotnet</c>.</summary>
    public const string DefaultTarget = "dotnet";

    /// <summary>The command line's default namespace.</summary>
    public const string DefaultNamespace = "TinyLoc.Models";

    /// <summary>The command line's default unroll mode.</summary>
    public const string DefaultUnroll = "none";

    /// <summary>
    /// The folder that keeps each model's last result (<c>Caching/ResultCache.cs</c>), a project property only:
    /// build/TinyLoc.Generator.targets sets it to <c>$(IntermediateOutputPath)tinyloc/</c> as a full path
    /// unless the project sets it. Unset means no cache.
    /// </summary>
    public const string CacheDirectory = "TinyLocCacheDirectory";

    /// <summary>Every model setting, in the order the README lists them.</summary>
    public static readonly string[] Names = { RamBudget, FlashBudget, Target, Namespace, Unroll, Scheme, Runtime, Schedule };

    /// <summary>The settings of one model file.</summary>
    /// <param name="project">The project's options (<c>build_property.*</c>).</param>
    /// <param name="file">The model file's options (<c>build_metadata.AdditionalFiles.*</c>).</param>
    public static ModelSettings Read(AnalyzerConfigOptions project, AnalyzerConfigOptions file)
    {
        string? Get(string name) =>
            NonEmpty(file, "build_metadata.AdditionalFiles." + name) ?? NonEmpty(project, "build_property." + name);

        return new ModelSettings(
            (Get(Target) ?? DefaultTarget).ToLowerInvariant(),
            Get(Namespace) ?? DefaultNamespace,
            Get(RamBudget),
            Get(FlashBudget),
            (Get(Unroll) ?? DefaultUnroll).ToLowerInvariant(),
            Get(Scheme)?.ToLowerInvariant(),
            (Get(Runtime) ?? "true").ToLowerInvariant(),
            (Get(Schedule) ?? "fused").ToLowerInvariant());
    }

    /// <summary>The cache folder as a full path, or empty for no cache (not set, or not a usable path).</summary>
    /// <param name="project">The project's options (<c>build_property.*</c>).</param>
    public static string ReadCacheDirectory(AnalyzerConfigOptions project)
    {
        string? folder = NonEmpty(project, "build_property." + CacheDirectory);
        return folder is null || !Path.IsPathRooted(folder) || folder.IndexOf('\0') >= 0 ? string.Empty : folder;
    }

    private static string? NonEmpty(AnalyzerConfigOptions options, string key) =>
        options.TryGetValue(key, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
