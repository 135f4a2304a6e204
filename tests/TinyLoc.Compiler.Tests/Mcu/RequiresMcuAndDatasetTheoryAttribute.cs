using System;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>
/// A <see cref="TheoryAttribute"/> for tests that run a real recording under QEMU: skipped, saying where to get it,
/// when the dataset is missing; and, like <see cref="RequiresMcuToolchainTheoryAttribute"/>, skipped with an install
/// hint when the toolchain is missing outside CI.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresMcuAndDatasetTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips the test unless dataset <paramref name="datasetFolder"/> and (outside CI) the MCU toolchains are present.</summary>
    /// <param name="datasetFolder">The dataset's folder name, e.g. <see cref="DatasetCatalog.KolakowskiBle"/>.</param>
    public RequiresMcuAndDatasetTheoryAttribute(string datasetFolder) =>
        Skip = TestPaths.HasDataset(datasetFolder) ? McuToolchain.SkipReason(McuToolchain.MissingAny()) : DatasetCatalog.MissingMessage(datasetFolder);
}
