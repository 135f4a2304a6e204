using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Xunit.Sdk;

namespace TinyLoc.Tests.Shared;

/// <summary>
/// Approved-file snapshots in one folder, with Verify's conventions: <c>NAME.verified.EXT</c> is
/// committed; on a mismatch or when it is missing, <c>NAME.received.EXT</c> is written beside it
/// and the check fails with the first differing line; in accept mode the received text becomes
/// the verified file and the check passes.
/// </summary>
/// <remarks>
/// Texts are compared after normalising line endings to <c>\n</c> and ensuring one final
/// <c>\n</c> (so an editor adding a final newline does not break a snapshot). Files are written
/// as UTF-8 without a byte-order mark.
/// </remarks>
/// <param name="directory">The folder holding the snapshots.</param>
/// <param name="accept">True to overwrite verified files instead of failing.</param>
public sealed class ApprovalStore(string directory, bool accept)
{
    /// <summary>Set to <c>1</c> (or <c>true</c>) to accept received texts as the new verified snapshots.</summary>
    public const string AcceptEnvironmentVariable = "TINYLOC_ACCEPT";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>True when <c>TINYLOC_ACCEPT</c> is <c>1</c> or <c>true</c> (any case, surrounding spaces ignored).</summary>
    public static bool AcceptFromEnvironment =>
        Environment.GetEnvironmentVariable(AcceptEnvironmentVariable) is { } value
        && (value.Trim() == "1" || value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>A store over <paramref name="directory"/> that accepts when <c>TINYLOC_ACCEPT</c> says so.</summary>
    /// <param name="directory">The folder holding the snapshots.</param>
    public static ApprovalStore FromEnvironment(string directory) => new(directory, AcceptFromEnvironment);

    /// <summary>The folder holding the snapshots.</summary>
    public string Folder { get; } = Path.GetFullPath(directory);

    /// <summary>True when mismatches are accepted instead of failing.</summary>
    public bool Accept { get; } = accept;

    /// <summary>The path of the committed snapshot of <paramref name="name"/>.</summary>
    /// <param name="name">The snapshot name; may contain <c>/</c> for a sub-folder.</param>
    /// <param name="extension">The file extension, with or without the leading dot.</param>
    public string VerifiedPath(string name, string extension) => PathFor(name, "verified", extension);

    /// <summary>The path where a differing text of <paramref name="name"/> is written.</summary>
    /// <param name="name">The snapshot name; may contain <c>/</c> for a sub-folder.</param>
    /// <param name="extension">The file extension, with or without the leading dot.</param>
    public string ReceivedPath(string name, string extension) => PathFor(name, "received", extension);

    /// <summary>Normalises line endings to <c>\n</c> and makes the text end with exactly one added <c>\n</c> if it has none.</summary>
    /// <param name="text">Any text.</param>
    public static string Normalize(string text)
    {
        string unix = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return unix.Length == 0 || unix.EndsWith('\n') ? unix : unix + "\n";
    }

    /// <summary>Compares <paramref name="received"/> with the verified snapshot.</summary>
    /// <param name="name">The snapshot name, e.g. <c>Emit/toy_mlp</c>.</param>
    /// <param name="received">The text produced by the test.</param>
    /// <param name="extension">The file extension, e.g. <c>c</c>, <c>h</c>, <c>txt</c>.</param>
    /// <exception cref="XunitException">The snapshot is missing or differs (and accept mode is off).</exception>
    public void Verify(string name, string received, string extension)
    {
        ArgumentNullException.ThrowIfNull(received);
        string verifiedPath = VerifiedPath(name, extension);
        string receivedPath = ReceivedPath(name, extension);
        string actual = Normalize(received);
        string? expected = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath, Utf8NoBom)) : null;

        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        if (Accept)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(verifiedPath)!);
            File.WriteAllText(verifiedPath, actual, Utf8NoBom);
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(receivedPath)!);
        File.WriteAllText(receivedPath, actual, Utf8NoBom);
        string what = expected is null
            ? $"No verified snapshot '{verifiedPath}'."
            : $"Snapshot '{name}' differs from '{verifiedPath}'.\n{FirstDifference(expected, actual)}";
        throw new XunitException(
            $"{what}\nReceived text written to '{receivedPath}'.\n"
            + $"Review it, then rename it to .verified or run the tests with {AcceptEnvironmentVariable}=1 to accept.");
    }

    /// <summary>Describes the first line where <paramref name="expected"/> and <paramref name="actual"/> differ.</summary>
    /// <param name="expected">The verified text.</param>
    /// <param name="actual">The received text.</param>
    public static string FirstDifference(string expected, string actual)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');
        int line = 0;
        while (line < a.Length && line < b.Length && a[line] == b[line])
        {
            line++;
        }

        string Show(string[] lines) => line < lines.Length ? $"'{Clip(lines[line])}'" : "(end of text)";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"First difference at line {line + 1} (verified {a.Length - 1} lines, received {b.Length - 1}):\n"
            + $"  verified: {Show(a)}\n  received: {Show(b)}");
    }

    private static string Clip(string line) => line.Length <= 200 ? line : line[..200] + "…";

    private string PathFor(string name, string kind, string extension)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(extension);
        string ext = extension.TrimStart('.');
        if (Path.IsPathRooted(name) || name.Split('/', '\\').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException($"Snapshot name '{name}' must be a relative path without '.' or '..' parts.", nameof(name));
        }

        return Path.Combine(Folder, $"{name.Replace('\\', '/')}.{kind}.{ext}");
    }
}
