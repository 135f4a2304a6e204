namespace TinyLoc.Generator.Pipeline;

/// <summary>The bytes of a checkpoint or calibration file a manifest references (an AdditionalFile of the project).</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Bytes">The file's contents; empty when it could not be read.</param>
/// <param name="Error">Why the file could not be read, or null.</param>
internal sealed record InputFile(string Path, EquatableArray<byte> Bytes, string? Error);
