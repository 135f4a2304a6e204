namespace TinyLoc.Generator.Tests.Harness;

/// <summary>What a finished child process left behind.</summary>
/// <param name="CommandLine">The command as run.</param>
/// <param name="ExitCode">The exit code (-1 when killed on time-out).</param>
/// <param name="Output">Standard output and standard error, in that order.</param>
/// <param name="TimedOut">True when the process was killed because it ran too long.</param>
public sealed record ProcessResult(string CommandLine, int ExitCode, string Output, bool TimedOut)
{
    /// <summary>The command, its exit code and its output, for assertion messages.</summary>
    public override string ToString() => $"$ {CommandLine}\n{(TimedOut ? "timed out" : "exit code " + ExitCode)}\n{Output}";
}
