using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>
/// Whether the cross toolchains and QEMU are installed, and what a test does when they are not: on a
/// developer's machine it skips with a message naming the missing programs and the Debian packages
/// that provide them; in CI (<c>CI=true</c>, or <c>TINYLOC_REQUIRE_MCU=1</c>, which <c>.ci/run</c> sets
/// after installing them) it runs and fails, because a silent skip would hide a broken install.
/// </summary>
public static class McuToolchain
{
    /// <summary>The Debian packages that provide everything (<c>../shared/docs/toolchain.md</c>).</summary>
    public const string Packages = "gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc";

    /// <summary>The host C compiler that builds the QEMU plugin.</summary>
    public const string HostGcc = "gcc";

    /// <summary>The variable <c>.ci/run</c> sets so that missing tools fail the MCU tests even where <c>CI</c> is not set.</summary>
    public const string RequireVariable = "TINYLOC_REQUIRE_MCU";

    /// <summary>True when <c>CI</c> is <c>true</c> or <see cref="RequireVariable"/> is <c>1</c>: missing tools then fail tests instead of skipping them.</summary>
    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        || Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>The programs of <paramref name="target"/> (and the host gcc) that are not on PATH.</summary>
    /// <param name="target">The MCU target.</param>
    public static IReadOnlyList<string> Missing(McuTarget target) =>
        target.Tools.Append(HostGcc).Where(t => Find(t) is null).ToList();

    /// <summary>The programs of every target that are not on PATH.</summary>
    public static IReadOnlyList<string> MissingAny() => McuTarget.All.SelectMany(Missing).Distinct().ToList();

    /// <summary>
    /// The reason to skip, or null to run: null when everything is installed, and always null in CI.
    /// </summary>
    /// <param name="missing">The missing programs.</param>
    public static string? SkipReason(IReadOnlyList<string> missing) =>
        missing.Count == 0 || IsCi
            ? null
            : $"MCU toolchain not installed ({string.Join(", ", missing)}); install with: apt-get install {Packages} (CI=true or {RequireVariable}=1 makes this a failure)";

    /// <summary>Fails with an install hint when a program of <paramref name="target"/> is missing (the CI case).</summary>
    /// <param name="target">The MCU target.</param>
    /// <exception cref="InvalidOperationException">A program is missing.</exception>
    public static void Require(McuTarget target)
    {
        var missing = Missing(target);
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The MCU tests need {string.Join(", ", missing)} on PATH; CI installs them (.ci/run): apt-get install {Packages}");
        }
    }

    /// <summary>The full path of <paramref name="program"/> on PATH, or null.</summary>
    /// <param name="program">A program name without a folder.</param>
    public static string? Find(string program)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (string dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
