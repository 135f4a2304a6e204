using System.Linq;
using Xunit;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>
/// Instruction counts per inference on Cortex-M4, from the project's QEMU plugin: exact and repeatable,
/// so a second run of the same program counts the same number for every inference, to the instruction.
/// (They are instruction counts, not cycles; tests/mcu/README.md explains the difference. The speed
/// targets are measured by tests/bench, not asserted here.)
/// </summary>
public sealed class McuInstructionCountTests
{
    [RequiresMcuToolchainTheory]
    [MemberData(nameof(McuCases.Examples), MemberType = typeof(McuCases))]
    public void CountsAreRepeatableToTheInstruction(string model, string scheme, string unroll)
    {
        var c = McuCases.Get(model, scheme, unroll, McuTarget.CortexM4);
        var first = c.FirstRun;
        var second = c.Run();
        Assert.Equal(c.Inputs.Length, first.PerInference.Count);
        Assert.Equal(first.Windows, second.Windows);

        // A dual 16-bit MAC does two MACs in one instruction, and unrolled code skips zero weights, but no
        // inference of these dense models gets below one instruction per four MACs; the markers alone
        // cost a handful. Both guard against counting the wrong window.
        long macs = c.Compilation.Report!.Macs;
        Assert.All(first.PerInference, n => Assert.InRange(n, macs / 4, long.MaxValue));
        Assert.InRange(first.MarkerOverhead, 1, 8);
    }
}
