using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>The outcome of compiling code against <see cref="MinimalCorlib"/>.</summary>
/// <param name="Errors">Compiler errors and profile-rule violations; empty when the code is clean.</param>
/// <param name="Image">The emitted assembly when emitting succeeded (for metadata checks), else null.</param>
public sealed record MinimalCorlibResult(ImmutableArray<Diagnostic> Errors, byte[]? Image)
{
    /// <summary>True when there are no errors.</summary>
    public bool Success => Errors.IsEmpty && Image is not null;
}
