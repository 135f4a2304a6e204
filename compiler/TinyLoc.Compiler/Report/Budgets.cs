using System;
using System.Globalization;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;

namespace TinyLoc.Compiler.Report;

/// <summary>RAM and flash budgets in bytes (either may be absent), and the checks against them.</summary>
public sealed record Budgets(long? RamBytes, long? FlashBytes)
{
    /// <summary>Flash assumed by <c>--unroll auto</c> when no budget is given: an STM32L4-class part's 256 KiB.</summary>
    public const long DefaultFlashBytes = 256 * 1024;

    /// <summary>Share of a budget at which a warning is given.</summary>
    public const double NearShare = 0.9;

    /// <summary>Parses <c>65536</c>, <c>64KiB</c>, <c>64KB</c>, <c>1MiB</c>, <c>1 MB</c> (KB = 1000, KiB = 1024). Null if malformed.</summary>
    public static long? ParseSize(string text)
    {
        string s = text.Trim().Replace(" ", string.Empty);
        var units = new (string Suffix, long Factor)[] { ("KiB", 1024), ("MiB", 1024 * 1024), ("KB", 1000), ("MB", 1000 * 1000), ("kB", 1000), ("B", 1) };
        long factor = 1;
        foreach (var (suffix, f) in units)
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal))
            {
                s = s.Substring(0, s.Length - suffix.Length);
                factor = f;
                break;
            }
        }

        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || v < 0 || double.IsInfinity(v))
        {
            return null;
        }

        return (long)Math.Round(v * factor);
    }

    /// <summary>Reports over-budget errors (naming the three biggest items) and near-budget warnings.</summary>
    public void Check(SizeReport report, System.Collections.Generic.IEnumerable<BufferSize> arenaBuffers, DiagnosticBag diagnostics, SourceLocation location)
    {
        if (RamBytes is long ram)
        {
            Check(report.RamBytes, ram, Top(report.RamItems(arenaBuffers)), DiagnosticDescriptors.RamBudgetExceeded, DiagnosticDescriptors.RamBudgetNear, diagnostics, location);
        }

        if (FlashBytes is long flash)
        {
            Check(report.FlashBytes, flash, Top(report.FlashItems()), DiagnosticDescriptors.FlashBudgetExceeded, DiagnosticDescriptors.FlashBudgetNear, diagnostics, location);
        }
    }

    private static void Check(long used, long budget, string top, DiagnosticDescriptor over, DiagnosticDescriptor near, DiagnosticBag diagnostics, SourceLocation location)
    {
        if (used > budget)
        {
            diagnostics.Report(over, location, used, budget, used - budget, top);
        }
        else if (used >= budget * NearShare)
        {
            diagnostics.Report(near, location, used, Math.Round(100.0 * used / budget), budget);
        }
    }

    private static string Top(System.Collections.Generic.IEnumerable<BufferSize> items) =>
        string.Join(", ", items.Take(3).Select(b => $"{b.Name} {b.Bytes} B"));
}
