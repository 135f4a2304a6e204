using System.Globalization;

namespace TinyLoc.Compiler.Diagnostics;

public enum Severity
{
    Info,
    Warning,
    Error,
}

/// <summary>Where a diagnostic points: a file, and optionally a 1-based line/column or a field path.</summary>
public sealed record SourceLocation(string File, int Line = 0, int Column = 0, string? Field = null)
{
    public static SourceLocation None { get; } = new(string.Empty);

    public override string ToString()
    {
        if (File.Length == 0)
        {
            return "tinyloc";
        }

        return Line > 0
            ? string.Format(CultureInfo.InvariantCulture, "{0}({1},{2})", File, Line, Column)
            : File;
    }
}

/// <summary>One reported problem: an id from <see cref="DiagnosticDescriptors"/>, a location and a filled-in message.</summary>
public sealed record Diagnostic(DiagnosticDescriptor Descriptor, SourceLocation Location, string Message)
{
    public string Id => Descriptor.Id;

    public Severity Severity => Descriptor.Severity;

    /// <summary>MSBuild-style text: <c>file(line,col): error TL1004: message (field: x). Fix: …</c></summary>
    public override string ToString()
    {
        string sev = Severity switch
        {
            Severity.Error => "error",
            Severity.Warning => "warning",
            _ => "info",
        };
        string field = Location.Field is null ? string.Empty : $" (field '{DisplayText.Value(Location.Field)}')";
        return $"{DisplayText.Escape(Location.ToString())}: {sev} {Id}: {DisplayText.Escape(Message)}{field}. Fix: {Descriptor.Help}";
    }
}
