namespace TinyLoc.Generator.Pipeline;

/// <summary>One model's outcome: the generated class (if any) and the diagnostics to report.</summary>
/// <param name="ManifestPath">The manifest's full path (results are reported in this order).</param>
/// <param name="TypeName">The generated class's full name (namespace and class), or null.</param>
/// <param name="Source">The generated C#, exactly as <c>tinyloc compile</c> writes it, or null.</param>
/// <param name="Diagnostics">Errors, warnings and the size summary.</param>
internal sealed record ModelResult(string ManifestPath, string? TypeName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>The name <c>AddSource</c> gets: the class's full name, which the C# compiler already requires to be unique.</summary>
    public string? HintName => TypeName is null ? null : TypeName + ".g.cs";
}
