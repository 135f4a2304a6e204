using Xunit;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>
/// The generated C on rv32imc (ESP32-C3 class): every model × scheme × layer form, the <c>esp-idf</c>
/// target's files (the same C as <c>stm32</c>) cross-compiled with riscv64-unknown-elf-gcc -Os, linked
/// with the project's startup code and picolibc, run on every golden input under qemu-system-riscv32
/// (virt) with semihosting: outputs must be bit-identical to the reference evaluator, and classifiers
/// pick the same class. A failure names the first differing output.
/// </summary>
public sealed class McuRv32ParityTests
{
    [RequiresMcuToolchainTheory]
    [MemberData(nameof(McuCases.AllModels), MemberType = typeof(McuCases))]
    public void OutputsAreBitIdenticalToTheReference(string model, string scheme, string unroll) =>
        McuParity.Assert(McuCases.Get(model, scheme, unroll, McuTarget.Rv32));

    /// <summary>The ONNX imports of shapes no family has, as every model: the same bits on the core.</summary>
    [RequiresMcuToolchainTheory]
    [MemberData(nameof(McuCases.OnnxModels), MemberType = typeof(McuCases))]
    public void OnnxModelsAreBitIdenticalToTheReference(string model, string scheme, string unroll) =>
        McuParity.Assert(McuCases.Get(model, scheme, unroll, McuTarget.Rv32));

    /// <summary>The sequence families, looped, on a core without an FPU (soft float from libgcc).</summary>
    [RequiresMcuToolchainTheory]
    [MemberData(nameof(McuCases.SequenceModels), MemberType = typeof(McuCases))]
    public void SequenceModelsAreBitIdenticalToTheReference(string model, string scheme, string unroll) =>
        McuParity.Assert(McuCases.Get(model, scheme, unroll, McuTarget.Rv32));

    /// <summary>The same in the layer schedule (<c>--schedule layer</c>), where the default schedule fuses.</summary>
    [RequiresMcuToolchainTheory]
    [MemberData(nameof(McuCases.LayerSchedule), MemberType = typeof(McuCases))]
    public void TheLayerScheduleIsBitIdenticalToTheReference(string model, string scheme) =>
        McuParity.Assert(McuCases.Get(model, scheme, "none", McuTarget.Rv32, TinyLoc.Compiler.Passes.ScheduleMode.Layer));
}
