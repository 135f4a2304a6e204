using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.Tests.Golden;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Tests.Mcu;
using TinyLoc.Compiler.Tests.Runtime;
using TinyLoc.Tests.Shared;
using Xunit;
using Xunit.Abstractions;

namespace TinyLoc.Compiler.Tests.Examples;

/// <summary>
/// examples/stm32-qemu: the Kolakowski robot run replayed through the runtime and the generated kolakowski_mlp on the
/// emulated Cortex-M4 (and rv32) prints exactly what the same program prints on the host (ASan + UBSan), and its
/// model mean error is, to the bit, the host evaluation's (<c>tinyloc evaluate</c>, the reference evaluator). The
/// image also checks the report's runtime sizes: the runtime instance's RAM exactly, its flash within tolerance.
/// </summary>
public sealed partial class Stm32QemuExampleTests(ITestOutputHelper output)
{
    private static string Example => Path.Combine(RepoPaths.RepoRoot, "examples", "stm32-qemu");

    [RequiresMcuAndDatasetTheory(DatasetCatalog.KolakowskiBle)]
    [InlineData("cortex-m4")]
    [InlineData("rv32")]
    public void TheReplayPrintsTheSameOnTheMcuAsOnTheHostAndScoresAsTheHostEvaluation(string targetName)
    {
        var target = McuTarget.ByName(targetName);
        var c = GoldenModels.Compile("kolakowski_mlp", "static");
        using var scratch = ScratchDirectory.Create("stm32-qemu-" + targetName);
        string dir = scratch.Path;
        string model = GoldenModels.EmitTo(c, target.EmitTarget, Path.Combine(dir, "model"));
        var modelFiles = Directory.EnumerateFiles(model, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var sources = modelFiles.Where(f => f.EndsWith(".c", StringComparison.Ordinal)).Prepend(Path.Combine(Example, "main.c")).ToList();
        var includes = modelFiles.Where(f => f.EndsWith(".h", StringComparison.Ordinal)).Select(f => Path.GetDirectoryName(f)!).Distinct().ToList();
        using (var gz = new GZipStream(File.OpenRead(RobotRun.Path), CompressionMode.Decompress))
        using (var csv = File.Create(Path.Combine(dir, "robot.csv")))
        {
            gz.CopyTo(csv);
        }

        // The host: the strict flags with ASan and UBSan.
        string replay = Path.Combine(dir, "replay");
        CHost.BuildProgram([Path.Combine(Example, "main.c"), .. modelFiles], replay, ["-lm"], CHostOptions.Default with { CompileTimeout = TimeSpan.FromMinutes(10) });
        string hostText = string.Join("\n", CHost.RunProgram(replay, [], dir, CHostOptions.Default with { RunTimeout = TimeSpan.FromMinutes(10) }).Split('\n').Where(l => l.Length > 0));

        // The microcontroller: the project's startup code and linker script, semihosting reads robot.csv.
        string elf = McuBuilder.BuildProgram(target, dir, sources, includes, ["-lm"]);
        var qemu = ProcessRunner.Run(target.Qemu, [.. target.QemuMachine, "-kernel", elf], dir, TimeSpan.FromMinutes(10));
        Assert.True(qemu.Succeeded, qemu.Describe());
        string mcuText = string.Join("\n", (qemu.StandardOutput + "\n" + qemu.StandardError).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !l.StartsWith("qemu-", StringComparison.Ordinal)));
        output.WriteLine(mcuText);
        if (target == McuTarget.CortexM4)
        {
            Assert.Equal(hostText, mcuText);
        }
        else
        {
            // rv32: every answer's bits (the hash line) and every printed number are the host's; the mean errors'
            // doubles may differ in their last bits, because picolibc's strtof/strtod/sqrt (the example's own scoring,
            // not the model or the runtime) are not correctly rounded in every case.
            Assert.Equal(Bitless().Replace(hostText, string.Empty), Bitless().Replace(mcuText, string.Empty));
        }

        // 719 rows, 719 answers, and the model's mean error is the host evaluation's double, bit for bit.
        Assert.Contains("719 rows, 719 answers, runtime counters: unknown 0, invalid 0, late 0, empty rows 0", mcuText);
        var bag = new DiagnosticBag();
        var data = DatasetEvaluation.Load(c.Manifest!, RobotRun.Path, null, bag)!;
        var evaluation = DatasetEvaluation.Score("reference", c.Manifest!, data, c.Evaluate);
        var mean = MeanErrorLine().Match(hostText);
        Assert.True(mean.Success, mcuText);
        Assert.Equal(BitConverter.DoubleToInt64Bits(evaluation.MeanError).ToString("x16", CultureInfo.InvariantCulture), mean.Groups[2].Value);
        Assert.Equal(Math.Round(evaluation.MeanError, 3).ToString("0.000", CultureInfo.InvariantCulture), mean.Groups[1].Value);

        // The report's runtime: the instance's RAM exactly (its window and outputs are the report's I/O), its flash
        // (every function of the runtime and the model's descriptor and beacon table: the objects' text, rodata and
        // data, which a firmware calling the whole API links) within the flash tolerance.
        var r = c.Report!;
        Assert.Equal(r.RuntimeStateBytes + r.InputBytes + r.OutputBytes, McuBuilder.SymbolSize(target, elf, "loc"));
        long flash = new[] { "tinyloc_runtime.o", "kolakowski_mlp_runtime.o" }.Sum(o =>
        {
            var (text, data, _) = McuBuilder.Size(target, Path.Combine(dir, o));
            return text + data;
        });
        var runtimeReport = Compilation.Create(GoldenModels.Manifest("kolakowski_mlp"), new CompileOptions { Scheme = "static", Core = TinyLoc.Compiler.Ops.CostModel.ByName(target.Core)! }).Report!;
        double error = (runtimeReport.RuntimeFlashBytes - flash) / (double)flash;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"runtime flash {target.Name}: estimate {runtimeReport.RuntimeFlashBytes} B, linked {flash} B ({error:P1})"));
        Assert.InRange(error, -McuReportHonestyTests.FlashTolerance, McuReportHonestyTests.FlashTolerance);
        scratch.MarkSucceeded();
    }

    [GeneratedRegex(@" \(bits [0-9a-f]{16}\)")]
    private static partial Regex Bitless();

    [GeneratedRegex(@"^model mean error (\d+\.\d{3}) m over 719 answers \(bits ([0-9a-f]{16})\)$", RegexOptions.Multiline)]
    private static partial Regex MeanErrorLine();
}
