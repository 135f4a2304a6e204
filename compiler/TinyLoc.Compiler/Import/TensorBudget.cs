using System.Globalization;
using TinyLoc.Compiler.Diagnostics;

namespace TinyLoc.Compiler.Import;

/// <summary>
/// What one checkpoint's tensors may cost before their float32 arrays are allocated (TL1015), relative to the
/// file's real size: the tensors together may hold no more elements than the file has bytes of tensor data plus
/// <see cref="Util.InputLimits.MaxExpandedElements"/> (a stride-0 view of 4 bytes cannot become 500 million
/// elements), and never more than <see cref="Util.InputLimits.MaxTensorElements"/>.
/// </summary>
internal sealed class TensorBudget
{
    private readonly SourceLocation _location;
    private long _elements;
    private long _dataBytes;

    public TensorBudget(SourceLocation location) => _location = location;

    /// <summary>Counts bytes of tensor data read from the file (a storage, or the data section).</summary>
    public void AddData(long bytes) => _dataBytes += bytes;

    /// <summary>Takes <paramref name="name"/>'s elements from the budget, or throws TL1015.</summary>
    public void Take(string name, int[] shape)
    {
        long elements = Elements(shape);
        if (elements > Util.InputLimits.MaxTensorElements - _elements)
        {
            throw Over(string.Format(CultureInfo.InvariantCulture,
                "with tensor '{0}' of shape [{1}] the tensors hold more than the limit of {2:N0} elements in all",
                name, string.Join(", ", shape), Util.InputLimits.MaxTensorElements));
        }

        if (_elements + elements > _dataBytes + Util.InputLimits.MaxExpandedElements)
        {
            throw Over(string.Format(CultureInfo.InvariantCulture,
                "with tensor '{0}' of shape [{1}] the tensors hold {2:N0} elements, but the file has only {3:N0} bytes of tensor data: views that repeat their data (stride 0) may add at most {4:N0} elements",
                name, string.Join(", ", shape), _elements + elements, _dataBytes, Util.InputLimits.MaxExpandedElements));
        }

        _elements += elements;
    }

    private static long Elements(int[] shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d == 0)
            {
                return 0;
            }

            n = d > 0 && n <= long.MaxValue / d ? n * d : long.MaxValue;
        }

        return n;
    }

    private DiagnosticException Over(string reason) => new(DiagnosticDescriptors.CheckpointOverLimit, _location, reason);
}
