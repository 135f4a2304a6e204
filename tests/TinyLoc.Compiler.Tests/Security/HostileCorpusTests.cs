using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Tests.Security.Corpus;
using Xunit;
using Xunit.Abstractions;

namespace TinyLoc.Compiler.Tests.Security;

/// <summary>
/// Issue #15's corpus: every hostile case through the compiler as the command line runs it. No exception escapes;
/// every failure is TL diagnostics naming a file of the case (emit-stage TL5xxx, about options, name none); the
/// text shown has no control characters and never shows a file outside the manifest's folder; each case allocates
/// under 256 MB; each ends as its case says (compiles, fails, or fails with given ids). Time is recorded, not asserted
/// (a loaded machine must not fail a test): the maximum is in tests/testdata/hostile/README.md.
/// </summary>
public sealed class HostileCorpusTests
{
    private const long MaxAllocatedBytes = 256L * 1024 * 1024;
    private static readonly Regex TlId = new("^TL[1-6][0-9]{3}$");

    private readonly ITestOutputHelper _output;

    public HostileCorpusTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void TheCorpusHasAtLeast600DistinctCases()
    {
        Assert.True(HostileCorpus.Cases.Count >= 600, HostileCorpus.Cases.Count + " cases");
        Assert.Empty(HostileCorpus.Cases.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Fact]
    public void EveryHostileCaseEndsInTlDiagnosticsWithinTheLimits()
    {
        string root = Path.Combine(Path.GetTempPath(), "tinyloc-hostile-" + Guid.NewGuid().ToString("N"));
        var problems = new List<string>();
        var results = new List<(HostileCase Case, CaseResult Result)>();
        int files = 0;
        try
        {
            for (int i = 0; i < HostileCorpus.Cases.Count; i++)
            {
                var kase = HostileCorpus.Cases[i];
                var folder = new CaseFolder(Path.Combine(root, i.ToString("D4", CultureInfo.InvariantCulture)));
                CaseInput input;
                try
                {
                    input = kase.Make(folder);
                }
                catch (Exception e)
                {
                    problems.Add(kase.Name + ": the case could not be written: " + e.Message);
                    continue;
                }

                var result = CaseRunner.Run(input);
                results.Add((kase, result));
                problems.AddRange(Check(kase, folder, result).Select(p => kase.Name + ": " + p));
                files += DeleteQuietly(folder.Path);
            }
        }
        finally
        {
            DeleteQuietly(root);
        }

        // Every limit's diagnostic is reached by some case (a limit no case reaches is untested).
        var reached = results.SelectMany(r => r.Result.Diagnostics).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(new[] { "TL1012", "TL1013", "TL1014", "TL1015", "TL1016", "TL1110", "TL1111" }
            .Where(id => !reached.Contains(id)).Select(id => "no case reaches " + id));

        string summary = files.ToString("N0", CultureInfo.InvariantCulture) + " files and links written. " + Summary(results);
        _output.WriteLine(summary);
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "tinyloc-hostile-corpus-summary.md"), summary);
        Assert.True(problems.Count == 0, problems.Count + " problems:\n" + string.Join("\n", problems.Take(60)));
    }

    private static IEnumerable<string> Check(HostileCase kase, CaseFolder folder, CaseResult r)
    {
        if (!r.Finished)
        {
            yield return "did not finish (blocked?)";
            yield break;
        }

        if (r.Exception is not null)
        {
            yield return "exception escaped: " + r.Exception.GetType().Name + ": " + r.Exception.Message + " " + r.Exception.StackTrace?.Split('\n')[0];
        }

        if (r.AllocatedBytes > MaxAllocatedBytes)
        {
            yield return $"allocated {r.AllocatedBytes:N0} bytes";
        }

        var errors = r.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        foreach (var d in r.Diagnostics)
        {
            string text = d.ToString();
            if (!TlId.IsMatch(d.Id))
            {
                yield return "not a TL id: " + text;
            }

            // A file the user allowed outside the folder is named where it is.
            string home = kase.Name.StartsWith("outside-allowed:", StringComparison.Ordinal) ? "/" : folder.Path;
            if (d.Severity == Severity.Error && !d.Id.StartsWith("TL5", StringComparison.Ordinal) && !d.Location.File.StartsWith(home, StringComparison.Ordinal))
            {
                yield return "the error does not name a file of the case: " + text;
            }

            if (text.Any(c => c < 0x20 || (c >= 0x7f && c <= 0x9f)))
            {
                yield return "control character in the text shown: " + DisplayText.Escape(text);
            }

            if (text.Contains("hunter2", StringComparison.Ordinal) && !kase.Name.StartsWith("outside-allowed:", StringComparison.Ordinal) && kase.Category != "csv")
            {
                yield return "shows a file outside the manifest's folder: " + text;
            }
        }

        string? outcome = kase.Expect switch
        {
            "any" => null,
            "ok" when !r.Success => "should compile but gave: " + string.Join(" | ", errors.Select(d => d.ToString()).DefaultIfEmpty("no error")),
            "ok" => null,
            _ when r.Success || errors.Count == 0 => "should fail but compiled",
            "fail" => null,
            _ when !errors.Any(d => kase.Expect.Split('|').Contains(d.Id)) => "should fail with " + kase.Expect + " but gave: " + string.Join(" | ", errors.Select(d => d.ToString())),
            _ => null,
        };
        if (outcome is not null)
        {
            yield return outcome.Length > 600 ? outcome.Substring(0, 600) + "…" : outcome;
        }
    }

    private static string Summary(List<(HostileCase Case, CaseResult Result)> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{results.Count} cases run; max time {results.Max(r => r.Result.Elapsed.TotalSeconds):0.00} s; max allocated {results.Max(r => r.Result.AllocatedBytes) / 1048576.0:0.0} MiB; total time {results.Sum(r => r.Result.Elapsed.TotalSeconds):0.0} s");
        sb.AppendLine();
        sb.AppendLine("| category | cases | compiled | max time (s) | max allocated (MiB) | ids |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var g in results.GroupBy(r => r.Case.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            string ids = string.Join(" ", g.SelectMany(r => r.Result.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.Id)).Distinct().OrderBy(i => i, StringComparer.Ordinal));
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {g.Key} | {g.Count()} | {g.Count(r => r.Result.Success)} | {g.Max(r => r.Result.Elapsed.TotalSeconds):0.00} | {g.Max(r => r.Result.AllocatedBytes) / 1048576.0:0.0} | {ids} |");
        }

        sb.AppendLine();
        sb.AppendLine("Slowest cases:");
        foreach (var r in results.OrderByDescending(r => r.Result.Elapsed).Take(8))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {r.Case.Name}: {r.Result.Elapsed.TotalSeconds:0.00} s, {r.Result.AllocatedBytes / 1048576.0:0.0} MiB");
        }

        sb.AppendLine("Most allocating cases:");
        foreach (var r in results.OrderByDescending(r => r.Result.AllocatedBytes).Take(8))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {r.Case.Name}: {r.Result.AllocatedBytes / 1048576.0:0.0} MiB, {r.Result.Elapsed.TotalSeconds:0.00} s");
        }

        return sb.ToString();
    }

    /// <summary>Deletes a case folder without ever following a link (cases link to /dev, /proc and other folders); returns how many files and links it held.</summary>
    private static int DeleteQuietly(string path)
    {
        int files = 0;
        try
        {
            foreach (string entry in Directory.Exists(path) ? Directory.EnumerateFileSystemEntries(path).ToList() : new List<string>())
            {
                var info = new FileInfo(entry);
                if (info.LinkTarget is not null || !Directory.Exists(entry))
                {
                    File.Delete(entry);
                    files++;
                }
                else
                {
                    files += DeleteQuietly(entry);
                }
            }

            if (Directory.Exists(path))
            {
                Directory.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return files;
    }
}
