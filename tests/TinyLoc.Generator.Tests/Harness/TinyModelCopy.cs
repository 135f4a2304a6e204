using System;
using System.IO;
using TinyLoc.Tests.Shared;

namespace TinyLoc.Generator.Tests.Harness;

/// <summary>
/// A copy of the tiny safetensors test model (<c>tiny_silu_reg</c>: manifest and checkpoint) in a new temporary
/// folder, so a test can change its bytes; deleted with the folder on <see cref="Dispose"/>.
/// </summary>
public sealed class TinyModelCopy : IDisposable
{
    /// <summary>Copies the model.</summary>
    public TinyModelCopy()
    {
        Directory.CreateDirectory(Folder);
        foreach (string name in new[] { "tiny_silu_reg.tinyloc.json", "tiny_silu_reg.safetensors" })
        {
            File.Copy(Path.Combine(RepoPaths.TestData, "models", name), Path.Combine(Folder, name));
        }
    }

    /// <summary>The temporary folder.</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "tinyloc-generator-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The manifest's full path.</summary>
    public string Manifest => Path.Combine(Folder, "tiny_silu_reg.tinyloc.json");

    /// <summary>The checkpoint's full path.</summary>
    public string Checkpoint => Path.Combine(Folder, "tiny_silu_reg.safetensors");

    /// <inheritdoc/>
    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
