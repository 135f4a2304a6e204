using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Import;
using TinyLoc.Compiler.Tests.Import;
using Xunit;

namespace TinyLoc.Compiler.Tests.Security;

/// <summary>
/// Text from a model file reaches the user's terminal only through diagnostics: it is shown escaped
/// (no control character can clear the screen or forge a line) and cut when long.
/// </summary>
public sealed class DiagnosticTextTests
{
    [Theory]
    [InlineData("plain name.weight", "plain name.weight")]
    [InlineData("a\u001b[2Jb", "a\\x1B[2Jb")]
    [InlineData("x\r\nerror TL0000: forged", "x\\x0D\\x0Aerror TL0000: forged")]
    [InlineData("bidi\u202Etxt.exe", "bidi\\u202Etxt.exe")]
    [InlineData("nul\0del\u007fc1\u0085ls\u2028", "nul\\x00del\\x7Fc1\\x85ls\\u2028")]
    [InlineData("pair \uD83D\uDE00 kept, é kept", "pair \uD83D\uDE00 kept, é kept")]
    public void ControlAndInvisibleCharactersAreEscaped(string text, string shown) => Assert.Equal(shown, DisplayText.Escape(text));

    [Fact]
    public void AnUnpairedSurrogateIsEscaped() =>
        Assert.Equal("lone \\uD800 surrogate", DisplayText.Escape("lone " + (char)0xD800 + " surrogate")); // built here: test data serialisation would replace it

    [Fact]
    public void LongValuesAreCutAndSayHowLongTheyWere()
    {
        string shown = (string)DisplayText.Value(new string('x', 10_000_000));
        Assert.Equal(DisplayText.MaxValueChars + "… (10,000,000 characters)".Length, shown.Length);
        Assert.EndsWith("… (10,000,000 characters)", shown);
    }

    [Fact]
    public void AHostileTensorNamePrintsAsOneInertLine()
    {
        var bag = new DiagnosticBag();
        bag.Report(DiagnosticDescriptors.UnusedTensor, new SourceLocation("m\u001b]0;x\u0007.pt", 0, 0, "f\nx"), "w\u001b[2J\r\nm.pt: error TL0000: forged", "mlp");
        string line = bag.Items.Single().ToString();
        Assert.DoesNotContain(line, c => c < 0x20 || c == 0x7f);
        Assert.Contains("\\x1B[2J\\x0D\\x0Am.pt: error TL0000: forged", line);
    }

    [Fact]
    public void ACheckpointZipWithADuplicatedEntryIsRefused()
    {
        // torch.load takes the last of two equal names and a reader could take the first: the weights would be ambiguous.
        using var temp = new TempFolder();
        string pt = temp.File("dup.pt");
        var storage = new byte[4 * 4];
        TorchZipWriter.Write(pt, "dup", PickleWriter.FloatStateDict([("w", new long[] { 4 })]), [new("0", storage), new("0", new byte[4 * 4])]);
        ImportAssert.Fails(PyTorchReader.Read, pt, "TL1002", "two entries named 'dup/data/0'");
    }

    [Fact]
    public void ManyWarningsOfOneIdAreSummarisedButEveryErrorIsShown()
    {
        var bag = new DiagnosticBag();
        for (int i = 0; i < 100_000; i++)
        {
            bag.Report(DiagnosticDescriptors.UnusedTensor, new SourceLocation("m.pt"), "t" + i, "mlp");
        }

        bag.Report(DiagnosticDescriptors.CheckpointNotZip, new SourceLocation("m.pt"), "first");
        bag.Report(DiagnosticDescriptors.CheckpointNotZip, new SourceLocation("m.pt"), "second");
        var lines = bag.ForDisplay().ToList();
        Assert.Equal(DiagnosticBag.MaxWarningsShownPerId + 2 + 1, lines.Count);
        Assert.Equal(DiagnosticBag.MaxWarningsShownPerId, lines.Count(l => l.Contains("warning TL1202: checkpoint tensor", System.StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(l => l.Contains("error TL1002", System.StringComparison.Ordinal)));
        Assert.Equal("tinyloc: warning TL1202: 99,990 more like the above not shown (100,000 in all)", lines[^1]);
    }
}
