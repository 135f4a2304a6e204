using System;
using Xunit;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>
/// A <see cref="TheoryAttribute"/> for tests that cross-compile and run under QEMU: skipped with an
/// install hint when the toolchain is missing, except in CI (<c>CI=true</c> or <c>TINYLOC_REQUIRE_MCU=1</c>), where it runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresMcuToolchainTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips the test when a program of any MCU target is missing outside CI.</summary>
    public RequiresMcuToolchainTheoryAttribute() => Skip = McuToolchain.SkipReason(McuToolchain.MissingAny());
}
