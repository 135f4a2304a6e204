using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Tests.Quantization;

/// <summary>
/// PyTorch's ChooseQuantizationParams as PyTorch computes it, in double: the oracle that
/// <see cref="DynamicMath.ChooseParams(float, float, int, out float)"/> (float32 and int64 only, what the generated code runs) must equal.
/// </summary>
public static class PyTorchQParams
{
    /// <summary>Adding then subtracting 1.5·2^52 rounds a double to the nearest integer, ties to even (|t| ≤ 2^51).</summary>
    private const double RoundDouble = 6755399441055744.0;

    /// <summary>The double computation of PyTorch's ChooseQuantizationParams (the oracle the integer version is tested against).</summary>
    public static int ChooseParams(float mn, float mx, int qmax, out float scale)
    {
        double s = ((double)mx - (double)mn) / qmax;
        float fs = (float)s;
        if (fs == 0.0f || !(1.0f / fs <= float.MaxValue))
        {
            s = 0.1;
        }

        if (s < DynamicMath.SmallScale)
        {
            float org = (float)s;
            s = DynamicMath.SmallScale;
            if (mn == 0.0f)
            {
                mx = DynamicMath.SmallScale * (float)qmax;
            }
            else if (mx == 0.0f)
            {
                mn = -(DynamicMath.SmallScale * (float)qmax);
            }
            else
            {
                float amp = DynamicMath.SmallScale / org;
                mn = mn * amp;
                mx = mx * amp;
            }
        }

        double zmin = 0.0 - (mn / s);
        double zmax = qmax - (mx / s);
        double emin = 0.0 - Abs(mn / s);
        double emax = qmax - Abs(mx / s);
        double z = emin < emax ? zmin : zmax;
        scale = (float)s;
        return z < 0.0 ? 0 : z > qmax ? qmax : (int)((z + RoundDouble) - RoundDouble);
    }

    private static double Abs(double v) => v < 0.0 ? -v : v;
}
