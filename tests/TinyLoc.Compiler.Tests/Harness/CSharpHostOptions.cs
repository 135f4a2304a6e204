using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>How <see cref="CSharpHost"/> compiles C# under test.</summary>
public sealed record CSharpHostOptions
{
    /// <summary>The default options: latest language, warnings are errors, no unsafe code.</summary>
    public static CSharpHostOptions Default { get; } = new();

    /// <summary>The C# language version. Default <see cref="LanguageVersion.Latest"/>.</summary>
    public LanguageVersion LanguageVersion { get; init; } = LanguageVersion.Latest;

    /// <summary>Report warnings as errors (as a user's project with TreatWarningsAsErrors would). Default true.</summary>
    public bool WarningsAsErrors { get; init; } = true;

    /// <summary>
    /// The project-level nullable context. Default enabled, like a new .NET project; files marked
    /// <c>&lt;auto-generated/&gt;</c> are nullable-disabled anyway unless they opt in.
    /// </summary>
    public NullableContextOptions Nullable { get; init; } = NullableContextOptions.Enable;

    /// <summary>Allow <c>unsafe</c> code. Default false: generated code needs none.</summary>
    public bool AllowUnsafe { get; init; }
}
