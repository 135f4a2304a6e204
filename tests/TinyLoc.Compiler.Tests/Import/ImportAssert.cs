using System;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Import;
using Xunit;

namespace TinyLoc.Compiler.Tests.Import;

/// <summary>Assertions shared by the reader tests.</summary>
internal static class ImportAssert
{
    /// <summary>Reads without letting any exception escape; returns the result and the diagnostics.</summary>
    public static (StateDict? Result, DiagnosticBag Diagnostics) ReadSafely(Func<string, DiagnosticBag, StateDict?> reader, string path)
    {
        var diagnostics = new DiagnosticBag();
        StateDict? result = null;
        Exception? escaped = Record.Exception(() => result = reader(path, diagnostics));
        Assert.Null(escaped);
        return (result, diagnostics);
    }

    /// <summary>
    /// Asserts the reader fails with exactly one error <paramref name="id"/> located at <paramref name="path"/>
    /// whose message contains every one of <paramref name="fragments"/>; returns the diagnostic.
    /// </summary>
    public static Diagnostic Fails(Func<string, DiagnosticBag, StateDict?> reader, string path, string id, params string[] fragments)
    {
        var (result, diagnostics) = ReadSafely(reader, path);
        Assert.Null(result);
        var diagnostic = Assert.Single(diagnostics.Items);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(Severity.Error, diagnostic.Severity);
        Assert.Equal(path, diagnostic.Location.File);
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, diagnostic.Message, StringComparison.Ordinal);
        }

        return diagnostic;
    }

    /// <summary>Asserts the reader succeeds without diagnostics.</summary>
    public static StateDict Succeeds(Func<string, DiagnosticBag, StateDict?> reader, string path)
    {
        var (result, diagnostics) = ReadSafely(reader, path);
        Assert.True(diagnostics.Items.Count == 0, string.Join("\n", diagnostics.Items.Select(d => d.ToString())));
        Assert.NotNull(result);
        Assert.Equal(path, result!.Path);
        return result;
    }

    /// <summary>Asserts names, order, shapes, stored types and every value bit for bit.</summary>
    public static void Matches(System.Collections.Generic.IReadOnlyList<ExpectedTensor> expected, StateDict actual)
    {
        Assert.Equal(expected.Select(t => t.Name), actual.Tensors.Select(t => t.Name));
        for (int i = 0; i < expected.Count; i++)
        {
            var want = expected[i];
            var got = actual.Tensors[i];
            Assert.True(actual.TryGet(want.Name, out var byName));
            Assert.Same(got, byName);
            Assert.Equal(want.StoredAs, got.StoredAs);
            Assert.Equal(want.Shape, got.Shape);
            uint[] gotBits = got.Values.Select(BitConverter.SingleToUInt32Bits).ToArray();
            Assert.True(want.Bits.SequenceEqual(gotBits),
                $"tensor '{want.Name}': expected [{string.Join(", ", want.Bits.Select(b => b.ToString("x8")))}] " +
                $"but read [{string.Join(", ", gotBits.Select(b => b.ToString("x8")))}]");
        }
    }
}
