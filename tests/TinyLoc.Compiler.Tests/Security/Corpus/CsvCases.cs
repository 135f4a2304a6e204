using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace TinyLoc.Compiler.Tests.Security.Corpus;

/// <summary>
/// Calibration CSVs named by the manifest (and one given as the user's option): lines and rows past the limits,
/// plain and as gzip bombs, non-numbers, NaN and infinities, broken gzip, odd layouts.
/// </summary>
internal static class CsvCases
{
    private const string Header = "ap_1,ap_2,ap_3,ap_4,ap_5\n";

    public static IEnumerable<HostileCase> All()
    {
        yield return Plain("csv:good", "ok", Header + "-50,-60,-70,-80,-90\n-40,-45,-99,-100,-31\n");
        yield return Plain("csv:long-line-2MiB", "TL1111", Header + new string('1', 2 << 20) + "\n");
        yield return Plain("csv:long-header-2MiB", "TL1111", new string('h', 2 << 20) + "\n1,2,3,4,5\n");
        yield return Plain("csv:rows-1.1M", "TL1111", Header + string.Concat(Enumerable.Repeat("1\n", 1_100_000)));
        yield return Plain("csv:one-line-of-500k-commas", "any", Header + new string(',', 500_000) + "\n");
        yield return Plain("csv:nan", "TL1107", Header + "NaN,-60,-70,-80,-90\n");
        yield return Plain("csv:infinity", "TL1107", Header + "Infinity,-60,-70,-80,-90\n-inf,1,2,3,4\n");
        yield return Plain("csv:1e39", "TL1107", Header + "1e39,-60,-70,-80,-90\n");
        yield return Plain("csv:secret-cell", "TL1107", Header + "TOP-SECRET-API-KEY=hunter2,1,2,3,4\n");
        yield return Plain("csv:control-characters", "TL1107", Header + "\u001b[2J\u001b[H,1,2,3,4\n");
        yield return Plain("csv:header-only", "TL1107", Header);
        yield return Plain("csv:missing-column", "TL1107", "ap_1,ap_2\n1,2\n");
        yield return Plain("csv:quoted", "TL1107", Header + "\"1,2\",3,4,5,6\n");
        yield return Plain("csv:bom-crlf", "ok", "\uFEFF" + Header.Replace("\n", "\r\n") + "-50,-60,-70,-80,-90\r\n");
        yield return Plain("csv:10000-columns", "any", string.Join(",", Enumerable.Range(1, 10_000).Select(i => "ap_" + i)) + "\n" + string.Join(",", Enumerable.Repeat("-50", 10_000)) + "\n");
        yield return Plain("csv:binary", "fail", Encoding.Latin1.GetString(Enumerable.Range(0, 8192).Select(i => (byte)(i * 31 % 256)).ToArray()));
        yield return Gzip("csv-gz:line-1GiB", "TL1111", Header, "1", 1L << 30);
        yield return Gzip("csv-gz:rows-5M", "TL1111", Header, "1,2,3,4,5\n", 5_000_000);
        yield return Gzip("csv-gz:text-200MiB-in-100KB-lines", "TL1111", Header, "1,2,3,4,5," + new string(' ', 100_000) + "\n", 2_100);
        yield return Gzip("csv-gz:good", "ok", Header, "-50,-60,-70,-80,-90\n", 1000);
        yield return Gzip("csv-gz:text-cells-300k", "TL1111", Header, "1e1,2e1,3e1,4e1,5e1\n", 60_000);
        yield return Plain("csv:number-100k-digits", "TL1107", Header + new string('1', 100_000) + ",1,2,3,4\n");
        yield return new HostileCase("csv-gz:truncated", "fail", f =>
        {
            Gzip("x", "ok", Header, "-50,-60,-70,-80,-90\n", 100_000).Make(f);
            byte[] gz = System.IO.File.ReadAllBytes(f.File("calib.csv.gz"));
            f.Write("calib.csv.gz", gz.Take(gz.Length / 2).ToArray());
            return new CaseInput(Manifest(f, "calib.csv.gz"));
        });
        yield return new HostileCase("csv-gz:not-gzip", "fail", f =>
        {
            f.WriteText("calib.csv.gz", Header + "1,2,3,4,5\n");
            return new CaseInput(Manifest(f, "calib.csv.gz"));
        });
        yield return new HostileCase("csv-option:gzip-bomb-given-by-the-user", "TL1111", f =>
        {
            f.Copy("models/tiny_relu_reg.pt", "model.pt");
            f.WriteGzip("user.csv.gz", Header, "1", 1L << 28);
            return new CaseInput(CaseManifest.Relu().WriteTo(f), new CompileOptions { CalibrationCsv = f.File("user.csv.gz") });
        });
    }

    /// <summary>The relu model with <c>quantization.calibration</c> naming <paramref name="csv"/>.</summary>
    public static string Manifest(CaseFolder f, string csv)
    {
        f.Copy("models/tiny_relu_reg.pt", "model.pt");
        return CaseManifest.Relu().Set("quantization.calibration", CaseManifest.Quote(csv)).WriteTo(f);
    }

    private static HostileCase Plain(string name, string expect, string text) => new(name, expect, f =>
    {
        f.WriteText("calib.csv", text);
        return new CaseInput(Manifest(f, "calib.csv"));
    });

    private static HostileCase Gzip(string name, string expect, string head, string unit, long repeat) => new(name, expect, f =>
    {
        f.WriteGzip("calib.csv.gz", head, unit, repeat);
        return new CaseInput(Manifest(f, "calib.csv.gz"));
    });
}
