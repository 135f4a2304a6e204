using System.Collections.Generic;
using System.Linq;

namespace TinyLoc.Compiler.Tests.Security.Corpus;

/// <summary>
/// The hostile corpus of issue #15, generated at test time into a temp folder (nothing large is committed): the
/// seeds are the real PyTorch files of tests/testdata/models; see tests/testdata/hostile/README.md.
/// </summary>
internal static class HostileCorpus
{
    public static IReadOnlyList<HostileCase> Cases { get; } =
        PickleCases.All().Concat(ArchiveCases.All()).Concat(ManifestCases.All()).Concat(CsvCases.All()).Concat(FileCases.All()).ToList();

    public static HostileCase Find(string name) => Cases.Single(c => c.Name == name);
}
