using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Families.Onnx;
using TinyLoc.Compiler.Import;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Manifest;

namespace TinyLoc.Compiler.Families;

/// <summary>
/// <c>onnx</c>: the float graph is the ONNX file's own, lowered operator by operator (<see cref="OnnxLowering"/>) after
/// the manifest's input normalisation. Any architecture these operators express compiles, with every scheme.
/// </summary>
public sealed class OnnxFamily : ModelFamily<OnnxArchitecture>
{
    protected override Graph? Build(ModelManifest manifest, OnnxArchitecture architecture, StateDict weights, DiagnosticBag diagnostics)
    {
        var location = new SourceLocation(weights.Path);
        if (weights.Onnx is null)
        {
            diagnostics.Report(DiagnosticDescriptors.ManifestInvalidValue, new SourceLocation(manifest.ManifestPath, 0, 0, "family"), "family", "\"onnx\"", "the family of the state dict's layers; family \"onnx\" takes an .onnx checkpoint");
            return null;
        }

        return new OnnxLowering(manifest, weights.Onnx, location).Lower();
    }
}
