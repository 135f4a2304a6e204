using System.Linq;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Tests.Mcu;
using TinyLoc.Compiler.Tests.Units;
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
        float[] xs = TlMathEmittedTests.Arguments();
        var scratch = ScratchDirectory.Create("mcu-" + target + "-tlmath");
        string source = TlMathEmittedTests.WriteC(scratch.Path, xs.Length);
        var build = McuBuilder.BuildSources(McuTarget.ByName(target), scratch, TlMathEmittedTests.Name, source, scratch.Path, new[] { xs }, classify: false);
        var run = QemuRunner.Run(build, 1, classify: false, countInstructions: false);
        FloatCompare.AssertBitIdentical(new[] { TlMathEmittedTests.Expected(xs) }, run.Result.Outputs, $"log1p, softplus, elu, rsqrt on {target}");
    }
}
