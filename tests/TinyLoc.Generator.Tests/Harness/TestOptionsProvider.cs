using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TinyLoc.Generator.Tests.Harness;

/// <summary>
/// Analyzer config options as the SDK writes them for CompilerVisibleProperty (<c>build_property.X</c>, global)
/// and CompilerVisibleItemMetadata (<c>build_metadata.AdditionalFiles.X</c>, per file).
/// </summary>
/// <param name="properties">Project properties by name (TinyLocRamBudget, ...).</param>
/// <param name="metadata">Per-file metadata by full path, then by name.</param>
public sealed class TestOptionsProvider(
    IReadOnlyDictionary<string, string> properties,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? metadata = null) : AnalyzerConfigOptionsProvider
{
    private readonly Options _global = new(Prefix(properties, "build_property."));

    /// <summary>No properties and no metadata.</summary>
    public static TestOptionsProvider Empty { get; } = new(new Dictionary<string, string>());

    /// <inheritdoc/>
    public override AnalyzerConfigOptions GlobalOptions => _global;

    /// <inheritdoc/>
    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _global;

    /// <inheritdoc/>
    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
    {
        var all = new Dictionary<string, string>(Prefix(properties, "build_property."), StringComparer.Ordinal);
        if (metadata is not null && metadata.TryGetValue(textFile.Path, out var own))
        {
            foreach (var (key, value) in Prefix(own, "build_metadata.AdditionalFiles."))
            {
                all[key] = value;
            }
        }

        return new Options(all);
    }

    private static Dictionary<string, string> Prefix(IReadOnlyDictionary<string, string> values, string prefix)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            result[prefix + key] = value;
        }

        return result;
    }

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
