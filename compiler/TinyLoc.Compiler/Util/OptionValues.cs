using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Report;

namespace TinyLoc.Compiler.Util;

/// <summary>
/// Compile options written as text, checked the same way wherever they are written: on the command line
/// (<c>--ram-budget</c>, <c>--flash-budget</c>, <c>--unroll</c>) and in the source generator's MSBuild settings.
/// A malformed value is reported where the host says it was written, and checking goes on, so every problem
/// is reported at once.
/// </summary>
public static class OptionValues
{
    /// <summary>A size in bytes (<see cref="Budgets.ParseSize"/>): null when not given, or when malformed (TL4003 reported).</summary>
    /// <param name="text">The size as written, or null when not given.</param>
    /// <param name="where">Where it was written: the option or setting.</param>
    /// <param name="diagnostics">Receives the error.</param>
    public static long? Size(string? text, SourceLocation where, DiagnosticBag diagnostics)
    {
        if (text is null)
        {
            return null;
        }

        long? bytes = Budgets.ParseSize(text);
        if (bytes is null)
        {
            diagnostics.Report(DiagnosticDescriptors.InvalidSize, where, text);
        }

        return bytes;
    }

    /// <summary>An unroll mode: <c>none</c>, <c>all</c>, <c>auto</c> or <c>wide</c>; anything else is TL5005 and gives <see cref="UnrollMode.None"/>.</summary>
    /// <param name="text">The mode as written.</param>
    /// <param name="where">Where it was written: the option or setting.</param>
    /// <param name="diagnostics">Receives the error.</param>
    public static UnrollMode Unroll(string text, SourceLocation where, DiagnosticBag diagnostics)
    {
        if (text is "auto" or "all" or "none" or "wide")
        {
            return UnrollSelection.Parse(text);
        }

        diagnostics.Report(DiagnosticDescriptors.UnknownUnroll, where, text);
        return UnrollMode.None;
    }

    /// <summary>A schedule: <c>fused</c> or <c>layer</c>; anything else is TL5008 and gives <see cref="ScheduleMode.Fused"/>.</summary>
    /// <param name="text">The schedule as written.</param>
    /// <param name="where">Where it was written: the option or setting.</param>
    /// <param name="diagnostics">Receives the error.</param>
    public static ScheduleMode Schedule(string text, SourceLocation where, DiagnosticBag diagnostics)
    {
        switch (text)
        {
            case "fused": return ScheduleMode.Fused;
            case "layer": return ScheduleMode.Layer;
            default:
                diagnostics.Report(DiagnosticDescriptors.UnknownSchedule, where, text);
                return ScheduleMode.Fused;
        }
    }
}
