using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The parameters of <see cref="RmsNorm"/> and <see cref="LayerNorm"/>: normalise each row of
/// <c>Features</c> values, <c>Eps</c> inside the square root, an element-wise <c>Weight</c> and (LayerNorm) a
/// <c>Bias</c>; RMSNorm has none (null).
/// </summary>
public sealed record NormParams(int Features, float Eps, float[] Weight, float[]? Bias)
{
    /// <summary>The shape check both norms share: one float input whose last dimension is Features; weights (and bias) of Features values.</summary>
    internal (DType Type, int[] Shape) Check(Node node, Graph graph, bool hasBias)
    {
        OpChecks.Arity(node, 1);
        var x = OpChecks.Float(node, graph, 0);
        if (OpChecks.RowsOf(x).Width != Features || Features < 1)
        {
            throw OpChecks.Fail(node, $"normalises rows of {Features} features but '{x.Name}' is {OpChecks.ShapeText(x)}");
        }

        if (Weight.Length != Features)
        {
            throw OpChecks.Fail(node, $"weight has {Weight.Length} values, needs {Features}");
        }

        if (!hasBias && Bias is not null)
        {
            throw OpChecks.Fail(node, "RMSNorm takes no bias");
        }

        if (Bias is not null && Bias.Length != Features)
        {
            throw OpChecks.Fail(node, $"bias has {Bias.Length} values, needs {Features}");
        }

        if (!(Eps > 0.0f))
        {
            throw OpChecks.Fail(node, $"eps must be positive, is {Fmt.Float(Eps)}");
        }

        return (DType.Float32, (int[])x.Shape.Clone());
    }
}
