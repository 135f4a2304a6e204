using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TinyLoc.Tests.Shared;

/// <summary>
/// Metadata references to the running .NET runtime's own assemblies, taken from the trusted
/// platform assemblies list (Basic.Reference.Assemblies is not available here).
/// </summary>
/// <remarks>
/// Only assemblies from the shared framework folder (the folder of <c>System.Private.CoreLib</c>)
/// are used, so code under test cannot quietly bind to xunit, Roslyn or the compiler itself.
/// </remarks>
public static class FrameworkReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyAll = new(Load);

    /// <summary>The references, loaded once per test run.</summary>
    public static ImmutableArray<MetadataReference> All => LazyAll.Value;

    private static ImmutableArray<MetadataReference> Load()
    {
        string list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string
            ?? throw new InvalidOperationException("The runtime did not provide TRUSTED_PLATFORM_ASSEMBLIES.");
        string frameworkFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)
            ?? throw new InvalidOperationException("Cannot locate System.Private.CoreLib.");

        return list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkFolder, StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }
}
