using System.IO;
using TinyLoc.Compiler.Diagnostics;

namespace TinyLoc.Compiler.Import;

/// <summary>Reads a checkpoint by its extension: PyTorch zip (.pt/.pth) or safetensors.</summary>
public static class CheckpointReader
{
    /// <summary>Returns the state dict, or null with errors in <paramref name="diagnostics"/>. Never throws.</summary>
    public static StateDict? Read(string path, DiagnosticBag diagnostics)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".pt" or ".pth" => PyTorchReader.Read(path, diagnostics),
            ".safetensors" => SafetensorsReader.Read(path, diagnostics),
            _ => Fail(path, diagnostics),
        };
    }

    private static StateDict? Fail(string path, DiagnosticBag diagnostics)
    {
        diagnostics.Report(DiagnosticDescriptors.UnknownCheckpointFormat, new SourceLocation(path), Path.GetFileName(path));
        return null;
    }
}
