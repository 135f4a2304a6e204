using System.Globalization;

namespace TinyLoc.Compiler.Diagnostics;

/// <summary>One kind of problem. Each is declared once, in <see cref="DiagnosticDescriptors"/>.</summary>
public sealed record DiagnosticDescriptor(string Id, Severity Severity, string Title, string MessageFormat, string Help)
{
    /// <summary>The message with <paramref name="args"/> filled in, each shown safely (<see cref="DisplayText.Value"/>).</summary>
    public string Format(params object[] args) => string.Format(CultureInfo.InvariantCulture, MessageFormat, System.Array.ConvertAll(args, DisplayText.Value));
}
