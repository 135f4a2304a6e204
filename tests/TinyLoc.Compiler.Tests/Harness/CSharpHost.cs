using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using TinyLoc.Tests.Shared;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// Compiles generated C# in memory with Roslyn against the running runtime, loads it into a
/// collectible <see cref="AssemblyLoadContext"/> and exposes the model class through delegates.
/// </summary>
public static class CSharpHost
{
    /// <summary>
    /// Compiles <paramref name="sources"/> and binds the model class of <paramref name="modelName"/>.
    /// </summary>
    /// <param name="modelName">
    /// The model name (<c>kolakowski_mlp</c>, looked up as <c>TinyLoc.Models.KolakowskiMlp</c>), or a
    /// class's full or simple name.
    /// </param>
    /// <param name="sources">The C# source texts; they are named <c>source0.cs</c>, <c>source1.cs</c>… in diagnostics.</param>
    /// <param name="options">Compiler options, or null for <see cref="CSharpHostOptions.Default"/>.</param>
    /// <returns>The loaded model; dispose it to unload the assembly.</returns>
    /// <exception cref="HarnessException">Compile errors (listed with line numbers) or no matching model class.</exception>
    public static CSharpModel Load(string modelName, IEnumerable<string> sources, CSharpHostOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return LoadNamed(modelName, sources.Select((text, i) => ($"source{i}.cs", text)), options);
    }

    /// <summary>Compiles one source text and binds the model class of <paramref name="modelName"/>.</summary>
    /// <param name="modelName">The model name or the class's name, as for <see cref="Load(string, IEnumerable{string}, CSharpHostOptions?)"/>.</param>
    /// <param name="source">The C# source text.</param>
    /// <param name="options">Compiler options, or null for the defaults.</param>
    public static CSharpModel Load(string modelName, string source, CSharpHostOptions? options = null) =>
        Load(modelName, [source], options);

    /// <summary>Compiles the C# files at <paramref name="paths"/> (named by path in diagnostics) and binds the model class.</summary>
    /// <param name="modelName">The model name or the class's name.</param>
    /// <param name="paths">Paths of <c>.cs</c> files.</param>
    /// <param name="options">Compiler options, or null for the defaults.</param>
    public static CSharpModel LoadFiles(string modelName, IEnumerable<string> paths, CSharpHostOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return LoadNamed(modelName, paths.Select(p => (p, File.ReadAllText(p))), options);
    }

    /// <summary>
    /// Compiles <paramref name="sources"/> to a library image, throwing on any error (warnings count
    /// when <see cref="CSharpHostOptions.WarningsAsErrors"/> is set).
    /// </summary>
    /// <param name="assemblyName">The assembly's name.</param>
    /// <param name="sources">Pairs of (name used in diagnostics, source text).</param>
    /// <param name="options">Compiler options, or null for the defaults.</param>
    /// <exception cref="HarnessException">The compile failed; the message lists the diagnostics.</exception>
    public static byte[] Compile(
        string assemblyName,
        IEnumerable<(string Path, string Text)> sources,
        CSharpHostOptions? options = null)
    {
        options ??= CSharpHostOptions.Default;
        var parseOptions = new CSharpParseOptions(options.LanguageVersion);
        var given = sources.ToList();
        SyntaxTree[] trees = given
            .Concat(RuntimeSources.NeededBy(given.Select(s => s.Text).ToList()))
            .Select(s => CSharpSyntaxTree.ParseText(s.Text, parseOptions, s.Path, Encoding.UTF8))
            .ToArray();
        var compilationOptions = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release,
            allowUnsafe: options.AllowUnsafe,
            deterministic: true,
            nullableContextOptions: options.Nullable,
            generalDiagnosticOption: options.WarningsAsErrors ? ReportDiagnostic.Error : ReportDiagnostic.Default);
        CSharpCompilation compilation = CSharpCompilation.Create(
            assemblyName, trees, FrameworkReferences.All, compilationOptions);

        using var image = new MemoryStream();
        EmitResult result = compilation.Emit(image);
        ImmutableArray<Diagnostic> errors = result.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .ToImmutableArray();
        if (!result.Success || errors.Length > 0)
        {
            throw new HarnessException(
                $"C# compile of '{assemblyName}' failed with {errors.Length} error(s):\n{DiagnosticFormatter.Format(errors)}");
        }

        return image.ToArray();
    }

    /// <summary>
    /// Bytes allocated on the calling thread per call of <paramref name="call"/>, after
    /// <paramref name="warmup"/> unmeasured calls (JIT tiering, static constructors), averaged over
    /// <paramref name="calls"/> and rounded up, so any allocation at all gives at least 1. The runtime itself
    /// may allocate on the thread once in a while (tiered JIT's call counting finishes late on a busy
    /// machine), so this measures up to <paramref name="rounds"/> rounds and returns the smallest: code that
    /// allocates on every call allocates in every round, and one clean round proves a call allocates nothing.
    /// </summary>
    /// <param name="call">The work to measure; keep it free of closures that allocate.</param>
    /// <param name="warmup">Calls made before measuring.</param>
    /// <param name="calls">Calls measured per round; at least 1.</param>
    /// <param name="rounds">Rounds at most; at least 1.</param>
    public static long MeasureAllocatedBytesPerCall(Action call, int warmup = 100, int calls = 1000, int rounds = 5)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(calls, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        for (int i = 0; i < warmup; i++)
        {
            call();
        }

        long least = long.MaxValue;
        for (int r = 0; r < rounds && least > 0; r++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < calls; i++)
            {
                call();
            }

            long total = GC.GetAllocatedBytesForCurrentThread() - before;
            least = Math.Min(least, (total + calls - 1) / calls);
        }

        return least;
    }

    private static CSharpModel LoadNamed(
        string modelName,
        IEnumerable<(string Path, string Text)> sources,
        CSharpHostOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        string assemblyName = "TinyLocTest_" + ModelNames.PascalCase(modelName) + "_" + Guid.NewGuid().ToString("N")[..8];
        byte[] image = Compile(assemblyName, sources, options);

        var context = new AssemblyLoadContext(assemblyName, isCollectible: true);
        try
        {
            Assembly assembly;
            using (var stream = new MemoryStream(image, writable: false))
            {
                assembly = context.LoadFromStream(stream);
            }

            return CSharpModel.Bind(FindModelType(assembly, modelName), context);
        }
        catch
        {
            context.Unload();
            throw;
        }
    }

    private static Type FindModelType(Assembly assembly, string modelName)
    {
        Type[] types = assembly.GetExportedTypes();
        string pascal = ModelNames.PascalCase(modelName);
        string squashed = Squash(modelName);
        Type? match = types.FirstOrDefault(t => t.FullName == modelName)
            ?? types.FirstOrDefault(t => t.FullName == $"{ModelNames.CSharpNamespace}.{pascal}");
        if (match is not null)
        {
            return match;
        }

        Type[] candidates = types.Where(t => Squash(t.Name) == squashed).ToArray();
        if (candidates.Length == 1)
        {
            return candidates[0];
        }

        string found = string.Join(", ", types.Select(t => t.FullName).OrderBy(n => n, StringComparer.Ordinal));
        throw new HarnessException(
            $"No single public class for model '{modelName}' (expected {ModelNames.CSharpNamespace}.{pascal}); public types: {found}.");
    }

    private static string Squash(string name) =>
        new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}
