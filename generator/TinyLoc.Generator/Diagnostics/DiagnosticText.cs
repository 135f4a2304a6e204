using System;
using TinyLoc.Generator.Pipeline;
using TinyLocDescriptor = TinyLoc.Compiler.Diagnostics.DiagnosticDescriptor;
using TinyLocDiagnostic = TinyLoc.Compiler.Diagnostics.Diagnostic;

namespace TinyLoc.Generator.Diagnostics;

/// <summary>
/// Writes diagnostic messages the way the command line does (<c>message (field 'x'). Fix: help</c>), with
/// the fix said in MSBuild terms. The one place a <see cref="DiagnosticInfo"/> is made.
/// </summary>
internal static class DiagnosticText
{
    /// <summary>A diagnostic of <paramref name="descriptor"/> (the compiler's or one of the generator's own).</summary>
    /// <param name="descriptor">What kind of problem.</param>
    /// <param name="location">Where it is.</param>
    /// <param name="field">The manifest field or MSBuild setting concerned, or null.</param>
    /// <param name="args">The message's arguments.</param>
    public static DiagnosticInfo Create(TinyLocDescriptor descriptor, LocationInfo location, string? field, params object[] args) =>
        new(descriptor.Id, Render(descriptor.Format(args), field, descriptor.Help), location);

    /// <summary>The generator's form of a compiler diagnostic (same id, same text), at <paramref name="location"/>.</summary>
    /// <param name="diagnostic">What the compiler reported.</param>
    /// <param name="location">Where it is in the model file.</param>
    /// <param name="fileName">The referenced file the problem is in (put before the message), or null.</param>
    public static DiagnosticInfo From(TinyLocDiagnostic diagnostic, LocationInfo location, string? fileName = null)
    {
        string text = fileName is null ? diagnostic.Message : fileName + ": " + diagnostic.Message;
        string message = Render(text, diagnostic.Location.Field, diagnostic.Descriptor.Help);
        return GeneratorDiagnostics.Find(diagnostic.Id) is null
            ? Create(GeneratorDiagnostics.UnknownCompilerDiagnosticMessage, location, null, diagnostic.Id, message)
            : new DiagnosticInfo(diagnostic.Id, message, location);
    }

    /// <summary>The size summary (TL6003): the line as it is, without a fix.</summary>
    /// <param name="line">The summary line.</param>
    /// <param name="location">The model file's start.</param>
    public static DiagnosticInfo Summary(string line, LocationInfo location) =>
        new(GeneratorDiagnostics.ModelSizeMessage.Id, GeneratorDiagnostics.ModelSizeMessage.Format(line), location);

    /// <summary>An unexpected exception, as TL6005 at the start of <paramref name="path"/>.</summary>
    /// <param name="path">The model file (or the file being read).</param>
    /// <param name="exception">What was thrown.</param>
    public static DiagnosticInfo Failure(string path, Exception exception) =>
        Create(GeneratorDiagnostics.GeneratorFailedMessage, LocationInfo.FileStart(path), null, exception.GetType().Name + ": " + exception.Message.Trim().TrimEnd('.'));

    /// <summary><c>message (field 'x'). Fix: help</c>, or <c>(from TinyLocX)</c> for an MSBuild setting.</summary>
    /// <param name="message">The filled-in message.</param>
    /// <param name="field">The manifest field or MSBuild setting, or null.</param>
    /// <param name="help">The descriptor's fix.</param>
    public static string Render(string message, string? field, string help)
    {
        string where = field switch
        {
            null or "" => string.Empty,
            _ when field.StartsWith("TinyLoc", StringComparison.Ordinal) => $" (from {field})",
            _ => $" (field '{field}')",
        };
        return $"{message}{where}. Fix: {GeneratorDiagnostics.Help(help)}";
    }
}
