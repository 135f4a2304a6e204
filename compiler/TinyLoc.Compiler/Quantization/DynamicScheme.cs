using System.Linq;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Quantization;

/// <summary>
/// <c>dynamic</c>: PyTorch's <c>quantize_dynamic</c> (quantization.md §2) on the qnnpack engine. Every
/// linear layer gets per-tensor symmetric int8 weights; its input is quantised per call to uint8 over
/// the whole input of that call; accumulators are int32 and equal PyTorch's; outputs, bias, the
/// normalisation and the activations stay float32. No calibration is needed.
/// </summary>
public sealed class DynamicScheme : PerLayerScheme
{
    /// <summary>qnnpack's 8-bit activations (the engine this PyTorch build runs); fbgemm's reduce_range would be 127.</summary>
    public const int QMax = 255;

    public override string Name => "dynamic";

    public override string Summary => "int8 weights, uint8 inputs quantised per call, int32 accumulators, float32 everywhere else (PyTorch quantize_dynamic, qnnpack)";

    protected override Op QuantizeLayer(Linear layer) => Quantize(layer);

    public static DLinear Quantize(Linear p)
    {
        float sw = DynamicMath.WeightScale(p.Weight);
        float inv = 1.0f / sw;
        var w = p.Weight.Select(v => DynamicMath.QuantizeWeight(v, inv)).ToArray();
        var rowSum = Enumerable.Range(0, p.Out).Select(o => Enumerable.Range(0, p.In).Sum(k => (int)w[(o * p.In) + k])).ToArray();
        return new DLinear(p.Out, p.In, w, sw, rowSum, p.Bias, p.Act, QMax);
    }
}
