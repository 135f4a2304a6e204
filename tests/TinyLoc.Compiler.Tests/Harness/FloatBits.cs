using System;
using System.Globalization;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>Conversions between <see cref="float"/> values and their IEEE-754 bit patterns as hex.</summary>
public static class FloatBits
{
    /// <summary>The bits of <paramref name="value"/> as exactly 8 lower-case hex digits.</summary>
    /// <param name="value">Any float, including NaN payloads, infinities and -0.</param>
    public static string ToHex(float value) =>
        BitConverter.SingleToUInt32Bits(value).ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Parses 8 hex digits (either case, no prefix) as the bits of a float.</summary>
    /// <param name="hex">Exactly 8 hex digits.</param>
    /// <exception cref="FormatException">When <paramref name="hex"/> is not 8 hex digits.</exception>
    public static float FromHex(string hex)
    {
        if (hex.Length != 8
            || !uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint bits))
        {
            throw new FormatException($"'{hex}' is not 8 hex digits of a float's bits.");
        }

        return BitConverter.UInt32BitsToSingle(bits);
    }

    /// <summary>A readable description: the shortest round-trip value, then its bits, e.g. <c>1 (0x3f800000)</c>.</summary>
    /// <param name="value">Any float.</param>
    public static string Describe(float value) =>
        $"{value.ToString("R", CultureInfo.InvariantCulture)} (0x{ToHex(value)})";
}
