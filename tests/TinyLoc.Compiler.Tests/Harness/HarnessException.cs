using System;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// A failure of code under test that the harness compiled or ran: a compiler error, a crash, a
/// sanitizer report, malformed output. The message carries the tool's own output.
/// </summary>
public sealed class HarnessException : Exception
{
    /// <summary>Creates the exception with a message that includes the tool's output.</summary>
    /// <param name="message">The full message.</param>
    public HarnessException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the scratch folder kept for inspection.</summary>
    /// <param name="message">The full message.</param>
    /// <param name="keptDirectory">The folder holding the failed build's files.</param>
    public HarnessException(string message, string? keptDirectory)
        : base(message)
    {
        KeptDirectory = keptDirectory;
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">The full message.</param>
    /// <param name="innerException">The cause.</param>
    public HarnessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The scratch folder left behind for inspection (null when none was kept).</summary>
    public string? KeptDirectory { get; }
}
