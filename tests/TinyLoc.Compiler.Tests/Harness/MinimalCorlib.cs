using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// Proves that nanoFramework-profile C# uses nothing but primitives, arrays and strings: the code is
/// compiled (and emitted, so compiler-required members are checked too) against ONLY the core library
/// of <see cref="MinimalCorlibSource"/>, and checked by <see cref="NanoFrameworkProfileRules"/>
/// (no generic declarations, no boxing).
/// </summary>
public static class MinimalCorlib
{
    private static readonly Lazy<MetadataReference> LazyReference = new(CompileCorlib);

    /// <summary>The compiled minimal core library, built once per test run.</summary>
    public static MetadataReference Reference => LazyReference.Value;

    /// <summary>
    /// Compiles and emits <paramref name="sources"/> against the minimal core library alone and
    /// applies the profile rules.
    /// </summary>
    /// <param name="sources">The C# source texts, named <c>source0.cs</c>, <c>source1.cs</c>… in diagnostics.</param>
    /// <param name="languageVersion">The C# language version; default latest.</param>
    public static MinimalCorlibResult Compile(
        IEnumerable<string> sources,
        LanguageVersion languageVersion = LanguageVersion.Latest)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var parseOptions = new CSharpParseOptions(languageVersion);
        var texts = sources.ToList();
        SyntaxTree[] trees = texts
            .Select((text, i) => ($"source{i}.cs", text))
            .Concat(RuntimeSources.NeededBy(texts))
            .Select(s => CSharpSyntaxTree.ParseText(s.Item2, parseOptions, s.Item1, Encoding.UTF8))
            .ToArray();
        CSharpCompilation compilation = CSharpCompilation.Create(
            "NanoFrameworkProfileCheck",
            trees,
            [Reference],
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: OptimizationLevel.Release,
                allowUnsafe: false,
                deterministic: true));

        using var image = new MemoryStream();
        EmitResult emit = compilation.Emit(image);
        ImmutableArray<Diagnostic> errors = emit.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Concat(NanoFrameworkProfileRules.Check(compilation))
            .ToImmutableArray();
        return new MinimalCorlibResult(errors, emit.Success ? image.ToArray() : null);
    }

    /// <summary>Compiles one source text; see <see cref="Compile(IEnumerable{string}, LanguageVersion)"/>.</summary>
    /// <param name="source">The C# source text.</param>
    /// <param name="languageVersion">The C# language version; default latest.</param>
    public static MinimalCorlibResult Compile(string source, LanguageVersion languageVersion = LanguageVersion.Latest) =>
        Compile([source], languageVersion);

    /// <summary>The errors of compiling <paramref name="source"/> against the minimal core library; empty when it is clean.</summary>
    /// <param name="source">The C# source text.</param>
    public static ImmutableArray<Diagnostic> GetErrors(string source) => Compile(source).Errors;

    /// <summary>Throws, listing the errors with line numbers, unless <paramref name="source"/> compiles against the minimal core library.</summary>
    /// <param name="source">nanoFramework-profile C# source.</param>
    /// <exception cref="HarnessException">The source uses something beyond primitives, arrays and strings.</exception>
    public static void AssertCompilesAgainstMinimalCorlib(string source)
    {
        MinimalCorlibResult result = Compile(source);
        if (!result.Success)
        {
            throw new HarnessException(
                $"The code does not compile against the minimal core library (primitives, arrays and strings only); "
                + $"{result.Errors.Length} error(s):\n{DiagnosticFormatter.Format(result.Errors)}");
        }
    }

    private static MetadataReference CompileCorlib()
    {
        SyntaxTree tree = CSharpSyntaxTree.ParseText(
            MinimalCorlibSource.Text,
            new CSharpParseOptions(LanguageVersion.Latest),
            "MinimalCorlib.cs",
            Encoding.UTF8);
        CSharpCompilation compilation = CSharpCompilation.Create(
            MinimalCorlibSource.AssemblyName,
            [tree],
            references: [],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, deterministic: true));

        using var image = new MemoryStream();
        EmitResult emit = compilation.Emit(image);
        if (!emit.Success)
        {
            throw new InvalidOperationException(
                "The minimal core library does not compile:\n"
                + DiagnosticFormatter.Format(emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
