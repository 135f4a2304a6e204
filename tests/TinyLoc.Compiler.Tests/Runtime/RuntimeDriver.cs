using System;
using System.IO;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Tests.Shared;

namespace TinyLoc.Compiler.Tests.Runtime;

/// <summary>
/// runtime_driver.c with runtime/c/tinyloc_runtime.c, built once per test run for the host with the strict flags and
/// ASan + UBSan (<see cref="CHost.DefaultFlags"/>), and run on a <see cref="RuntimeScript"/>.
/// </summary>
public static class RuntimeDriver
{
    private static readonly Lazy<string> Binary = new(Build);

    public static string RuntimeFolder => Path.Combine(RepoPaths.RepoRoot, "runtime", "c");

    /// <summary>The C runtime's transcript of <paramref name="script"/> (the same lines as <see cref="RuntimeScript.RunCSharp"/>).</summary>
    public static string Run(RuntimeScript script)
    {
        using var scratch = ScratchDirectory.Create("runtime-script");
        string file = scratch.File("script.txt");
        File.WriteAllText(file, script.Text);
        string transcript = CHost.RunProgram(Binary.Value, [file], scratch.Path, CHostOptions.Default with { RunTimeout = TimeSpan.FromMinutes(10) });
        scratch.MarkSucceeded();
        return transcript;
    }

    private static string Build()
    {
        string dir = Path.Combine(ScratchDirectory.Root, "runtime-driver-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        string exe = Path.Combine(dir, "runtime_driver");
        CHost.BuildProgram(
            [
                Path.Combine(TestPaths.TestProject, "Runtime", "runtime_driver.c"),
                Path.Combine(RuntimeFolder, "tinyloc_runtime.c"),
                Path.Combine(RuntimeFolder, "tinyloc_runtime.h"),
            ],
            exe,
            options: CHostOptions.Default with { CompileTimeout = TimeSpan.FromMinutes(10) });
        return exe;
    }
}
