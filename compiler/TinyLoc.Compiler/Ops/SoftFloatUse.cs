namespace TinyLoc.Compiler.Ops;

/// <summary>
/// Which groups of soft-float library routines an op's code pulls in on a core without an FPU (rv32imc), as the
/// rv32 link maps of every example × scheme × form showed (<see cref="CostModel.LibraryBytes"/> adds their sizes).
/// </summary>
[System.Flags]
public enum SoftFloatUse
{
    None = 0,

    /// <summary>int↔float conversions and 64-bit shifts: every int8 layer and quantiser.</summary>
    Conversions = 1,

    /// <summary>Subtraction: unrolled float layers (negative weights) and llm-int8.</summary>
    Subtract = 2,

    /// <summary>Division: llm-int8's row scales.</summary>
    Divide = 4,

    /// <summary>A float kernel (convolution, norm, attention, scan) that needs subtraction once int8 layers are beside it.</summary>
    FloatKernel = 8,
}
