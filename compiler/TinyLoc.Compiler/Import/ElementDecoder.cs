using System;
using System.Runtime.InteropServices;

namespace TinyLoc.Compiler.Import;

/// <summary>
/// Converts little-endian tensor elements of every <see cref="ElementType"/> to float32, exactly as PyTorch's
/// <c>tensor.float()</c> does: float16 and bfloat16 by bit manipulation (exact), float64 and int64 rounded to
/// nearest-even once, bool as 0 or 1. Works on any host byte order (netstandard2.0 has no System.Half and no
/// BinaryPrimitives).
/// </summary>
internal static class ElementDecoder
{
    /// <summary>Bytes per element of <paramref name="type"/>.</summary>
    public static int SizeOf(ElementType type) => type switch
    {
        ElementType.Float64 or ElementType.Int64 => 8,
        ElementType.Float32 or ElementType.Int32 => 4,
        ElementType.Float16 or ElementType.BFloat16 or ElementType.Int16 => 2,
        _ => 1,
    };

    /// <summary>Decodes the element whose first byte is at <paramref name="byteOffset"/>.</summary>
    public static float Decode(ElementType type, byte[] source, int byteOffset) => type switch
    {
        ElementType.Float32 => BitsToSingle(ReadUInt32(source, byteOffset)),
        ElementType.Float64 => (float)BitConverter.Int64BitsToDouble(unchecked((long)ReadUInt64(source, byteOffset))),
        ElementType.Float16 => HalfToSingle(ReadUInt16(source, byteOffset)),
        ElementType.BFloat16 => BFloat16ToSingle(ReadUInt16(source, byteOffset)),
        ElementType.Int64 => Int64ToSingle(unchecked((long)ReadUInt64(source, byteOffset))),
        ElementType.Int32 => (float)(double)unchecked((int)ReadUInt32(source, byteOffset)),
        ElementType.Int16 => unchecked((short)ReadUInt16(source, byteOffset)),
        ElementType.Int8 => unchecked((sbyte)source[byteOffset]),
        ElementType.UInt8 => source[byteOffset],
        ElementType.Bool => source[byteOffset] != 0 ? 1f : 0f,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>
    /// The element as a double, exactly: float64 and the integers (up to 2^53, beyond any shape or index a file may
    /// hold) keep every bit, where <see cref="Decode"/> rounds to float32 (ONNX shape and index constants).
    /// </summary>
    public static double DecodeExact(ElementType type, byte[] source, int byteOffset) => type switch
    {
        ElementType.Float64 => BitConverter.Int64BitsToDouble(unchecked((long)ReadUInt64(source, byteOffset))),
        ElementType.Int64 => unchecked((long)ReadUInt64(source, byteOffset)),
        ElementType.Int32 => unchecked((int)ReadUInt32(source, byteOffset)),
        _ => Decode(type, source, byteOffset),
    };

    /// <summary>Decodes <paramref name="count"/> consecutive elements starting at <paramref name="byteOffset"/>.</summary>
    public static void DecodeContiguous(ElementType type, byte[] source, int byteOffset, float[] destination, int destinationIndex, int count)
    {
        int size = SizeOf(type);
        if (type == ElementType.Float32)
        {
            for (int i = 0; i < count; i++)
            {
                destination[destinationIndex + i] = BitsToSingle(ReadUInt32(source, byteOffset + (i * 4)));
            }

            return;
        }

        for (int i = 0; i < count; i++)
        {
            destination[destinationIndex + i] = Decode(type, source, byteOffset + (i * size));
        }
    }

    /// <summary>IEEE binary16 to binary32; exact for every number; NaNs keep their payload and become quiet.</summary>
    public static float HalfToSingle(ushort half)
    {
        uint sign = (uint)(half & 0x8000) << 16;
        int exponent = (half >> 10) & 0x1F;
        uint mantissa = (uint)half & 0x3FF;
        if (exponent == 0x1F)
        {
            // Infinity, or NaN with its payload and the quiet bit set (as PyTorch's conversion does).
            uint quiet = mantissa == 0 ? 0u : 0x00400000u;
            return BitsToSingle(sign | 0x7F800000u | quiet | (mantissa << 13));
        }

        if (exponent != 0)
        {
            return BitsToSingle(sign | ((uint)(exponent + 112) << 23) | (mantissa << 13));
        }

        if (mantissa == 0)
        {
            return BitsToSingle(sign);
        }

        // Subnormal: mantissa * 2^-24. Normalise so bit 10 is the implicit one.
        int shifts = 0;
        while ((mantissa & 0x400) == 0)
        {
            mantissa <<= 1;
            shifts++;
        }

        return BitsToSingle(sign | ((uint)(113 - shifts) << 23) | ((mantissa & 0x3FF) << 13));
    }

    /// <summary>bfloat16 is the top half of a float32.</summary>
    public static float BFloat16ToSingle(ushort bfloat16) => BitsToSingle((uint)bfloat16 << 16);

    /// <summary>
    /// int64 to float32 rounded to nearest-even in one step (a plain long → double → float conversion can
    /// round twice for magnitudes above 2^53).
    /// </summary>
    public static float Int64ToSingle(long value)
    {
        const long ExactInDouble = 1L << 53;
        if (value >= -ExactInDouble && value <= ExactInDouble)
        {
            return (float)(double)value;
        }

        ulong magnitude = value < 0 ? unchecked((ulong)(-(value + 1)) + 1) : (ulong)value;
        ulong sticky = 0;
        int shift = 0;
        while (magnitude >= (1UL << 53))
        {
            sticky |= magnitude & 1;
            magnitude >>= 1;
            shift++;
        }

        // 53 significant bits with the discarded bits folded into the lowest one: exact in a double, and
        // rounding it to float's 24 bits gives the same result as rounding the original integer.
        double powerOfTwo = BitConverter.Int64BitsToDouble((long)(1023 + shift) << 52);
        double scaled = (double)(long)(magnitude | sticky) * powerOfTwo;
        float result = (float)scaled;
        return value < 0 ? -result : result;
    }

    /// <summary>Reinterprets IEEE binary32 bits as a float.</summary>
    public static float BitsToSingle(uint bits) => new SingleBits { Bits = bits }.Value;

    /// <summary>The IEEE binary32 bits of a float.</summary>
    public static uint SingleToBits(float value) => new SingleBits { Value = value }.Bits;

    private static ushort ReadUInt16(byte[] source, int offset) =>
        (ushort)(source[offset] | (source[offset + 1] << 8));

    private static uint ReadUInt32(byte[] source, int offset) =>
        (uint)(source[offset] | (source[offset + 1] << 8) | (source[offset + 2] << 16) | (source[offset + 3] << 24));

    private static ulong ReadUInt64(byte[] source, int offset) =>
        ReadUInt32(source, offset) | ((ulong)ReadUInt32(source, offset + 4) << 32);

    /// <summary>A float and its bits in one place (no unsafe code, no BitConverter.Int32BitsToSingle in netstandard2.0).</summary>
    [StructLayout(LayoutKind.Explicit)]
    private struct SingleBits
    {
        [FieldOffset(0)]
        public uint Bits;

        [FieldOffset(0)]
        public float Value;
    }
}
