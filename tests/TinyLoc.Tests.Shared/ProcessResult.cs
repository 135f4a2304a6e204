namespace TinyLoc.Tests.Shared;

/// <summary>What a finished child process left behind.</summary>
/// <param name="CommandLine">The command line as run, for messages.</param>
/// <param name="ExitCode">The exit code (-1 when the process was killed on time-out).</param>
/// <param name="StandardOutput">Everything written to stdout.</param>
/// <param name="StandardError">Everything written to stderr.</param>
/// <param name="TimedOut">True when the process was killed because it ran too long.</param>
public sealed record ProcessResult(
    string CommandLine,
    int ExitCode,
    string StandardOutput,
    string StandardError,
    bool TimedOut)
{
    /// <summary>True when the process finished in time with exit code 0.</summary>
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>A multi-line description: command, exit code, stdout and stderr.</summary>
    public string Describe()
    {
        string status = TimedOut ? "timed out and was killed" : $"exited with code {ExitCode}";
        return $"$ {CommandLine}\n{status}\n--- stdout ---\n{Trim(StandardOutput)}\n--- stderr ---\n{Trim(StandardError)}";
    }

    /// <summary>The same text as <see cref="Describe"/>, so a result in a message reads well.</summary>
    public override string ToString() => Describe();

    private static string Trim(string text)
    {
        const int limit = 20_000;
        return text.Length <= limit ? text : text[..limit] + $"\n... ({text.Length - limit} more characters)";
    }
}
