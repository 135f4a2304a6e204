using System;
using System.IO;
using TinyLoc.Compiler.Tests.Harness;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>
/// The project's QEMU TCG plugin (<c>tests/mcu/plugin/insn_count.c</c>), built once per process with the
/// host gcc into a scratch folder. It counts executed guest instructions between two marker addresses.
/// </summary>
public static class InstructionCountPlugin
{
    private static readonly Lazy<string> Library = new(Build);

    /// <summary>The plugin's source file.</summary>
    public static string Source => Path.Combine(McuTarget.HarnessFolder, "plugin", "insn_count.c");

    /// <summary>The path of the built shared library (built on first use).</summary>
    public static string LibraryPath => Library.Value;

    private static string Build()
    {
        var scratch = ScratchDirectory.Create("mcu-plugin");
        string so = scratch.File("libinsn_count.so");
        var r = ProcessRunner.Run(
            McuToolchain.HostGcc,
            ["-shared", "-fPIC", "-O2", .. McuTarget.StrictC99, "-o", so, Source],
            scratch.Path,
            TimeSpan.FromMinutes(5));
        if (!r.Succeeded || r.StandardError.Length > 0)
        {
            throw new HarnessException($"Building the QEMU plugin failed (files kept in {scratch.Path}).\n{r.Describe()}", scratch.Path);
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            scratch.MarkSucceeded();
            scratch.Dispose();
        };
        return so;
    }
}
