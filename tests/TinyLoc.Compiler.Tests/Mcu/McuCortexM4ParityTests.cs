using Xunit;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>
/// The generated C on Cortex-M4F: every model × scheme × layer form, the <c>stm32</c> target's files
/// cross-compiled with arm-none-eabi-gcc -O2, linked with the project's startup code and STM32L4 linker
/// script, run on every golden input under qemu-system-arm (mps2-an386) with semihosting: outputs must
/// be bit-identical to the reference evaluator, and classifiers pick the same class. A failure names
/// the first differing output. (Its own class, so that xunit runs it beside the rv32 one.)
/// </summary>
public sealed class McuCortexM4ParityTests
{
    [RequiresMcuToolchainTheory]
    [MemberData(nameof(McuCases.AllModels), MemberType = typeof(McuCases))]
    public void OutputsAreBitIdenticalToTheReference(string model, string scheme, string unroll) =>
        McuParity.Assert(McuCases.Get(model, scheme, unroll, McuTarget.CortexM4));

    /// <summary>The ONNX imports of shapes no family has, as every model: the same bits on the core.</summary>
    [RequiresMcuToolchainTheory]
    [MemberData(nameof(McuCases.OnnxModels), MemberType = typeof(McuCases))]
    public void OnnxModelsAreBitIdenticalToTheReference(string model, string scheme, string unroll) =>
        McuParity.Assert(McuCases.Get(model, scheme, unroll, McuTarget.CortexM4));

    /// <summary>The sequence families (conv, norms, attention, the scan, the CRF: float islands with the compiler's own exp, log1p, tanh and inverse square root) on the FPU, looped.</summary>
    [RequiresMcuToolchainTheory]
    [MemberData(nameof(McuCases.SequenceModels), MemberType = typeof(McuCases))]
    public void SequenceModelsAreBitIdenticalToTheReference(string model, string scheme, string unroll) =>
        McuParity.Assert(McuCases.Get(model, scheme, unroll, McuTarget.CortexM4));

    /// <summary>The same in the layer schedule (<c>--schedule layer</c>), where the default schedule fuses.</summary>
    [RequiresMcuToolchainTheory]
    [MemberData(nameof(McuCases.LayerSchedule), MemberType = typeof(McuCases))]
    public void TheLayerScheduleIsBitIdenticalToTheReference(string model, string scheme) =>
        McuParity.Assert(McuCases.Get(model, scheme, "none", McuTarget.CortexM4, TinyLoc.Compiler.Passes.ScheduleMode.Layer));
}
