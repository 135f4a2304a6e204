namespace TinyLoc.Generator;

/// <summary>The names of the pipeline's steps, as the incremental tests see them.</summary>
/// <remarks>
/// <see cref="ManifestFiles"/> and <see cref="ReferencedFiles"/> only filter Roslyn's own inputs (their
/// values are <c>AdditionalText</c>s, which Roslyn replaces on every change); every other step's value is a
/// record of the <c>Pipeline</c> namespace.
/// </remarks>
internal static class TrackingNames
{
    /// <summary>The AdditionalFiles named <c>*.tinyloc.json</c>.</summary>
    public const string ManifestFiles = "TinyLoc.ManifestFiles";

    /// <summary>Each <c>*.tinyloc.json</c> with its settings and the files it references.</summary>
    public const string Requests = "TinyLoc.Requests";

    /// <summary>The files one manifest references.</summary>
    public const string InputPaths = "TinyLoc.InputPaths";

    /// <summary>The full paths of every file any manifest references.</summary>
    public const string WantedInputs = "TinyLoc.WantedInputs";

    /// <summary>AdditionalFiles that some manifest references (the rest are not read).</summary>
    public const string ReferencedFiles = "TinyLoc.ReferencedFiles";

    /// <summary>The bytes of each referenced AdditionalFile.</summary>
    public const string InputFiles = "TinyLoc.InputFiles";

    /// <summary>Each model with the files it needs.</summary>
    public const string Jobs = "TinyLoc.Jobs";

    /// <summary>The folder of the results cache (<c>TinyLocCacheDirectory</c>), or empty.</summary>
    public const string CacheDirectory = "TinyLoc.CacheDirectory";

    /// <summary>Each model's result: from the results cache when it holds the job's key, else the compiler's run (the expensive step).</summary>
    public const string Compiled = "TinyLoc.Compiled";

    /// <summary>All results, for the output step.</summary>
    public const string Results = "TinyLoc.Results";
}
