using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace TinyLoc.Generator.Tests.Harness;

/// <summary>
/// An AdditionalFile as the build hands it to the generator: a path, and text for text files. Binary files
/// (checkpoints) have no text here: the generator reads their bytes from the path, as it does in a build.
/// </summary>
/// <param name="path">The file's full path.</param>
/// <param name="text">The text, or null for a binary file.</param>
public sealed class TestAdditionalText(string path, string? text) : AdditionalText
{
    /// <inheritdoc/>
    public override string Path { get; } = path;

    /// <summary>The text given, or null.</summary>
    public string? Text { get; } = text;

    /// <inheritdoc/>
    public override SourceText? GetText(CancellationToken cancellationToken = default) => Text is null ? null : SourceText.From(Text);
}
