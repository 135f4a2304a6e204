using System.IO;
using TinyLoc.Compiler.Diagnostics;

namespace TinyLoc.Compiler.Import;

/// <summary>Reads a checkpoint by its extension: PyTorch zip (.pt/.pth), safetensors, or an ONNX model.</summary>
public static class CheckpointReader
{
    /// <summary>Returns the state dict, or null with errors in <paramref name="diagnostics"/>. Never throws.</summary>
    public static StateDict? Read(string path, DiagnosticBag diagnostics) => Read(path, diagnostics, Util.FileSource.Disk);

    /// <summary>As <see cref="Read(string, DiagnosticBag)"/>, reading the file through <paramref name="files"/>.</summary>
    public static StateDict? Read(string path, DiagnosticBag diagnostics, Util.FileSource files)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".pt" or ".pth" => PyTorchReader.Read(path, diagnostics, files),
            ".safetensors" => SafetensorsReader.Read(path, diagnostics, files),
            ".onnx" => Onnx.OnnxReader.Read(path, diagnostics, files),
            _ => Fail(path, diagnostics),
        };
    }

    private static StateDict? Fail(string path, DiagnosticBag diagnostics)
    {
        diagnostics.Report(DiagnosticDescriptors.UnknownCheckpointFormat, new SourceLocation(path), Path.GetFileName(path));
        return null;
    }
}
