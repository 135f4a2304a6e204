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
        // The manifest reader admits family onnx only with an .onnx checkpoint (TL1105), whose reader always sets Onnx.
        var onnx = weights.Onnx ?? throw new System.InvalidOperationException("the onnx family was given a state dict without an ONNX graph");
        return new OnnxLowering(manifest, onnx, new SourceLocation(weights.Path)).Lower();
    }
}
