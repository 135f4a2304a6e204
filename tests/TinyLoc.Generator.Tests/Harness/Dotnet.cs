using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using TinyLoc.Tests.Shared;

namespace TinyLoc.Generator.Tests.Harness;

/// <summary>
/// Runs the <c>dotnet</c> command line as a user would, in a clean environment: the MSBuild variables
/// that <c>dotnet test</c> sets for its own build are removed, so the child resolves its SDK normally.
/// </summary>
public static class Dotnet
{
    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="directory"/>.</summary>
    /// <param name="directory">The working folder.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="timeout">Kill the process (and only its tree) after this long.</param>
    /// <param name="arguments">The arguments.</param>
    public static ProcessResult Run(string directory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] arguments) =>
        RunProgram("dotnet", directory, environment, timeout, arguments);

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/>.</summary>
    /// <param name="program">The program (looked up on PATH).</param>
    /// <param name="directory">The working folder.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="timeout">Kill the process (and only its tree) after this long.</param>
    /// <param name="arguments">The arguments.</param>
    public static ProcessResult RunProgram(string program, string directory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        string commandLine = program + " " + string.Join(' ', arguments);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + commandLine);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        bool exited = process.WaitForExit(timeout);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        return new ProcessResult(commandLine, exited ? process.ExitCode : -1, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult(), TimedOut: !exited);
    }
}
