using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using TinyLoc.Generator.Diagnostics;
using TinyLoc.Generator.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;
using CompilerDescriptor = TinyLoc.Compiler.Diagnostics.DiagnosticDescriptor;
using CompilerDescriptors = TinyLoc.Compiler.Diagnostics.DiagnosticDescriptors;
using CompilerSeverity = TinyLoc.Compiler.Diagnostics.Severity;

namespace TinyLoc.Generator.Tests;

/// <summary>The descriptors, the ledger and the README table agree, and every compiler diagnostic has its Roslyn twin.</summary>
public class DescriptorTests
{
    private static readonly CompilerDescriptor[] CompilerAll = typeof(CompilerDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => f.GetValue(null))
        .OfType<CompilerDescriptor>()
        .ToArray();

    [Fact]
    public void Every_compiler_diagnostic_has_a_roslyn_descriptor_with_the_same_id_severity_and_title()
    {
        foreach (var c in CompilerAll)
        {
            var d = GeneratorDiagnostics.Find(c.Id);
            Assert.True(d is not null, $"{c.Id} has no Roslyn descriptor in GeneratorDiagnostics");
            Assert.Equal(Map(c.Severity), d!.DefaultSeverity);
            Assert.Equal(c.Title, d.Title.ToString());
        }
    }

    [Fact]
    public void Ids_are_unique_and_in_the_product_ranges()
    {
        var ids = GeneratorDiagnostics.All.Select(d => d.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^TL[1-6][0-9]{3}$", id));
        Assert.All(GeneratorDiagnostics.All.Where(d => d.Id.StartsWith("TL6", StringComparison.Ordinal)), d => Assert.Equal(GeneratorDiagnostics.Build, d.Category));
    }

    [Fact]
    public void The_ledger_lists_every_descriptor_with_its_category_and_severity()
    {
        string ledger = File.ReadAllText(Path.Combine(GeneratorPaths.GeneratorProject, "AnalyzerReleases.Unshipped.md"))
            + File.ReadAllText(Path.Combine(GeneratorPaths.GeneratorProject, "AnalyzerReleases.Shipped.md"));
        var rows = Regex.Matches(ledger, @"^(TL\d{4}) \| (\S+) \| (\w+) \|", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => (Category: m.Groups[2].Value, Severity: m.Groups[3].Value));

        Assert.Equal(GeneratorDiagnostics.All.Select(d => d.Id).OrderBy(i => i, StringComparer.Ordinal), rows.Keys.OrderBy(i => i, StringComparer.Ordinal));
        foreach (var d in GeneratorDiagnostics.All)
        {
            Assert.Equal((d.Category, d.DefaultSeverity.ToString()), rows[d.Id]);
        }
    }

    [Fact]
    public void The_readme_table_lists_every_descriptor_with_its_severity_and_title()
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "generator", "README.md"));
        var rows = Regex.Matches(readme, @"^\| (TL\d{4}) \| (\w+) \| ([^|]+) \|", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => (Severity: m.Groups[2].Value, Title: m.Groups[3].Value.Trim()));

        Assert.Equal(GeneratorDiagnostics.All.Select(d => d.Id).OrderBy(i => i, StringComparer.Ordinal), rows.Keys.OrderBy(i => i, StringComparer.Ordinal));
        foreach (var d in GeneratorDiagnostics.All)
        {
            Assert.Equal((d.DefaultSeverity.ToString().ToLowerInvariant(), d.Title.ToString()), rows[d.Id]);
        }
    }

    [Fact]
    public void Fixes_speak_msbuild_not_command_line_options()
    {
        Assert.All(GeneratorDiagnostics.All, d => Assert.DoesNotMatch(@"(^|\s)--(scheme|unroll|ram-budget|flash-budget|calibration)\b", d.Description.ToString()));
        Assert.Equal("raise the budget, use TinyLocUnroll=none, or use TinyLocScheme=static", GeneratorDiagnostics.FlashBudgetExceeded.Description.ToString());
    }

    [Fact]
    public void Settings_documented_in_the_props_file_are_the_ones_the_generator_reads()
    {
        string props = File.ReadAllText(Path.Combine(GeneratorPaths.GeneratorProject, "build", "TinyLoc.Generator.props"));
        foreach (string name in Parsing.SettingsReader.Names)
        {
            Assert.Contains($"<CompilerVisibleProperty Include=\"{name}\" />", props);
            Assert.Contains($"<CompilerVisibleItemMetadata Include=\"AdditionalFiles\" MetadataName=\"{name}\" />", props);
        }
    }

    private static DiagnosticSeverity Map(CompilerSeverity severity) => severity switch
    {
        CompilerSeverity.Error => DiagnosticSeverity.Error,
        CompilerSeverity.Warning => DiagnosticSeverity.Warning,
        _ => DiagnosticSeverity.Info,
    };
}
