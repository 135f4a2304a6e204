namespace TinyLoc.Generator.Pipeline;

/// <summary>
/// A diagnostic waiting to be reported: the id of one of <see cref="Diagnostics.GeneratorDiagnostics"/>'
/// descriptors, the finished message and where it points. Equatable, so a cached step keeps its diagnostics.
/// </summary>
/// <param name="Id">The TLxxxx id.</param>
/// <param name="Message">The whole message, including the fix.</param>
/// <param name="Location">The location in the model file (or a file it references).</param>
internal sealed record DiagnosticInfo(string Id, string Message, LocationInfo Location);
