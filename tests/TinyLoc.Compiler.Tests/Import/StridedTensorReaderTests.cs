using System;
using System.Linq;
using TinyLoc.Compiler.Import;
using Xunit;

namespace TinyLoc.Compiler.Tests.Import;

public sealed class StridedTensorReaderTests
{
    // A 3x4 float32 matrix 0..11 in row-major order.
    private static readonly byte[] Storage = Enumerable.Range(0, 12).SelectMany(i => BitConverter.GetBytes((float)i)).ToArray();

    [Fact]
    public void Transposed_view_is_gathered_row_major()
    {
        Assert.Equal(new float[] { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 },
            StridedTensorReader.Read(Storage, ElementType.Float32, 0, new[] { 4, 3 }, new long[] { 1, 4 }));
    }

    [Fact]
    public void Offset_and_stride_select_a_column()
    {
        Assert.Equal(new float[] { 5, 9 }, StridedTensorReader.Read(Storage, ElementType.Float32, 5, new[] { 2 }, new long[] { 4 }));
    }

    [Fact]
    public void Zero_stride_broadcasts()
    {
        Assert.Equal(new float[] { 7, 7, 7, 7 }, StridedTensorReader.Read(Storage, ElementType.Float32, 7, new[] { 2, 2 }, new long[] { 0, 0 }));
    }

    [Fact]
    public void Scalar_and_empty_tensors()
    {
        Assert.Equal(new float[] { 3 }, StridedTensorReader.Read(Storage, ElementType.Float32, 3, Array.Empty<int>(), Array.Empty<long>()));
        Assert.Empty(StridedTensorReader.Read(Storage, ElementType.Float32, 100, new[] { 0, 3 }, new long[] { 3, 1 }));
    }

    [Fact]
    public void Required_bytes_reach_the_last_addressed_element()
    {
        Assert.Equal(48L, StridedTensorReader.RequiredBytes(0, new[] { 4, 3 }, new long[] { 1, 4 }, 4));
        Assert.Equal(40L, StridedTensorReader.RequiredBytes(5, new[] { 2 }, new long[] { 4 }, 4));
        Assert.Equal(0L, StridedTensorReader.RequiredBytes(100, new[] { 0, 3 }, new long[] { 3, 1 }, 4));
        Assert.Equal(long.MaxValue, StridedTensorReader.RequiredBytes(0, new[] { 3 }, new long[] { long.MaxValue / 2 }, 4));
    }

    [Fact]
    public void Contiguity_ignores_size_one_dimensions()
    {
        Assert.True(StridedTensorReader.IsContiguous(new[] { 2, 1, 3 }, new long[] { 3, 99, 1 }));
        Assert.True(StridedTensorReader.IsContiguous(Array.Empty<int>(), Array.Empty<long>()));
        Assert.False(StridedTensorReader.IsContiguous(new[] { 3, 2 }, new long[] { 1, 3 }));
    }
}
