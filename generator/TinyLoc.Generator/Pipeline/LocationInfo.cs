using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace TinyLoc.Generator.Pipeline;

/// <summary>
/// Where a diagnostic points, as plain values (a <see cref="Location"/> is not equatable across runs and
/// must not travel through the pipeline). Lines and columns are 0-based, as in <see cref="LinePosition"/>.
/// </summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Start">The span's start, in characters from the start of the file.</param>
/// <param name="Length">The span's length in characters.</param>
/// <param name="StartLine">The 0-based line where the span starts.</param>
/// <param name="StartColumn">The 0-based column where the span starts.</param>
/// <param name="EndLine">The 0-based line where the span ends.</param>
/// <param name="EndColumn">The 0-based column where the span ends.</param>
internal sealed record LocationInfo(string Path, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    /// <summary>The start of <paramref name="path"/> (used for whole files, such as a binary checkpoint).</summary>
    /// <param name="path">The file's full path.</param>
    public static LocationInfo FileStart(string path) => new(path, 0, 0, 0, 0, 0, 0);

    /// <summary>The Roslyn location, made only when the diagnostic is reported.</summary>
    public Location ToLocation() => Location.Create(
        Path,
        new TextSpan(Start, Length),
        new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));
}
