using TinyLoc.Compiler.Json;

namespace TinyLoc.Compiler.Manifest;

/// <summary>
/// <c>onnx</c>: the network is the graph in the <c>.onnx</c> checkpoint, so the architecture object is empty (and may
/// be left out); the manifest still says what goes in and comes out.
/// </summary>
public sealed record OnnxArchitecture() : ArchitectureSpec(Crf: false)
{
    /// <summary>Reads <c>{}</c>.</summary>
    public static ArchitectureSpec Read(ManifestReader r, JsonNode o)
    {
        r.Known(o, "architecture");
        return new OnnxArchitecture();
    }
}
