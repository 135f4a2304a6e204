using System;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// A <see cref="TheoryAttribute"/> that skips the test, saying where to download the data, when the
/// dataset folder is missing under <see cref="RepoPaths.DataRoot"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresDatasetTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips the test unless dataset <paramref name="datasetFolder"/> is present.</summary>
    /// <param name="datasetFolder">The dataset's folder name, e.g. <see cref="DatasetCatalog.KolakowskiBle"/>.</param>
    public RequiresDatasetTheoryAttribute(string datasetFolder)
    {
        DatasetFolder = datasetFolder;
        if (!TestPaths.HasDataset(datasetFolder))
        {
            Skip = DatasetCatalog.MissingMessage(datasetFolder);
        }
    }

    /// <summary>The dataset's folder name.</summary>
    public string DatasetFolder { get; }
}
