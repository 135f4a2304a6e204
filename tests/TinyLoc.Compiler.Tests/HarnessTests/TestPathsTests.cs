using System;
using System.IO;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Compiler.Tests.HarnessTests;

public sealed class TestPathsTests
{
    [Fact]
    public void RepoRoot_holds_the_solution()
    {
        Assert.True(File.Exists(Path.Combine(RepoPaths.RepoRoot, RepoPaths.SolutionFileName)));
        Assert.True(Directory.Exists(TestPaths.TestProject));
        Assert.Equal(Path.Combine(RepoPaths.RepoRoot, "examples", "models"), RepoPaths.ExamplesModels);
        Assert.Equal(Path.Combine(RepoPaths.RepoRoot, "tests", "testdata"), RepoPaths.TestData);
    }

    [Fact]
    public void DataRoot_defaults_beside_the_repository_unless_TINYLOC_DATA_is_set()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(RepoPaths.DataEnvironmentVariable);
        string expected = string.IsNullOrWhiteSpace(fromEnvironment)
            ? Path.GetFullPath(Path.Combine(RepoPaths.RepoRoot, "..", "shared", "datasets"))
            : Path.GetFullPath(fromEnvironment);

        Assert.Equal(expected, RepoPaths.DataRoot);
    }

    [Fact]
    public void HasDataset_is_false_for_an_unknown_folder()
    {
        Assert.False(TestPaths.HasDataset("no-such-dataset-7c1f"));
        Assert.Null(TestPaths.Dataset("no-such-dataset-7c1f"));
    }

    [RequiresDatasetFact(DatasetCatalog.UjiIndoorLoc)]
    public void Dataset_folders_match_case_insensitively()
    {
        Assert.True(TestPaths.HasDataset("UJIIndoorLoc"));
        Assert.Equal(TestPaths.Dataset(DatasetCatalog.UjiIndoorLoc), TestPaths.Dataset("UJIIndoorLoc"));
    }
}
