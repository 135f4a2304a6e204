using System.IO;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Quantization;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Util;
using Xunit;

namespace TinyLoc.Compiler.Tests.Util;

/// <summary>CSV as RFC 4180 has it: quoted headers and fields (commas, doubled quotes, line breaks inside), CRLF, blank lines.</summary>
public sealed class CsvFileTests
{
    [Fact]
    public void QuotedHeadersAndFieldsAreReadAsRfc4180Says()
    {
        using var dir = ScratchDirectory.Create("csv-rfc4180");
        string path = Path.Combine(dir.Path, "q.csv");
        File.WriteAllText(path, "\"ap_1\",\"ap, 2\",note\r\n\"-50\",-60,\"said \"\"hi\"\"\"\r\n\r\n-40,\"-45\",\"two\nlines\"\r\n");
        using (var csv = new CsvFile(path))
        {
            Assert.Equal(new[] { "ap_1", "ap, 2", "note" }, csv.Header);
            var rows = csv.Rows().ToList();
            Assert.Equal(2, rows.Count);
            Assert.Equal(new[] { "-50", "-60", "said \"hi\"" }, rows[0]);
            Assert.Equal(new[] { "-40", "-45", "two\nlines" }, rows[1]);
        }

        var bag = new DiagnosticBag();
        var values = Calibration.ReadCsv(path, new[] { "ap_1", "ap, 2" }, 2, -100, bag);
        Assert.False(bag.HasErrors);
        Assert.Equal(new[] { new[] { -50f, -60f }, new[] { -40f, -45f } }, values);
    }

    [Fact]
    public void AQuotedFieldThatNeverEndsIsADiagnosticNotAnException()
    {
        using var dir = ScratchDirectory.Create("csv-open-quote");
        string path = Path.Combine(dir.Path, "q.csv");
        File.WriteAllText(path, "ap_1,ap_2\n\"-50,-60\n-40,-45\n");
        var bag = new DiagnosticBag();
        Calibration.ReadCsv(path, new[] { "ap_1", "ap_2" }, 2, -100, bag);
        Assert.True(bag.HasErrors);
        Assert.Contains(bag.Errors, d => d.Id is "TL1107" or "TL1111");
    }

    [Fact]
    public void AQuotedFieldPastTheLineLimitIsTl1111()
    {
        using var dir = ScratchDirectory.Create("csv-long-quote");
        string path = Path.Combine(dir.Path, "q.csv");
        File.WriteAllText(path, "ap_1,ap_2\n\"" + new string('\n', InputLimits.MaxCsvLineChars + 10) + "\",1\n");
        var bag = new DiagnosticBag();
        Calibration.ReadCsv(path, new[] { "ap_1", "ap_2" }, 2, -100, bag);
        Assert.Equal("TL1111", Assert.Single(bag.Errors).Id);
    }
}
