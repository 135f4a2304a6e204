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
        ProcessResult run = ProcessRunner.Run(Binary.Value, [file], scratch.Path, TimeSpan.FromMinutes(10));
        if (!run.Succeeded || run.StandardError.Length > 0)
        {
            throw new HarnessException($"runtime_driver failed (script kept in {scratch.Path}).\n{run.Describe()}", scratch.Path);
        }

        scratch.MarkSucceeded();
        return run.StandardOutput.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static string Build()
    {
        string dir = Path.Combine(ScratchDirectory.Root, "runtime-driver-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        string exe = Path.Combine(dir, "runtime_driver");
        var args = new System.Collections.Generic.List<string>(CHost.DefaultFlags)
        {
            "-I", RuntimeFolder,
            Path.Combine(TestPaths.TestProject, "Runtime", "runtime_driver.c"),
            Path.Combine(RuntimeFolder, "tinyloc_runtime.c"),
            "-o", exe,
        };
        ProcessResult build = ProcessRunner.Run("gcc", args, dir, TimeSpan.FromMinutes(10));
        if (!build.Succeeded || build.StandardError.Length > 0)
        {
            throw new HarnessException($"building runtime_driver failed.\n{build.Describe()}", dir);
        }

        return exe;
    }
}
