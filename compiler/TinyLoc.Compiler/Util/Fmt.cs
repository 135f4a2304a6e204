using System.Globalization;

namespace TinyLoc.Compiler.Util;

/// <summary>Invariant, round-trip number formatting: the one place numbers become text.</summary>
public static class Fmt
{
    public static string Int(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>Shortest text that parses back to the same double.</summary>
    public static string Double(double v)
    {
        string s = v.ToString("R", CultureInfo.InvariantCulture);
        return s;
    }

    /// <summary>Shortest text that parses back to the same float (as a JSON/C# number, no suffix).</summary>
    public static string Float(float v)
    {
        string s = v.ToString("R", CultureInfo.InvariantCulture);
        return s;
    }

    /// <summary>A float literal valid, and identical in value, in both C99 and C#: <c>1.0f</c>, <c>-2.5E-05f</c>.</summary>
    public static string FloatLiteral(float v)
    {
        if (float.IsNaN(v) || float.IsInfinity(v))
        {
            throw new System.ArgumentException("non-finite constant " + v);
        }

        string s = v.ToString("R", CultureInfo.InvariantCulture);
        if (s.IndexOf('.') < 0 && s.IndexOf('E') < 0)
        {
            s += ".0";
        }
        else if (s.IndexOf('.') < 0)
        {
            int e = s.IndexOf('E');
            s = s.Substring(0, e) + ".0" + s.Substring(e);
        }

        if (v == 0 && System.BitConverter.DoubleToInt64Bits(v) < 0)
        {
            s = "-0.0";
        }

        return s + "f";
    }

    /// <summary>An int32 literal valid in C99 and C# (int.MinValue written as an expression).</summary>
    public static string IntLiteral(int v) => v == int.MinValue ? "(-2147483647 - 1)" : Int(v);

    public static string Bytes(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
