using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>Formats Roslyn diagnostics for test failure messages: file, line, column, id, message and the source line.</summary>
public static class DiagnosticFormatter
{
    /// <summary>
    /// One entry per diagnostic, sorted by file, position and id:
    /// <c>source0.cs(12,9): error CS0103: The name 'x' does not exist…</c> followed by the offending line.
    /// </summary>
    /// <param name="diagnostics">The diagnostics to print.</param>
    /// <param name="limit">At most this many are printed; the rest are counted.</param>
    public static string Format(IEnumerable<Diagnostic> diagnostics, int limit = 50)
    {
        Diagnostic[] sorted = diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToArray();
        var text = new StringBuilder();
        foreach (Diagnostic diagnostic in sorted.Take(limit))
        {
            text.Append(FormatOne(diagnostic)).Append('\n');
        }

        if (sorted.Length > limit)
        {
            text.Append(CultureInfo.InvariantCulture, $"... and {sorted.Length - limit} more\n");
        }

        return text.ToString();
    }

    /// <summary>One diagnostic with its 1-based line and column and, when it has one, its source line.</summary>
    /// <param name="diagnostic">The diagnostic.</param>
    public static string FormatOne(Diagnostic diagnostic)
    {
        string severity = diagnostic.Severity.ToString().ToLowerInvariant();
        string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        if (!diagnostic.Location.IsInSource || diagnostic.Location.SourceTree is null)
        {
            return $"{severity} {diagnostic.Id}: {message}";
        }

        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        int line = span.StartLinePosition.Line;
        string where = string.Create(
            CultureInfo.InvariantCulture,
            $"{span.Path}({line + 1},{span.StartLinePosition.Character + 1})");
        SourceText source = diagnostic.Location.SourceTree.GetText();
        string code = line < source.Lines.Count ? source.Lines[line].ToString().Trim() : string.Empty;
        return $"{where}: {severity} {diagnostic.Id}: {message}\n    {code}";
    }
}
