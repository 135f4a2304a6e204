using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Emit;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// The C# runtime's sources (runtime/TinyLoc.Runtime, as the compiler embeds them) that a generated class needs
/// beside it: a class emitted with the runtime calls <c>TinyLoc.Runtime.Localizer</c>, and the targets write the
/// runtime's files next to it. The C# hosts add them, so a test compiles a class as a project would.
/// </summary>
public static class RuntimeSources
{
    /// <summary>The runtime's sources when <paramref name="sources"/> use the runtime without declaring it; else none.</summary>
    /// <param name="sources">The texts about to be compiled.</param>
    public static IEnumerable<(string Path, string Text)> NeededBy(IReadOnlyCollection<string> sources) =>
        sources.Any(s => s.Contains("TinyLoc.Runtime.", System.StringComparison.Ordinal))
        && !sources.Any(s => s.Contains("namespace TinyLoc.Runtime", System.StringComparison.Ordinal))
            ? RuntimeFiles.CSharp()
            : [];
}
