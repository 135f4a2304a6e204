using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The code-size constants of one core (bytes of code per construct), in one place: what the flash
/// estimate, <c>--unroll auto</c> and <c>--scheme auto</c> rest on. The properties say what each construct
/// is and, where noted, what it measured on Cortex-M4 (arm-none-eabi-gcc 12 -O2, the flags of tests/mcu);
/// the instances at the end give each core's values. <see cref="CortexM4NoDsp"/> and <see cref="Rv32imc"/>
/// were fitted by weighted least squares (relative error, pulled towards the Cortex-M4 values) to the
/// images of every example × scheme × form built for them. McuReportHonestyTests holds every one of those
/// images to its tolerance on every core.
/// </summary>
public sealed record CostModel
{
    /// <summary>The toolchain, flags and core the code constants were fitted to; the report names it beside the estimate.</summary>
    public string FittedTo { get; init; } = string.Empty;

    /// <summary>The core's name, as <c>--core</c> takes it.</summary>
    public string Core { get; init; } = string.Empty;

    /// <summary>True when the generated C takes its DSP int8 kernels on this core (SMLAD on Cortex-M4 and up).</summary>
    public bool Dsp { get; init; }

    /// <summary>A simple looped layer (one row at a time): prologue, two loops, requantisation call.</summary>
    public int LoopedLayerCodeBytes { get; init; }

    /// <summary>
    /// A looped int8 layer, per kind of row block it has (the four-row block loop, and the block of the
    /// last Out % 4 rows when there is one): the DSP group loop (two groups per iteration), the In % 4
    /// tail, and a requantisation inlined per row of the block. Since the shift test left the rows (every
    /// example's layers have shifts above 32), the example images (text + rodata, map) came out 267–287 B per
    /// block kind below the old 650 on Cortex-M4 (uji_mlp, kolakowski_mlp: four block kinds each) and 225–247 B
    /// below it with -DTINYLOC_NO_DSP; the sequence examples agree within 1 %.
    /// </summary>
    public int LoopedInt8BlockCodeBytes { get; init; }

    /// <summary>
    /// The wide int8 layer (<see cref="QLinearWide"/>), per kind of row block it has: the block's fixed code (pointers,
    /// loop). With the two constants below and <see cref="UnrolledInt8GroupCodeBytes"/> per copy of a group, the eight
    /// example images in the wide form (static) came within −1.3 % … +5.3 % of the estimate on Cortex-M4.
    /// </summary>
    public int WideInt8BlockCodeBytes { get; init; }

    /// <summary>The wide int8 layer, per row of a block: bias load, requantisation inlined, store.</summary>
    public int WideInt8RowCodeBytes { get; init; }

    /// <summary>The wide int8 layer, per row and copy of a group: one LDRD of two int16-pair words, two SMLAD (12 B of Thumb-2).</summary>
    public int WideInt8PairsCodeBytes { get; init; }

    /// <summary>A looped float layer, per kind of row block it has: the input loop over a block's rows, the activations.</summary>
    public int LoopedFloatBlockCodeBytes { get; init; }

    /// <summary>
    /// A scalar unrolled int8 MAC (one row at a time, or the In % 4 tail of the DSP kernel): load the input
    /// byte, multiply-accumulate with an immediate. Measured 12–14 B per nonzero weight.
    /// </summary>
    public int UnrolledInt8MacCodeBytes { get; init; }

    /// <summary>
    /// An unrolled MAC of a dynamic-int8 layer: load the quantised input byte from the scratch buffer and
    /// multiply-accumulate with an immediate. Measured 9.7–9.8 B per nonzero weight (kolakowski_mlp, uji_mlp).
    /// </summary>
    public int UnrolledDynamicMacCodeBytes { get; init; }

    /// <summary>Per output row of an unrolled dynamic-int8 layer: the zero-point term, the float scale and bias, the activation, the store.</summary>
    public int UnrolledDynamicRowCodeBytes { get; init; }

    /// <summary>
    /// A looped llm-int8 layer: the per-call outlier flags and row scales, the int8 and the float outlier
    /// loops, the dequantisation. Fitted on the examples (−1.4 % to −11.9 % before; 240 B was too little).
    /// </summary>
    public int LoopedLlmInt8LayerCodeBytes { get; init; }

    /// <summary>
    /// An unrolled int8 weight pair of the DSP kernel (two weights as halfwords of one constant): the
    /// constant (a literal-pool word and its load, or a move) and one SMLAD. Pairs of zeros cost nothing.
    /// </summary>
    public int UnrolledInt8PairCodeBytes { get; init; }

    /// <summary>An input word of the unrolled DSP kernel, per four-row block that uses it: one load, two SXTB16.</summary>
    public int UnrolledInt8GroupCodeBytes { get; init; }

    /// <summary>Per output row of an unrolled int8 layer: bias, requantisation inlined with its constants, store.</summary>
    public int UnrolledInt8RowCodeBytes { get; init; }

    /// <summary>
    /// An unrolled float MAC: load the input, load the constant from a literal pool (4 more bytes; gcc has to
    /// spread the pools and branch around them), multiply, add. Measured 20–21 B per nonzero weight.
    /// </summary>
    public int UnrolledFloatMacCodeBytes { get; init; }

    /// <summary>Per output row of an unrolled layer: bias, requantise/activate, store.</summary>
    public int UnrolledRowCodeBytes { get; init; }

    /// <summary>An element-wise node (normalise, quantise, activation, table lookup) as a loop.</summary>
    public int ElementwiseCodeBytes { get; init; }

    /// <summary>
    /// The integer input table's test and lookup in front of the input quantisation's float path
    /// (<see cref="Quantize.IntegerTable"/>): on Cortex-M4 twelve instructions and two literals, 36 B in uji_mlp's image.
    /// </summary>
    public int InputTableCodeBytes { get; init; }

    /// <summary>A float matmul of two activations: three loops, the index arithmetic, the optional scale. Not yet measured.</summary>
    public int MatMulCodeBytes { get; init; }

    /// <summary>
    /// The selective scan: zeroing the state, three loops, its exp written into the innermost loop, the state update and
    /// the skip term. Measured on kolakowski_mamba as the growth of predict when the exp call became the inline exp (Cortex-M4
    /// 2,948 → 3,142 B, rv32 4,414 → 4,832 B) plus the earlier constant.
    /// </summary>
    public int SelectiveScanCodeBytes { get; init; }

    /// <summary>CRF Viterbi over the scores (start, the max-plus recursion, end). Not yet measured.</summary>
    public int CrfViterbiCodeBytes { get; init; }

    /// <summary>CRF path mode on top of <see cref="CrfViterbiCodeBytes"/>: back-pointer stores, the final argmax, the backtrack.</summary>
    public int CrfBacktrackCodeBytes { get; init; }

    // The sequence ops below were measured on [20, 16] inputs: arm-none-eabi-gcc 12 -O2 for Cortex-M4F with
    // -fno-inline (so helpers such as exp and rsqrt are not counted), the op's share of the predict function.

    /// <summary>A looped float conv1d: the nested loops, the padding test, the activation call. Measured 132–148 B.</summary>
    public int LoopedConvCodeBytes { get; init; }

    /// <summary>A looped maxpool1d: three loops and the compare. Measured 76 B.</summary>
    public int LoopedPoolCodeBytes { get; init; }

    /// <summary>An rmsnorm: per row the sum of squares, the rsqrt call, the scaling loop. Measured 128 B.</summary>
    public int RmsNormCodeBytes { get; init; }

    /// <summary>A layernorm: per row the mean, variance and scaling loops, the rsqrt call. Measured 180 B.</summary>
    public int LayerNormCodeBytes { get; init; }

    /// <summary>A softmax: per row the max, exp-and-sum and scaling loops. Measured 132 B.</summary>
    public int SoftmaxCodeBytes { get; init; }

    /// <summary>A loop over rows with an inner loop over columns (glu, slice). Measured 72 B.</summary>
    public int RowLoopCodeBytes { get; init; }

    /// <summary>The API functions (classify, the label table's access) and the small helpers gcc inlines (requantise, quantise).</summary>
    public int HelperCodeBytes { get; init; }

    /// <summary>
    /// A helper function the generated C calls, written once per file (<see cref="Emit.Helper"/>): its own code
    /// at -O2 when gcc keeps it out of line (measured on the examples: exp 412 B with its 128 B scale table, log1p 680 B, rsqrt 632 B,
    /// chooseparams with floatparts inlined 1,904 B, tanh 192 B and elu 168 B around exp). The small ones gcc
    /// inlines into their callers cost nothing here; the per-construct constants above include them.
    /// </summary>
    public int HelperFunctionBytes(Emit.Helper helper) => helper switch
    {
        Emit.Helper.Exp => ExpFunctionBytes,
        Emit.Helper.Log1p => Log1pFunctionBytes,
        Emit.Helper.Rsqrt => RsqrtFunctionBytes,
        Emit.Helper.ChooseParams => ChooseParamsFunctionBytes,
        Emit.Helper.QuantizeDynamic => QuantizeDynamicFunctionBytes,
        Emit.Helper.Tanh => TanhFunctionBytes,
        Emit.Helper.Elu => EluFunctionBytes,
        _ => 0,
    };

    /// <summary>
    /// The runtime's code (runtime/c/tinyloc_runtime.c, every public function, and the model's NAME_runtime_init),
    /// measured from the object files with the flags of tests/mcu. The float arithmetic it calls on a core without
    /// an FPU is the model's own (counted with the model).
    /// </summary>
    public int RuntimeCodeBytes { get; init; }

    /// <summary>
    /// Stack of the predict call: its frame (saved registers, spills) and the deepest chain of functions it
    /// calls. Measured with gcc -fcallgraph-info=su on the examples and test models: 20–96 B (classify adds
    /// its score buffer, which the report counts separately, and 12 B).
    /// </summary>
    public int PredictStackBytes { get; init; }

    /// <summary>
    /// Stack the wide int8 kernel adds to predict's frame on a DSP core (its six accumulators and pointers spill):
    /// predict measured 136 B with wide layers against 72–88 B looped (uji_mlp, kolakowski_mlp; gcc -fcallgraph-info=su),
    /// and uji_mlp's classify over it 200 B deep (classify's own frame 64 B = its 52 B of scores + 12 B).
    /// </summary>
    public int WideInt8StackBytes { get; init; }

    /// <summary>
    /// Soft-float library code (libgcc) every model on a core without an FPU calls: add, multiply, the
    /// comparisons and the count-leading-zeros table they share. 0 where the FPU does the arithmetic.
    /// </summary>
    public int SoftFloatCoreBytes { get; init; }

    /// <summary>Soft-float int↔float conversions (and 64-bit shifts): int8 layers, and the exp helper.</summary>
    public int SoftFloatConversionBytes { get; init; }

    /// <summary>Soft-float subtraction: unrolled float layers (negative weights), the helpers, llm-int8, and float layers beside int8 ones.</summary>
    public int SoftFloatSubtractBytes { get; init; }

    /// <summary>Soft-float division: the helpers (exp, rsqrt, chooseparams, ...) and llm-int8's row scales.</summary>
    public int SoftFloatDivideBytes { get; init; }

    /// <summary>
    /// The library code the model's C pulls in on this core: the soft-float routines its arithmetic needs
    /// (none on an FPU core: the library-pull test proves that on Cortex-M4). Which routines a graph needs was
    /// read off the rv32 link maps of every example × scheme × form; the groups above are what those maps showed.
    /// </summary>
    public long LibraryBytes(Graph graph, IReadOnlyCollection<Emit.Helper> helpers)
    {
        if (SoftFloatCoreBytes == 0)
        {
            return 0;
        }

        bool helper = helpers.Any(h => HelperFunctionBytes(h) > 0);
        var use = graph.Nodes.Aggregate(SoftFloatUse.None, (u, n) => u | n.Op.SoftFloat(n));
        bool int8 = use.HasFlag(SoftFloatUse.Conversions);
        bool floatBesideInt8 = int8 && use.HasFlag(SoftFloatUse.FloatKernel);
        return SoftFloatCoreBytes
            + (int8 || helper ? SoftFloatConversionBytes : 0)
            + (helper || use.HasFlag(SoftFloatUse.Subtract) || floatBesideInt8 ? SoftFloatSubtractBytes : 0)
            + (helper || use.HasFlag(SoftFloatUse.Divide) ? SoftFloatDivideBytes : 0);
    }

    /// <summary>The exp helper's code (<see cref="HelperFunctionBytes"/>).</summary>
    public int ExpFunctionBytes { get; init; }

    /// <summary>The log1p helper's code.</summary>
    public int Log1pFunctionBytes { get; init; }

    /// <summary>The rsqrt helper's code.</summary>
    public int RsqrtFunctionBytes { get; init; }

    /// <summary>The chooseparams helper's code (floatparts inlined).</summary>
    public int ChooseParamsFunctionBytes { get; init; }

    /// <summary>The dynamic layers' shared input quantiser (two loops around the chooseparams call).</summary>
    public int QuantizeDynamicFunctionBytes { get; init; }

    /// <summary>What the dynamic layers share, written once however many there are: the quantiser and chooseparams.</summary>
    public int DynamicSharedBytes => ChooseParamsFunctionBytes + QuantizeDynamicFunctionBytes;

    /// <summary>The tanh helper's code around exp.</summary>
    public int TanhFunctionBytes { get; init; }

    /// <summary>The elu helper's code around exp.</summary>
    public int EluFunctionBytes { get; init; }

    /// <summary>Cortex-M4F with its DSP extension: arm-none-eabi-gcc 12.2 -O2, hard float (the <c>stm32</c> target's core).</summary>
    public static CostModel CortexM4 { get; } = new()
    {
        Core = "cortex-m4",
        FittedTo = "arm-none-eabi-gcc 12.2 -O2, Cortex-M4F with its DSP extension (the flags of tests/mcu)",
        Dsp = true,
        LoopedLayerCodeBytes = 96,
        LoopedInt8BlockCodeBytes = 375,
        WideInt8BlockCodeBytes = 60,
        WideInt8RowCodeBytes = 40,
        WideInt8PairsCodeBytes = 12,
        LoopedFloatBlockCodeBytes = 190,
        UnrolledInt8MacCodeBytes = 13,
        UnrolledDynamicMacCodeBytes = 10,
        UnrolledDynamicRowCodeBytes = 24,
        LoopedLlmInt8LayerCodeBytes = 410,
        UnrolledInt8PairCodeBytes = 10,
        UnrolledInt8GroupCodeBytes = 10,
        UnrolledInt8RowCodeBytes = 36,
        UnrolledFloatMacCodeBytes = 20,
        UnrolledRowCodeBytes = 16,
        ElementwiseCodeBytes = 48,
        InputTableCodeBytes = 40,
        MatMulCodeBytes = 80,
        SelectiveScanCodeBytes = 394,
        CrfViterbiCodeBytes = 160,
        CrfBacktrackCodeBytes = 80,
        LoopedConvCodeBytes = 140,
        LoopedPoolCodeBytes = 76,
        RmsNormCodeBytes = 128,
        LayerNormCodeBytes = 180,
        SoftmaxCodeBytes = 132,
        RowLoopCodeBytes = 72,
        HelperCodeBytes = 160,
        RuntimeCodeBytes = 1848,
        PredictStackBytes = 112,
        WideInt8StackBytes = 40,
        ExpFunctionBytes = 412,
        Log1pFunctionBytes = 680,
        RsqrtFunctionBytes = 632,
        ChooseParamsFunctionBytes = 1904,
        QuantizeDynamicFunctionBytes = 144,
        TanhFunctionBytes = 192,
        EluFunctionBytes = 168,
    };

    /// <summary>
    /// Cortex-M4F running the portable int8 kernels: the <see cref="CortexM4"/> build with <c>-DTINYLOC_NO_DSP</c>
    /// (what a core without the DSP extension runs, or a user who turns it off).
    /// </summary>
    public static CostModel CortexM4NoDsp { get; } = CortexM4 with
    {
        Core = "cortex-m4-nodsp",
        FittedTo = "arm-none-eabi-gcc 12.2 -O2, Cortex-M4F with -DTINYLOC_NO_DSP (the flags of tests/mcu)",
        Dsp = false,
        LoopedInt8BlockCodeBytes = 415,
        UnrolledInt8MacCodeBytes = 10,
        UnrolledInt8RowCodeBytes = 50,
    };

    /// <summary>RISC-V rv32imc without an FPU (ESP32-C3 class, the <c>esp-idf</c> target's core): soft float from libgcc.</summary>
    public static CostModel Rv32imc { get; } = CortexM4NoDsp with
    {
        Core = "rv32imc",
        FittedTo = "riscv64-unknown-elf-gcc 12.2 -Os -march=rv32imc, libgcc soft float (the flags of tests/mcu)",
        LoopedLayerCodeBytes = 129,
        LoopedInt8BlockCodeBytes = 364,
        LoopedFloatBlockCodeBytes = 170,
        UnrolledInt8MacCodeBytes = 10,
        UnrolledDynamicRowCodeBytes = 26,
        LoopedLlmInt8LayerCodeBytes = 480,
        UnrolledInt8RowCodeBytes = 84,
        UnrolledFloatMacCodeBytes = 28,
        UnrolledRowCodeBytes = 9,
        ElementwiseCodeBytes = 60,
        MatMulCodeBytes = 117,
        SelectiveScanCodeBytes = 580,
        CrfViterbiCodeBytes = 168,
        LoopedConvCodeBytes = 179,
        LoopedPoolCodeBytes = 67,
        RmsNormCodeBytes = 112,
        LayerNormCodeBytes = 328,
        SoftmaxCodeBytes = 183,
        RowLoopCodeBytes = 66,
        HelperCodeBytes = 180,
        RuntimeCodeBytes = 2040,
        ExpFunctionBytes = 429,
        Log1pFunctionBytes = 1064,
        RsqrtFunctionBytes = 764,
        ChooseParamsFunctionBytes = 1785,
        QuantizeDynamicFunctionBytes = 180,
        TanhFunctionBytes = 240,
        EluFunctionBytes = 195,
        SoftFloatCoreBytes = 2100,
        SoftFloatConversionBytes = 366,
        SoftFloatSubtractBytes = 878,
        SoftFloatDivideBytes = 650,
    };

    /// <summary>Every core, by <see cref="Core"/>.</summary>
    public static IReadOnlyList<CostModel> All { get; } = [CortexM4, CortexM4NoDsp, Rv32imc];

    /// <summary>The cores' names, for messages and help.</summary>
    public static string Names => string.Join(", ", All.Select(c => c.Core));

    /// <summary>The core named <paramref name="name"/>, or null.</summary>
    public static CostModel? ByName(string name) => All.FirstOrDefault(c => c.Core == name);
}
