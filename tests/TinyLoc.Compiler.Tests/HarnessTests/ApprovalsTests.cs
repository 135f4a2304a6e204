using System;
using System.IO;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;
using Xunit.Sdk;

namespace TinyLoc.Compiler.Tests.HarnessTests;

public sealed class ApprovalsTests : IDisposable
{
    private readonly ScratchDirectory folder = ScratchDirectory.Create("approvals-tests");

    public void Dispose()
    {
        folder.MarkSucceeded();
        folder.Dispose();
    }

    [Fact]
    public void A_missing_snapshot_fails_and_writes_the_received_file()
    {
        var store = new ApprovalStore(folder.Path, accept: false);

        var e = Assert.Throws<XunitException>(() => store.Verify("Emit/toy", "int x;\r\n", "c"));

        Assert.Contains("No verified snapshot", e.Message, StringComparison.Ordinal);
        Assert.Contains("TINYLOC_ACCEPT=1", e.Message, StringComparison.Ordinal);
        string received = Path.Combine(folder.Path, "Emit", "toy.received.c");
        Assert.Equal("int x;\n", File.ReadAllText(received));
    }

    [Fact]
    public void A_matching_snapshot_passes_ignoring_line_endings_and_removes_a_stale_received_file()
    {
        var store = new ApprovalStore(folder.Path, accept: false);
        File.WriteAllText(store.VerifiedPath("plan", "txt"), "a\nb\n");
        File.WriteAllText(store.ReceivedPath("plan", ".txt"), "old");

        store.Verify("plan", "a\r\nb", ".txt");

        Assert.False(File.Exists(store.ReceivedPath("plan", "txt")));
    }

    [Fact]
    public void A_mismatch_reports_the_first_differing_line()
    {
        var store = new ApprovalStore(folder.Path, accept: false);
        File.WriteAllText(store.VerifiedPath("ir", "txt"), "node 0: dense\nnode 1: relu\nnode 2: dense\n");

        var e = Assert.Throws<XunitException>(() => store.Verify("ir", "node 0: dense\nnode 1: gelu\nnode 2: dense\n", "txt"));

        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("verified: 'node 1: relu'", e.Message, StringComparison.Ordinal);
        Assert.Contains("received: 'node 1: gelu'", e.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(store.ReceivedPath("ir", "txt")));
    }

    [Fact]
    public void FirstDifference_reports_a_shorter_text_as_its_end()
    {
        string message = ApprovalStore.FirstDifference("a\nb\n", "a\nb\nc\n");

        Assert.Contains("line 3", message, StringComparison.Ordinal);
        Assert.Contains("verified: '' ", message.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("received: 'c'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accept_mode_overwrites_the_verified_file_and_passes()
    {
        var store = new ApprovalStore(folder.Path, accept: true);
        File.WriteAllText(store.ReceivedPath("report", "md"), "stale");

        store.Verify("report", "| layer | bytes |", "md");

        Assert.Equal("| layer | bytes |\n", File.ReadAllText(store.VerifiedPath("report", "md")));
        Assert.False(File.Exists(store.ReceivedPath("report", "md")));
        new ApprovalStore(folder.Path, accept: false).Verify("report", "| layer | bytes |\n", "md");
    }

    [Fact]
    public void Names_cannot_escape_the_snapshot_folder()
    {
        var store = new ApprovalStore(folder.Path, accept: false);

        Assert.Throws<ArgumentException>(() => store.Verify("../outside", "x", "txt"));
        Assert.Throws<ArgumentException>(() => store.Verify("/abs", "x", "txt"));
    }

    [Fact]
    public void The_default_store_lives_in_the_source_tree()
    {
        string expected = Path.Combine(RepoPaths.RepoRoot, "tests", "TinyLoc.Compiler.Tests", "Snapshots");

        Assert.Equal(expected, Approvals.Store.Folder);
        Assert.DoesNotContain($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", Approvals.Store.Folder, StringComparison.Ordinal);
    }
}
