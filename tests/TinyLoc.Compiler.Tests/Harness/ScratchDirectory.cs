using System;
using System.IO;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// A fresh folder under <c>&lt;temp&gt;/tinyloc-tests/</c>. It is deleted on <see cref="Dispose"/>
/// only after <see cref="MarkSucceeded"/>, so a failing test leaves its files for inspection.
/// </summary>
public sealed class ScratchDirectory : IDisposable
{
    private bool succeeded;

    private ScratchDirectory(string path) => Path = path;

    /// <summary>The full path of the folder.</summary>
    public string Path { get; }

    /// <summary>The parent of every scratch folder: <c>&lt;temp&gt;/tinyloc-tests</c>.</summary>
    public static string Root => System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tinyloc-tests");

    /// <summary>Creates a new, empty, uniquely named folder whose name starts with <paramref name="label"/>.</summary>
    /// <param name="label">A readable prefix for the folder name, such as the model name.</param>
    public static ScratchDirectory Create(string label)
    {
        string safe = string.Concat(label.Split(System.IO.Path.GetInvalidFileNameChars()));
        string unique = Guid.NewGuid().ToString("N")[..16];
        string path = System.IO.Path.Combine(Root, safe.Length == 0 ? unique : $"{safe}-{unique}");
        Directory.CreateDirectory(path);
        return new ScratchDirectory(path);
    }

    /// <summary>The full path of <paramref name="fileName"/> inside this folder.</summary>
    /// <param name="fileName">A file name relative to the folder.</param>
    public string File(string fileName) => System.IO.Path.Combine(Path, fileName);

    /// <summary>Allows <see cref="Dispose"/> to delete the folder.</summary>
    public void MarkSucceeded() => succeeded = true;

    /// <summary>Deletes the folder when the work succeeded; keeps it otherwise.</summary>
    public void Dispose()
    {
        if (!succeeded)
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test for.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
