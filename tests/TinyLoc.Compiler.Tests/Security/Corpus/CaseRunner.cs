using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Emit;

namespace TinyLoc.Compiler.Tests.Security.Corpus;

/// <summary>What one case came to: the diagnostics, an escaped exception, the bytes its thread allocated and the time it took.</summary>
internal sealed record CaseResult(bool Finished, bool Success, IReadOnlyList<Diagnostic> Diagnostics, Exception? Exception, long AllocatedBytes, TimeSpan Elapsed);

/// <summary>
/// Runs a case as the command line does (<see cref="Compilation.Create"/>, then emit C for stm32 and C# for dotnet,
/// or the case's template folder) on a thread of its own, so that the bytes it allocates can be counted
/// (<see cref="GC.GetAllocatedBytesForCurrentThread"/>, unaffected by tests running in parallel) and a case that
/// blocks (a FIFO opened) is reported instead of hanging the test run.
/// </summary>
internal static class CaseRunner
{
    /// <summary>Only a guard against a blocked case (a FIFO opened for reading waits forever); no case comes near it.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(5);

    public static CaseResult Run(CaseInput input)
    {
        CaseResult? result = null;
        var thread = new Thread(() => result = RunHere(input), 16 * 1024 * 1024) { IsBackground = true };
        thread.Start();
        return thread.Join(HangGuard) && result is not null
            ? result
            : new CaseResult(false, false, Array.Empty<Diagnostic>(), null, 0, HangGuard);
    }

    private static CaseResult RunHere(CaseInput input)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var diagnostics = new List<Diagnostic>();
        bool success = false;
        Exception? exception = null;
        try
        {
            var c = Compilation.Create(input.Manifest, input.Options);
            if (c.Success)
            {
                success = input.Templates is null
                    ? c.Emit("stm32") is not null && c.Emit("dotnet") is not null
                    : c.Emit("stm32", TemplateSource.FromDirectory(input.Templates)) is not null;
            }

            diagnostics.AddRange(c.Diagnostics.Items);
            success &= !c.Diagnostics.HasErrors;
        }
        catch (Exception e)
        {
            exception = e;
        }

        clock.Stop();
        return new CaseResult(true, success, diagnostics, exception, GC.GetAllocatedBytesForCurrentThread() - before, clock.Elapsed);
    }
}
