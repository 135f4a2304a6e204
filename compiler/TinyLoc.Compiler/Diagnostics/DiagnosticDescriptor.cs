using System.Globalization;

namespace TinyLoc.Compiler.Diagnostics;

/// <summary>One kind of problem. Each is declared once, in <see cref="DiagnosticDescriptors"/>.</summary>
public sealed record DiagnosticDescriptor(string Id, Severity Severity, string Title, string MessageFormat, string Help)
{
    public string Format(params object[] args) => string.Format(CultureInfo.InvariantCulture, MessageFormat, args);
}
