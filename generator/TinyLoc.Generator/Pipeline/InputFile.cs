namespace TinyLoc.Generator.Pipeline;

/// <summary>The bytes of a checkpoint or calibration file a manifest references (an AdditionalFile of the project).</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Bytes">The file's contents; empty when it could not be read.</param>
/// <param name="Error">Why the file could not be read, or null.</param>
/// <param name="RefusedAs">
/// The id of the compiler's refusal (TL1012 not a regular file, TL1013 too large), whose finished message
/// <paramref name="Error"/> then is; null when the file could not be read at all (TL1001).
/// </param>
internal sealed record InputFile(string Path, EquatableArray<byte> Bytes, string? Error, string? RefusedAs = null);
