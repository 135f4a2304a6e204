namespace TinyLoc.Generator.Pipeline;

/// <summary>One <c>*.tinyloc.json</c> AdditionalFile with its settings and the files it references.</summary>
/// <param name="ManifestPath">The manifest's full path.</param>
/// <param name="Text">The manifest's text, or null if it could not be read (see <paramref name="Problem"/>).</param>
/// <param name="InputPaths">Full paths of the checkpoint and the calibration CSV the manifest names, sorted; empty when the manifest does not parse (compiling it reports why).</param>
/// <param name="Settings">The model's build settings.</param>
/// <param name="Problem">A problem found while reading, or null.</param>
internal sealed record ModelRequest(string ManifestPath, string? Text, EquatableArray<string> InputPaths, ModelSettings Settings, DiagnosticInfo? Problem);
