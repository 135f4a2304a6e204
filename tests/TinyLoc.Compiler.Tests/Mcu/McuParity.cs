using System.Linq;
using TinyLoc.Compiler.Tests.Harness;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>The assertion both parity classes share: bit-identical outputs, the same classes.</summary>
public static class McuParity
{
    /// <summary>Runs the case's program (once per process) and compares it with the reference evaluator.</summary>
    /// <param name="c">The case.</param>
    public static void Assert(McuCase c)
    {
        var run = c.FirstRun;
        FloatCompare.AssertBitIdentical(c.Reference, run.Result.Outputs, $"{c.Label} on {c.Target.Name} (QEMU) vs the reference evaluator");
        if (c.Classify)
        {
            Xunit.Assert.Equal(c.Reference.Select(c.Compilation.Manifest!.ClassOf).ToArray(), run.Result.Classes);
        }
    }
}
