using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace TinyLoc.Compiler.Emit;

/// <summary>
/// The runtime's sources (runtime/c and runtime/TinyLoc.Runtime in the repository), embedded in the compiler and
/// written beside a generated model as they are: <c>c/tinyloc_runtime.c</c>, <c>TinyLoc.Runtime/Localizer.cs</c>.
/// </summary>
public static class RuntimeFiles
{
    private const string Prefix = "runtime/";

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Files = new(Load);

    /// <summary>The names a target's <c>"copy"</c> can give, sorted.</summary>
    public static IReadOnlyList<string> Names => Files.Value.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();

    /// <summary>The text of a runtime file (\n line ends), or null.</summary>
    public static string? Read(string name) => Files.Value.TryGetValue(name, out string? text) ? text : null;

    /// <summary>The C# runtime's sources, by name (what the source generator adds to a compilation).</summary>
    public static IEnumerable<(string Name, string Text)> CSharp() =>
        Names.Where(n => n.EndsWith(".cs", StringComparison.Ordinal)).Select(n => (n, Files.Value[n]));

    private static IReadOnlyDictionary<string, string> Load()
    {
        var asm = typeof(RuntimeFiles).GetTypeInfo().Assembly;
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string name in asm.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var s = asm.GetManifestResourceStream(name)!;
            using var r = new StreamReader(s);
            files[name.Substring(Prefix.Length)] = r.ReadToEnd().Replace("\r\n", "\n");
        }

        return files;
    }
}
