namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The constants behind the flash-code estimate (bytes of Thumb-2 code per construct at -O2), in one
/// place. They are estimates; the MCU tests measure the real ELF and keep these honest.
/// </summary>
public static class CostModel
{
    /// <summary>A looped layer: prologue, two loops, requantisation call.</summary>
    public const int LoopedLayerCodeBytes = 96;

    /// <summary>An unrolled int8 MAC: load the input byte, multiply-accumulate with an immediate.</summary>
    public const int UnrolledInt8MacCodeBytes = 8;

    /// <summary>An unrolled float MAC: load input, load constant from the literal pool (+4 bytes), multiply-add.</summary>
    public const int UnrolledFloatMacCodeBytes = 12;

    /// <summary>Per output row of an unrolled layer: bias, requantise/activate, store.</summary>
    public const int UnrolledRowCodeBytes = 16;

    /// <summary>An element-wise node (normalise, quantise, activation, table lookup) as a loop.</summary>
    public const int ElementwiseCodeBytes = 48;

    /// <summary>The shared helpers (requantise, exp, tanh, sigmoid) and the API functions.</summary>
    public const int HelperCodeBytes = 160;

    /// <summary>Stack of the predict call: frame, saved registers, locals.</summary>
    public const int PredictStackBytes = 64;
}
