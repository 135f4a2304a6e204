using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TinyLoc.Generator.Tests.Harness;

/// <summary>What a generator run produced, as the tests look at it.</summary>
public static class GeneratorResults
{
    /// <summary>
    /// The generated model classes: every source but the runtime's (<c>TinyLoc.Runtime.*.g.cs</c>, added once when a
    /// class uses it).
    /// </summary>
    /// <param name="result">A run's result.</param>
    public static IReadOnlyList<GeneratedSourceResult> ModelSources(this GeneratorRunResult result) =>
        result.GeneratedSources.Where(s => !s.HintName.StartsWith(RuntimePrefix, StringComparison.Ordinal)).ToList();

    /// <summary>The hint names of the runtime's sources start with this.</summary>
    public const string RuntimePrefix = "TinyLoc.Runtime.";
}
