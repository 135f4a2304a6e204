using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using TinyLoc.Tests.Shared;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>Runs a child process with captured output and a time limit.</summary>
public static class ProcessRunner
{
    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/> in
    /// <paramref name="workingDirectory"/> and waits for it, killing it (and only it, with its
    /// children) after <paramref name="timeout"/>.
    /// </summary>
    /// <param name="fileName">The program to run (looked up on PATH).</param>
    /// <param name="arguments">The arguments, passed one by one without shell quoting.</param>
    /// <param name="workingDirectory">The working directory of the child.</param>
    /// <param name="timeout">How long to wait before killing the child.</param>
    /// <param name="environment">Extra environment variables for the child, or null.</param>
    public static ProcessResult Run(
        string fileName,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (KeyValuePair<string, string> pair in environment)
            {
                startInfo.Environment[pair.Key] = pair.Value;
            }
        }

        string commandLine = string.Join(' ', new[] { fileName }.Concat(arguments).Select(Quote));
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start '{commandLine}'.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();

        bool exited = process.WaitForExit(timeout);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        else
        {
            process.WaitForExit();
        }

        return new ProcessResult(
            commandLine,
            exited ? process.ExitCode : -1,
            stdout.GetAwaiter().GetResult(),
            stderr.GetAwaiter().GetResult(),
            TimedOut: !exited);
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_=./,:+@%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
