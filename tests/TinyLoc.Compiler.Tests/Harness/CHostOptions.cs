using System;
using System.Collections.Generic;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>How <see cref="CHost"/> compiles and runs C code. Every property has a sensible default.</summary>
public sealed record CHostOptions
{
    /// <summary>The default options.</summary>
    public static CHostOptions Default { get; } = new();

    /// <summary>The compiler driver, looked up on PATH. Default <c>gcc</c>.</summary>
    public string Compiler { get; init; } = "gcc";

    /// <summary>The compiler flags. Default <see cref="CHost.DefaultFlags"/>.</summary>
    public IReadOnlyList<string> Flags { get; init; } = CHost.DefaultFlags;

    /// <summary>
    /// Flags appended after the sources (defines, <c>-I</c> folders, libraries such as <c>-lm</c>).
    /// </summary>
    public IReadOnlyList<string> ExtraFlags { get; init; } = [];

    /// <summary>
    /// The time limit of one compile: a guard against a hung compiler, far from real needs (the slowest
    /// generated file, unrolled uji_mlp, takes gcc about 17 s of CPU), so a loaded machine never trips it.
    /// </summary>
    public TimeSpan CompileTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The time limit of one program run (a guard against a hang; runs take well under a second).</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
