namespace TinyLoc.Compiler.Util;

/// <summary>
/// Parses a plain decimal number (<c>-85</c>, <c>4.25</c>: an optional sign, at most 9 significant digits and at
/// most 8 after the point, no exponent) from characters without making a string, to the float32 that
/// <c>float.Parse</c> gives: the value is one correctly rounded double division of exact integers, which for such
/// short decimals cannot fall on the wrong side of a float32 rounding boundary. RSSI data is of this form; other
/// text (exponents, NaN, long digit strings) is left to <c>float.TryParse</c>.
/// </summary>
internal static class PlainDecimal
{
    private static readonly double[] PowersOfTen = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8 };

    /// <summary>True, with the value, when <paramref name="text"/>[start, end) is a plain decimal.</summary>
    public static bool TryParse(char[] text, int start, int end, out float value)
    {
        value = 0;
        int i = start;
        bool negative = false;
        if (i < end && (text[i] == '-' || text[i] == '+'))
        {
            negative = text[i] == '-';
            i++;
        }

        long mantissa = 0;
        int significant = 0, fraction = 0, digits = 0;
        bool point = false;
        for (; i < end; i++)
        {
            char c = text[i];
            if (c == '.' && !point)
            {
                point = true;
                continue;
            }

            if (c < '0' || c > '9')
            {
                return false;
            }

            digits++;
            fraction += point ? 1 : 0;
            if (mantissa != 0 || c != '0')
            {
                significant++;
            }

            mantissa = (mantissa * 10) + (c - '0');
            if (significant > 9 || fraction > 8)
            {
                return false;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        double magnitude = mantissa / PowersOfTen[fraction];
        value = (float)(negative ? -magnitude : magnitude);
        return true;
    }
}
