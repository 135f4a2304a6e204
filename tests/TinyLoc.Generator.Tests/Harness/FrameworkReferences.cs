using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TinyLoc.Generator.Tests.Harness;

/// <summary>References to the running runtime's own assemblies (the shared framework folder only).</summary>
public static class FrameworkReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyAll = new(() =>
    {
        string list = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        string folder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && Path.GetDirectoryName(p) == folder)
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    });

    /// <summary>The references, loaded once.</summary>
    public static ImmutableArray<MetadataReference> All => LazyAll.Value;
}
