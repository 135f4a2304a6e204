using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Tests.Harness;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>
/// Runs a <see cref="McuBuild"/> under QEMU with semihosting, optionally with the instruction-counting
/// plugin, and reads back the driver's output lines and the plugin's counts.
/// </summary>
/// <remarks>
/// Semihosting output reaches the host on stdout (newlib on Cortex-M) or stderr (picolibc on RISC-V),
/// so the protocol lines (<c>tinyloc-...</c>) are collected from both; anything else QEMU prints is
/// ignored. The plugin writes to its own log file (<c>-d plugin -D FILE</c>).
/// </remarks>
public static class QemuRunner
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Runs the program on every input it embeds.</summary>
    /// <param name="build">The program.</param>
    /// <param name="vectorCount">How many inputs it embeds.</param>
    /// <param name="classify">Whether it prints classes.</param>
    /// <param name="countInstructions">Load the plugin and return the counting windows.</param>
    public static QemuRun Run(McuBuild build, int vectorCount, bool classify, bool countInstructions)
    {
        var target = build.Target;
        var args = new List<string>(target.QemuMachine) { "-kernel", build.Elf };
        string log = Path.Combine(build.Folder, $"plugin-{Guid.NewGuid():N}.log");
        if (countInstructions)
        {
            long begin = McuBuilder.SymbolAddress(target, build.Elf, McuDriverWriter.BeginMarker);
            long end = McuBuilder.SymbolAddress(target, build.Elf, McuDriverWriter.EndMarker);
            args.AddRange([
                "-plugin", string.Create(CultureInfo.InvariantCulture, $"{InstructionCountPlugin.LibraryPath},begin=0x{begin:x},end=0x{end:x}"),
                "-d", "plugin", "-D", log]);
        }

        var run = ProcessRunner.Run(target.Qemu, args, build.Folder, RunTimeout);
        if (!run.Succeeded)
        {
            throw new HarnessException($"Running the {target.Name} build of '{build.ModelName}' under QEMU failed (files kept in {build.Folder}).\n{run.Describe()}", build.Folder);
        }

        string lines = string.Join("\n", Protocol(run.StandardOutput).Concat(Protocol(run.StandardError)));
        CRunResult result;
        try
        {
            result = CHost.ParseOutput(lines, vectorCount, classify);
        }
        catch (FormatException e)
        {
            throw new HarnessException($"The {target.Name} build of '{build.ModelName}' printed unexpected output: {e.Message}\n{run.Describe()}", e);
        }

        var windows = new List<long>();
        if (countInstructions)
        {
            foreach (string line in File.ReadAllLines(log))
            {
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 3 && parts[0] == "tinyloc-insns-window")
                {
                    windows.Add(long.Parse(parts[2], CultureInfo.InvariantCulture));
                }
            }

            File.Delete(log);
            if (windows.Count != vectorCount + 1)
            {
                throw new HarnessException($"The plugin counted {windows.Count} windows; expected {vectorCount + 1} (the markers, then one per input).");
            }
        }

        return new QemuRun(result, windows);
    }

    private static IEnumerable<string> Protocol(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Where(l => l.StartsWith("tinyloc-", StringComparison.Ordinal));
}
