using System;

namespace TinyLoc.Compiler.Tests.Security.Corpus;

/// <summary>
/// One hostile input: a name (its category before the first ':'), what must come of it, and how to write it into
/// an empty case folder. <paramref name="Expect"/> is <c>ok</c> (compiles), <c>fail</c> (some TL error),
/// <c>TL1016|TL1006</c> (fails with one of these ids) or <c>any</c> (either; the corpus-wide rules still hold).
/// </summary>
internal sealed record HostileCase(string Name, string Expect, Func<CaseFolder, CaseInput> Make)
{
    public string Category => Name.Substring(0, Name.IndexOf(':') is int i && i > 0 ? i : Name.Length);
}

/// <summary>What to compile: the manifest, the options (as the command line would set them), optional templates to emit with.</summary>
internal sealed record CaseInput(string Manifest, CompileOptions Options, string? Templates = null)
{
    public CaseInput(string manifest)
        : this(manifest, new CompileOptions())
    {
    }
}
