namespace TinyLoc.Compiler.Manifest;

/// <summary>
/// A family's hyper-parameters (the manifest's <c>architecture</c> object). Each family has its own record and
/// parser in <c>Manifest/Architectures/</c> (<see cref="Architectures"/>); what they share is whether the model ends
/// in a CRF (sequence families may).
/// </summary>
public abstract record ArchitectureSpec(bool Crf);
