using System;

namespace TinyLoc.Compiler.Import;

/// <summary>
/// Reads a tensor that is a strided view of a storage (offset and strides in elements, as PyTorch stores them)
/// into a fresh row-major float32 array. Contiguous views are decoded in one pass; any other non-negative
/// strides (transposes, slices, expanded dimensions with stride 0) are gathered element by element.
/// </summary>
internal static class StridedTensorReader
{
    /// <summary>
    /// The storage bytes the view reaches: up to and including its last addressed element; 0 for an empty
    /// tensor; <see cref="long.MaxValue"/> when the arithmetic overflows.
    /// </summary>
    public static long RequiredBytes(long offset, int[] shape, long[] strides, int itemSize)
    {
        long lastElement = offset;
        try
        {
            for (int i = 0; i < shape.Length; i++)
            {
                if (shape[i] == 0)
                {
                    return 0;
                }

                lastElement = checked(lastElement + ((shape[i] - 1) * strides[i]));
            }

            return checked((lastElement + 1) * itemSize);
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }

    /// <summary>True when the strides are the row-major ones for the shape (size-1 dimensions may have any stride).</summary>
    public static bool IsContiguous(int[] shape, long[] strides)
    {
        long expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] != 1 && strides[i] != expected)
            {
                return false;
            }

            expected *= shape[i];
        }

        return true;
    }

    /// <summary>
    /// Reads the view as float32 in row-major order. The caller has checked that
    /// <see cref="RequiredBytes"/> does not exceed the storage's length.
    /// </summary>
    public static float[] Read(byte[] storage, ElementType type, long offset, int[] shape, long[] strides)
    {
        int count = CheckpointTensor.ElementCount(shape);
        var values = new float[count];
        if (count == 0)
        {
            return values;
        }

        int itemSize = ElementDecoder.SizeOf(type);
        if (IsContiguous(shape, strides))
        {
            ElementDecoder.DecodeContiguous(type, storage, checked((int)(offset * itemSize)), values, 0, count);
            return values;
        }

        var index = new int[shape.Length];
        long element = offset;
        for (int k = 0; k < count; k++)
        {
            values[k] = ElementDecoder.Decode(type, storage, (int)(element * itemSize));
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                index[d]++;
                element += strides[d];
                if (index[d] < shape[d])
                {
                    break;
                }

                element -= strides[d] * shape[d];
                index[d] = 0;
            }
        }

        return values;
    }
}
