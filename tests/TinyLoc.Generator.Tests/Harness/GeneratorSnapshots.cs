using TinyLoc.Tests.Shared;

namespace TinyLoc.Generator.Tests.Harness;

/// <summary>
/// Approved-file snapshots of generated sources in <c>tests/TinyLoc.Generator.Tests/Snapshots</c>, with the
/// shared conventions of <see cref="ApprovalStore"/>: <c>NAME.verified.txt</c> is committed, a mismatch writes
/// <c>NAME.received.txt</c> beside it and fails, <c>TINYLOC_ACCEPT=1</c> accepts the received text instead.
/// </summary>
public static class GeneratorSnapshots
{
    /// <summary>Fails unless <paramref name="received"/> equals <c>Snapshots/NAME.verified.txt</c>.</summary>
    /// <param name="name">The snapshot's name (a file name without extension).</param>
    /// <param name="received">The text the test produced.</param>
    public static void Verify(string name, string received) =>
        ApprovalStore.FromEnvironment(GeneratorPaths.Snapshots).Verify(name, received, "txt");
}
