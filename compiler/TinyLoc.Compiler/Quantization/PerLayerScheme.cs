using System.Collections.Generic;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Passes;

namespace TinyLoc.Compiler.Quantization;

/// <summary>
/// A scheme that needs no calibration and quantises each linear layer on its own, from its weights alone
/// (<c>dynamic</c>, <c>llm-int8</c>): every layer is replaced by <see cref="QuantizeLayer"/>; the rest of the graph
/// stays float.
/// </summary>
public abstract class PerLayerScheme : IQuantizationScheme
{
    public abstract string Name { get; }

    public abstract string Summary { get; }

    public Graph? Apply(Graph fused, IReadOnlyDictionary<string, (float Min, float Max)> ranges, DiagnosticBag diagnostics, SourceLocation location) =>
        ReplaceLinear.Run(fused, QuantizeLayer);

    public Op LayerAlone(Linear layer) => QuantizeLayer(layer);

    /// <summary>The layer's quantised op.</summary>
    protected abstract Op QuantizeLayer(Linear layer);
}
