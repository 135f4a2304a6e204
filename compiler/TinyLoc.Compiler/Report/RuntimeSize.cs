using System.Linq;
using System.Text;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Ops;

namespace TinyLoc.Compiler.Report;

/// <summary>
/// What the runtime (runtime/c/tinyloc_runtime.h) takes for one model on a 32-bit core: the RAM of the model's
/// <c>NAME_runtime</c> besides the window and outputs (which the report counts as the caller's I/O), and the flash
/// of its beacon table, its <c>tl_model</c> and the runtime's code. The layout constants are checked against the
/// linked Cortex-M4 and rv32 images (McuRuntimeTests).
/// </summary>
public static class RuntimeSize
{
    /// <summary>sizeof(tl_runtime): five pointers, tl_answer (20), tl_stats (8 × 4), four words and eight bytes of flags and counts.</summary>
    public const int CoreStateBytes = 100;

    /// <summary>sizeof(tl_model): two pointers, two uint32, two floats, five uint16 and two uint8, padded to 4.</summary>
    public const int ModelBytes = 36;

    /// <summary>sizeof(tl_beacon): a pointer and a uint16, padded to 4.</summary>
    public const int BeaconBytes = 8;

    /// <summary>
    /// RAM of <c>NAME_runtime</c> besides its window and outputs: tl_runtime, a byte per feature (the age of its
    /// latest reading) and an int16 per vote, with C's padding.
    /// </summary>
    public static int StateBytes(ModelManifest m, int inputs, int outputs)
    {
        int offset = CoreStateBytes + 4 * (inputs + outputs) + m.Input.Features.Count;
        offset = Align(offset, 2) + 2 * m.Output.Vote;
        return Align(offset, 4) - 4 * (inputs + outputs);
    }

    /// <summary>Flash: the beacon ids (UTF-8 with terminators) and table, the model descriptor and the runtime's code.</summary>
    public static long FlashBytes(ModelManifest m, CostModel core) =>
        m.Input.Features.Sum(f => Encoding.UTF8.GetByteCount(f) + 1 + BeaconBytes) + ModelBytes + core.RuntimeCodeBytes;

    private static int Align(int v, int to) => (v + to - 1) / to * to;
}
