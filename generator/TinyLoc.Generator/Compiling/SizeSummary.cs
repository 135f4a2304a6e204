using System.Globalization;
using TinyLoc.Compiler.Report;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Generator.Compiling;

/// <summary>The one-line size summary of a model (diagnostic TL6003), which the package's targets print in every build.</summary>
internal static class SizeSummary
{
    /// <summary>The text every summary starts with; the build/TinyLoc.Generator.targets file finds the lines by it.</summary>
    public const string Prefix = "TinyLoc ";

    /// <summary>
    /// For example <c>TinyLoc uji_mlp -> TinyLoc.Models.UjiMlp (dotnet, static, unroll auto): RAM 2,880 B of
    /// 64KiB (4.4%), flash 186,567 B (estimate) of 256KiB (71.2%)</c>. ASCII only, no quotes or semicolons:
    /// it passes through a SARIF file and an MSBuild item on its way to the console.
    /// </summary>
    /// <param name="report">The compiler's size report.</param>
    /// <param name="typeName">The generated class's full name.</param>
    /// <param name="target">The C# profile.</param>
    /// <param name="budgets">The budgets in bytes.</param>
    /// <param name="ramText">The RAM budget as written, or null.</param>
    /// <param name="flashText">The flash budget as written, or null.</param>
    public static string Line(SizeReport report, string typeName, string target, Budgets budgets, string? ramText, string? flashText) =>
        $"{Prefix}{report.Model} -> {typeName} ({target}, {report.Scheme}, unroll {report.Unroll}): " +
        $"RAM {Fmt.Bytes(report.RamBytes)} B{Of(report.RamBytes, budgets.RamBytes, ramText)}, " +
        $"flash {Fmt.Bytes(report.FlashBytes)} B (estimate){Of(report.FlashBytes, budgets.FlashBytes, flashText)}";

    private static string Of(long used, long? budget, string? text)
    {
        if (budget is not long b)
        {
            return " (no budget)";
        }

        string share = b == 0 ? "over" : (100.0 * used / b).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        return $" of {text ?? Fmt.Bytes(b)} ({share})";
    }
}
