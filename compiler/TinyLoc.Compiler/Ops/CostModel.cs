namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The constants behind the flash-code estimate (bytes of Thumb-2 code per construct at -O2), in one
/// place. They are estimates; the MCU tests measure the real ELF (arm-none-eabi-gcc 12 -O2 for
/// Cortex-M4F, the flags of tests/mcu) and keep them honest: the example models' flash estimates are
/// within the tolerance McuReportHonestyTests states. The constants of the qlinear and float linear
/// kernels were fitted to those measurements (tests/bench/results.md has the numbers).
/// </summary>
public static class CostModel
{
    /// <summary>The toolchain, flags and core the code constants were fitted to; the report names it beside the estimate.</summary>
    public const string FittedTo = "arm-none-eabi-gcc 12.2 -O2, Cortex-M4F with its DSP extension (the flags of tests/mcu)";

    /// <summary>A simple looped layer (one row at a time): prologue, two loops, requantisation call.</summary>
    public const int LoopedLayerCodeBytes = 96;

    /// <summary>
    /// A looped int8 layer, per kind of row block it has (the four-row block loop, and the block of the
    /// last Out % 4 rows when there is one): the DSP group loop (two groups per iteration), the In % 4
    /// tail, and a requantisation inlined per row of the block. Measured 695–700 B on the MLP examples; 650
    /// keeps the sequence examples' static heads within the tolerance too (kolakowski_cnn1d was +10 %).
    /// </summary>
    public const int LoopedInt8BlockCodeBytes = 650;

    /// <summary>A looped float layer, per kind of row block it has: the input loop over a block's rows, the activations.</summary>
    public const int LoopedFloatBlockCodeBytes = 190;

    /// <summary>
    /// A scalar unrolled int8 MAC (one row at a time, or the In % 4 tail of the DSP kernel): load the input
    /// byte, multiply-accumulate with an immediate. Measured 12–14 B per nonzero weight.
    /// </summary>
    public const int UnrolledInt8MacCodeBytes = 13;

    /// <summary>
    /// An unrolled MAC of a dynamic-int8 layer: load the quantised input byte from the scratch buffer and
    /// multiply-accumulate with an immediate. Measured 9.7–9.8 B per nonzero weight (kolakowski_mlp, uji_mlp).
    /// </summary>
    public const int UnrolledDynamicMacCodeBytes = 10;

    /// <summary>Per output row of an unrolled dynamic-int8 layer: the zero-point term, the float scale and bias, the activation, the store.</summary>
    public const int UnrolledDynamicRowCodeBytes = 24;

    /// <summary>
    /// A looped llm-int8 layer: the per-call outlier flags and row scales, the int8 and the float outlier
    /// loops, the dequantisation. Fitted on the examples (−1.4 % to −11.9 % before; 240 B was too little).
    /// </summary>
    public const int LoopedLlmInt8LayerCodeBytes = 410;

    /// <summary>
    /// An unrolled int8 weight pair of the DSP kernel (two weights as halfwords of one constant): the
    /// constant (a literal-pool word and its load, or a move) and one SMLAD. Pairs of zeros cost nothing.
    /// </summary>
    public const int UnrolledInt8PairCodeBytes = 10;

    /// <summary>An input word of the unrolled DSP kernel, per four-row block that uses it: one load, two SXTB16.</summary>
    public const int UnrolledInt8GroupCodeBytes = 10;

    /// <summary>Per output row of an unrolled int8 layer: bias, requantisation inlined with its constants, store.</summary>
    public const int UnrolledInt8RowCodeBytes = 36;

    /// <summary>
    /// An unrolled float MAC: load the input, load the constant from a literal pool (4 more bytes; gcc has to
    /// spread the pools and branch around them), multiply, add. Measured 20–21 B per nonzero weight.
    /// </summary>
    public const int UnrolledFloatMacCodeBytes = 20;

    /// <summary>Per output row of an unrolled layer: bias, requantise/activate, store.</summary>
    public const int UnrolledRowCodeBytes = 16;

    /// <summary>An element-wise node (normalise, quantise, activation, table lookup) as a loop.</summary>
    public const int ElementwiseCodeBytes = 48;

    /// <summary>A float matmul of two activations: three loops, the index arithmetic, the optional scale. Not yet measured.</summary>
    public const int MatMulCodeBytes = 80;

    /// <summary>The selective scan: zeroing the state, three loops, the exp call, the state update and the skip term. Not yet measured.</summary>
    public const int SelectiveScanCodeBytes = 200;

    /// <summary>CRF Viterbi over the scores (start, the max-plus recursion, end). Not yet measured.</summary>
    public const int CrfViterbiCodeBytes = 160;

    /// <summary>CRF path mode on top of <see cref="CrfViterbiCodeBytes"/>: back-pointer stores, the final argmax, the backtrack.</summary>
    public const int CrfBacktrackCodeBytes = 80;

    // The sequence ops below were measured on [20, 16] inputs: arm-none-eabi-gcc 12 -O2 for Cortex-M4F with
    // -fno-inline (so helpers such as exp and rsqrt are not counted), the op's share of the predict function.

    /// <summary>A looped float conv1d: the nested loops, the padding test, the activation call. Measured 132–148 B.</summary>
    public const int LoopedConvCodeBytes = 140;

    /// <summary>A looped maxpool1d: three loops and the compare. Measured 76 B.</summary>
    public const int LoopedPoolCodeBytes = 76;

    /// <summary>An rmsnorm: per row the sum of squares, the rsqrt call, the scaling loop. Measured 128 B.</summary>
    public const int RmsNormCodeBytes = 128;

    /// <summary>A layernorm: per row the mean, variance and scaling loops, the rsqrt call. Measured 180 B.</summary>
    public const int LayerNormCodeBytes = 180;

    /// <summary>A softmax: per row the max, exp-and-sum and scaling loops. Measured 132 B.</summary>
    public const int SoftmaxCodeBytes = 132;

    /// <summary>A loop over rows with an inner loop over columns (glu, slice). Measured 72 B.</summary>
    public const int RowLoopCodeBytes = 72;

    /// <summary>The API functions (classify, the label table's access) and the small helpers gcc inlines (requantise, quantise).</summary>
    public const int HelperCodeBytes = 160;

    /// <summary>
    /// A helper function the generated C calls, written once per file (<see cref="Emit.Helper"/>): its own code
    /// at -O2 when gcc keeps it out of line (measured on the examples: exp 620 B, log1p 680 B, rsqrt 632 B,
    /// chooseparams with floatparts inlined 1,904 B, tanh 192 B and elu 168 B around exp). The small ones gcc
    /// inlines into their callers cost nothing here; the per-construct constants above include them.
    /// </summary>
    public static int HelperFunctionBytes(Emit.Helper helper) => helper switch
    {
        Emit.Helper.Exp => 620,
        Emit.Helper.Log1p => 680,
        Emit.Helper.Rsqrt => 632,
        Emit.Helper.ChooseParams => 1904,
        Emit.Helper.Tanh => 192,
        Emit.Helper.Elu => 168,
        _ => 0,
    };

    /// <summary>
    /// Stack of the predict call: its frame (saved registers, spills) and the deepest chain of functions it
    /// calls. Measured with gcc -fcallgraph-info=su on the examples and test models: 20–96 B (classify adds
    /// its score buffer, which the report counts separately, and 12 B).
    /// </summary>
    public const int PredictStackBytes = 112;
}
