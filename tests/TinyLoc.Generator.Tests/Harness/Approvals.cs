using System;
using System.IO;
using System.Text;
using Xunit.Sdk;

namespace TinyLoc.Generator.Tests.Harness;

/// <summary>
/// Approved-file snapshots in <c>Snapshots/</c>, with the compiler tests' (and Verify's) conventions:
/// <c>NAME.verified.txt</c> is committed; a mismatch writes <c>NAME.received.txt</c> beside it and fails;
/// <c>TINYLOC_ACCEPT=1</c> accepts the received text instead. Line ends are compared as <c>\n</c>.
/// </summary>
public static class Approvals
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>True when TINYLOC_ACCEPT is 1 or true.</summary>
    public static bool Accept => Environment.GetEnvironmentVariable("TINYLOC_ACCEPT")?.Trim() is "1" or "true" or "True";

    /// <summary>Fails unless <paramref name="received"/> equals <c>Snapshots/NAME.verified.txt</c>.</summary>
    /// <param name="name">The snapshot's name (a file name without extension).</param>
    /// <param name="received">The text the test produced.</param>
    public static void Verify(string name, string received)
    {
        string verified = Path.Combine(TestPaths.Snapshots, name + ".verified.txt");
        string receivedPath = Path.Combine(TestPaths.Snapshots, name + ".received.txt");
        string actual = Normalize(received);
        string? expected = File.Exists(verified) ? Normalize(File.ReadAllText(verified, Utf8NoBom)) : null;
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(TestPaths.Snapshots);
        if (Accept)
        {
            File.WriteAllText(verified, actual, Utf8NoBom);
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual, Utf8NoBom);
        throw new XunitException(
            (expected is null ? $"No snapshot '{verified}'." : $"Snapshot '{name}' differs: {FirstDifference(expected, actual)}")
            + $"\nReceived text written to '{receivedPath}'; review it, then rename it to .verified.txt or rerun with TINYLOC_ACCEPT=1.");
    }

    private static string Normalize(string text)
    {
        string unix = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        return unix.EndsWith('\n') ? unix : unix + "\n";
    }

    private static string FirstDifference(string expected, string actual)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        return $"first difference at line {i + 1}: verified '{(i < a.Length ? a[i] : "(end)")}', received '{(i < b.Length ? b[i] : "(end)")}'";
    }
}
