using System.Collections.Generic;
using System.IO;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Tests.Shared;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>
/// One microcontroller the generated C is checked on: the compiler's target whose files are built,
/// the cross tools, their flags, the project's startup code and linker script (<c>tests/mcu</c>),
/// and the QEMU machine that runs the result. The flags are the ones <c>../shared/docs/toolchain.md</c>
/// checked; <c>-ffp-contract=off</c> is also set by a pragma in the generated C, and is given here too.
/// </summary>
/// <param name="Name">A short name for messages and folders: <c>cortex-m4</c>, <c>rv32</c>.</param>
/// <param name="EmitTarget">The compiler target whose C files are built (<c>stm32</c>, <c>esp-idf</c>).</param>
/// <param name="ToolPrefix">The cross tools' prefix, e.g. <c>arm-none-eabi-</c>.</param>
/// <param name="CompileFlags">Flags of every C compile (architecture, optimisation, warnings).</param>
/// <param name="LinkFlags">Flags of the link, before the objects (specs, script, gc-sections).</param>
/// <param name="LinkLibraries">Flags after the objects (libraries).</param>
/// <param name="StartupSource">The startup C file, relative to <c>tests/mcu</c>.</param>
/// <param name="LinkerScript">The linker script, relative to <c>tests/mcu</c>.</param>
/// <param name="Qemu">The QEMU system emulator.</param>
/// <param name="QemuMachine">The arguments that select and configure the machine (before <c>-kernel</c>).</param>
public sealed record McuTarget(
    string Name,
    string EmitTarget,
    string ToolPrefix,
    IReadOnlyList<string> CompileFlags,
    IReadOnlyList<string> LinkFlags,
    IReadOnlyList<string> LinkLibraries,
    string StartupSource,
    string LinkerScript,
    string Qemu,
    IReadOnlyList<string> QemuMachine)
{
    /// <summary>Warnings as errors, strict C99: the generated code, the driver and the startup all pass these.</summary>
    public static readonly IReadOnlyList<string> StrictC99 = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic"];

    /// <summary>
    /// Cortex-M4F (STM32L4 class): <c>arm-none-eabi-gcc</c> -O2 with the single-precision FPU, newlib-nano
    /// with semihosting (rdimon), run on <c>qemu-system-arm -M mps2-an386</c>.
    /// </summary>
    public static readonly McuTarget CortexM4 = new(
        "cortex-m4",
        "stm32",
        "arm-none-eabi-",
        ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16", "-O2", "-ffp-contract=off", "-ffunction-sections", "-fdata-sections", .. StrictC99],
        ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16", "--specs=nano.specs", "--specs=rdimon.specs", "-nostartfiles", "-Wl,--gc-sections"],
        [],
        "arm/startup.c",
        "arm/stm32l4.ld",
        "qemu-system-arm",
        ["-M", "mps2-an386", "-nographic", "-semihosting"]);

    /// <summary>
    /// rv32imc (ESP32-C3 class): the <c>esp-idf</c> target's C compiled with <c>riscv64-unknown-elf-gcc</c>
    /// -Os for rv32imc, linked for rv32imac (Debian ships no rv32imc multilib) with picolibc's
    /// semihosting library, run on <c>qemu-system-riscv32 -M virt</c>.
    /// </summary>
    public static readonly McuTarget Rv32 = new(
        "rv32",
        "esp-idf",
        "riscv64-unknown-elf-",
        ["--specs=picolibc.specs", "-march=rv32imc", "-mabi=ilp32", "-Os", "-ffp-contract=off", "-ffunction-sections", "-fdata-sections", .. StrictC99],
        ["--specs=picolibc.specs", "-march=rv32imac", "-mabi=ilp32", "--oslib=semihost", "-nostartfiles", "-Wl,--gc-sections"],
        [],
        "riscv/startup.c",
        "riscv/virt.ld",
        "qemu-system-riscv32",
        ["-M", "virt", "-bios", "none", "-nographic", "-semihosting"]);

    /// <summary>
    /// Cortex-M4F without the DSP kernels: the <see cref="CortexM4"/> build with <c>-DTINYLOC_NO_DSP</c>, so the
    /// generated C takes its portable int8 loops (what a core without the DSP extension, or a user who turns
    /// it off, runs). Runs on the same QEMU machine.
    /// </summary>
    public static readonly McuTarget CortexM4NoDsp = CortexM4 with
    {
        Name = "cortex-m4-nodsp",
        CompileFlags = [.. CortexM4.CompileFlags, "-DTINYLOC_NO_DSP"],
        Core = "cortex-m4-nodsp",
    };

    /// <summary>The compiler's core (<c>--core</c>) whose code-size constants describe this target's build.</summary>
    public string Core { get; init; } = EmitTarget == "esp-idf" ? "rv32imc" : "cortex-m4";

    /// <summary>The two instruction sets the parity tests run on.</summary>
    public static IReadOnlyList<McuTarget> All { get; } = [CortexM4, Rv32];

    /// <summary>Every build whose image the size report must describe: Cortex-M4 with and without DSP, rv32.</summary>
    public static IReadOnlyList<McuTarget> Sized { get; } = [CortexM4, CortexM4NoDsp, Rv32];

    /// <summary>The folder of the project's startup code, linker scripts and QEMU plugin: <c>tests/mcu</c>.</summary>
    public static string HarnessFolder => Path.Combine(RepoPaths.RepoRoot, "tests", "mcu");

    /// <summary>The C compiler driver.</summary>
    public string Gcc => ToolPrefix + "gcc";

    /// <summary>The tool that prints symbol addresses.</summary>
    public string Nm => ToolPrefix + "nm";

    /// <summary>The tool that prints text/data/bss sizes.</summary>
    public string Size => ToolPrefix + "size";

    /// <summary>Every program this target needs, for the availability check.</summary>
    public IEnumerable<string> Tools => [Gcc, Nm, Size, Qemu];

    /// <summary>Looks a target up by <see cref="Name"/>.</summary>
    /// <param name="name"><c>cortex-m4</c>, <c>cortex-m4-nodsp</c> or <c>rv32</c>.</param>
    public static McuTarget ByName(string name) => name switch
    {
        "cortex-m4" => CortexM4,
        "cortex-m4-nodsp" => CortexM4NoDsp,
        "rv32" => Rv32,
        _ => throw new System.ArgumentException($"unknown MCU target '{name}' (cortex-m4, cortex-m4-nodsp, rv32)", nameof(name)),
    };
}
