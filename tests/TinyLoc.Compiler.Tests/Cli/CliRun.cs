using System;
using System.IO;

namespace TinyLoc.Compiler.Tests.Cli;

/// <summary>Runs <c>tinyloc</c> in process, as the "cli" collection's tests do.</summary>
internal static class CliRun
{
    /// <summary>Runs <c>tinyloc</c> with <paramref name="args"/>; what it printed to stdout and stderr.</summary>
    public static int Run(out string stdout, out string stderr, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var (previousOut, previousError) = (Console.Out, Console.Error);
        try
        {
            Console.SetOut(output);
            Console.SetError(error);
            return TinyLoc.Cli.Program.Main(args);
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
            stdout = output.ToString();
            stderr = error.ToString();
        }
    }
}
