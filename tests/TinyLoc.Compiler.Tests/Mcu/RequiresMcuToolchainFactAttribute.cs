using System;
using System.Linq;
using Xunit;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>
/// The <see cref="FactAttribute"/> twin of <see cref="RequiresMcuToolchainTheoryAttribute"/>: skipped with an install
/// hint when a program it needs is missing, except in CI (<c>CI=true</c> or <c>TINYLOC_REQUIRE_MCU=1</c>), where it
/// runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresMcuToolchainFactAttribute : FactAttribute
{
    /// <summary>Skips the test when one of <paramref name="programs"/> (none given: any MCU target's program) is missing outside CI.</summary>
    /// <param name="programs">The programs the test runs, e.g. <c>riscv64-unknown-elf-gcc</c> for a compile-only check.</param>
    public RequiresMcuToolchainFactAttribute(params string[] programs) =>
        Skip = McuToolchain.SkipReason(programs.Length == 0
            ? McuToolchain.MissingAny()
            : programs.Where(p => McuToolchain.Find(p) is null).ToList());
}
