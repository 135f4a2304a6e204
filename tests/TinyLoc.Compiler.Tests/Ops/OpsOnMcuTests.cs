using System.Linq;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Tests.Mcu;
using TinyLoc.Compiler.Tests.Numerics;
using Xunit;

namespace TinyLoc.Compiler.Tests.Ops;

/// <summary>
/// The sequence ops and the new float helpers on the microcontrollers (Cortex-M4F with its FPU, rv32imc with
/// soft float), under QEMU: bit-identical to the reference evaluator, as on the host.
/// </summary>
public sealed class OpsOnMcuTests
{
    public static TheoryData<string> Targets() => new(McuTarget.All.Select(t => t.Name));

    [RequiresMcuToolchainTheory]
    [MemberData(nameof(Targets))]
    public void TheOpChainIsBitIdenticalOnTheMcu(string target)
    {
        var c = GraphParity.Compile(OpChainTests.MambaAndMdcsaShapedChain(), "ops_chain");
        var inputs = Enumerable.Range(0, 3).Select(i => GraphParity.Random(40, 90 + i)).ToArray();
        var build = McuBuilder.Build(c, McuTarget.ByName(target), inputs, "ops-chain");
        var run = QemuRunner.Run(build, inputs.Length, classify: false, countInstructions: false);
        FloatCompare.AssertBitIdentical(inputs.Select(c.Evaluate).ToArray(), run.Result.Outputs, $"the op chain on {target}");
    }

    [RequiresMcuToolchainTheory]
    [MemberData(nameof(Targets))]
    public void TheNewHelpersAreBitIdenticalOnTheMcu(string target)
    {
        // Two vectors of 256 arguments: the special values and every 8th of the host test's other arguments. (The
        // driver's arrays must fit the part's 64 KB of RAM, and QEMU can drop semihosting output when much more is printed.)
        const int width = 256;
        float[] host = TlMathEmittedTests.Arguments();
        float[] all = host.Take(TlMathEmittedTests.SpecialCount).Concat(host.Skip(TlMathEmittedTests.SpecialCount).Where((_, i) => i % 8 == 0)).Take(2 * width).ToArray();
        var xs = Enumerable.Range(0, (all.Length + width - 1) / width).Select(v => Enumerable.Range(v * width, width).Select(i => i < all.Length ? all[i] : 0.0f).ToArray()).ToArray();
        var scratch = ScratchDirectory.Create("mcu-" + target + "-tlmath");
        string source = TlMathEmittedTests.WriteC(scratch.Path, width);
        var build = McuBuilder.BuildSources(McuTarget.ByName(target), scratch, TlMathEmittedTests.Name, source, scratch.Path, xs, classify: false);
        var run = QemuRunner.Run(build, xs.Length, classify: false, countInstructions: false);
        FloatCompare.AssertBitIdentical(xs.Select(TlMathEmittedTests.Expected).ToArray(), run.Result.Outputs, $"log1p, softplus, elu, rsqrt on {target}");
    }
}
