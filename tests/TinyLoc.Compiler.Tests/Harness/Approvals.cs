using TinyLoc.Tests.Shared;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// Approved-file snapshot checks against <c>tests/TinyLoc.Compiler.Tests/Snapshots</c> in the source
/// tree (see <see cref="ApprovalStore"/> for the conventions).
/// </summary>
public static class Approvals
{
    /// <summary>The store over the source tree's Snapshots folder, honouring <c>TINYLOC_ACCEPT</c>.</summary>
    public static ApprovalStore Store => ApprovalStore.FromEnvironment(TestPaths.Snapshots);

    /// <summary>
    /// Fails unless <paramref name="received"/> equals <c>Snapshots/NAME.verified.EXT</c>; on a
    /// mismatch writes <c>NAME.received.EXT</c> and reports the first differing line.
    /// </summary>
    /// <param name="name">The snapshot name, e.g. <c>Emit/toy_mlp</c>.</param>
    /// <param name="received">The text produced by the test.</param>
    /// <param name="extension">The file extension, with or without the dot.</param>
    public static void Verify(string name, string received, string extension) =>
        Store.Verify(name, received, extension);
}
