namespace TinyLoc.Generator.Pipeline;

/// <summary>
/// The build settings of one model, as written in MSBuild (per-file metadata over project properties over
/// defaults); they are checked when the model is compiled, so every problem is reported in one place.
/// </summary>
/// <param name="Target">The C# profile: <c>dotnet</c>, <c>nanoframework</c> or <c>meadow</c>.</param>
/// <param name="Namespace">The namespace of the generated class.</param>
/// <param name="RamBudget">The RAM budget as written (bytes, KB or KiB), or null for none.</param>
/// <param name="FlashBudget">The flash budget as written, or null for none.</param>
/// <param name="Unroll">The unroll mode: <c>auto</c>, <c>all</c> or <c>none</c>.</param>
/// <param name="Scheme">The quantisation scheme, or null for the manifest's.</param>
/// <param name="Runtime">Whether the class gets the runtime (<c>CreateLocalizer()</c>, counted in the budgets): <c>true</c> or <c>false</c>.</param>
/// <param name="Schedule">How a sequence model runs over its window: <c>fused</c> (time-fused loops) or <c>layer</c>.</param>
internal sealed record ModelSettings(string Target, string Namespace, string? RamBudget, string? FlashBudget, string Unroll, string? Scheme, string Runtime = "true", string Schedule = "fused");
