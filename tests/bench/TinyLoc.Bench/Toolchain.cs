using System;
using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Tests.Mcu;

namespace TinyLoc.Bench;

/// <summary>The versions of the tools behind the numbers, for the results file.</summary>
public static class Toolchain
{
    /// <summary>One line per tool: the first line of its <c>--version</c> output, and the flags used.</summary>
    public static IReadOnlyList<string> Versions()
    {
        var t = McuTarget.CortexM4;
        return
        [
            $"{First(t.Gcc)}; flags `{string.Join(' ', t.CompileFlags)}`",
            $"{First(t.Qemu)}; machine `{string.Join(' ', t.QemuMachine)}`",
        ];
    }

    private static string First(string tool)
    {
        var r = ProcessRunner.Run(tool, ["--version"], Environment.CurrentDirectory, TimeSpan.FromSeconds(30));
        return r.StandardOutput.Split('\n').FirstOrDefault()?.Trim() ?? tool;
    }
}
