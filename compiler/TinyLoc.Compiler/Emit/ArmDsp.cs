namespace TinyLoc.Compiler.Emit;

/// <summary>
/// The C prelude of the Cortex-M DSP kernels: when the compiler targets a core with the DSP extension
/// (Cortex-M4, M7, M33 with DSP), int8 layers use dual 16-bit multiply-accumulates (SMLAD) on four
/// weights per word; everywhere else, and with <c>-DTINYLOC_NO_DSP</c>, the portable C beside them runs.
/// Both give the same integers: the sums are exact in int32 (the compiler proves no partial sum can
/// overflow, TL3003), so the order of the additions does not matter. C# has only the portable code.
/// </summary>
/// <remarks>
/// The prelude defines <c>NAME_DSP</c> (1 or 0) and, when 1: <c>NAME_sxtb16_ror8</c> (SXTB16 with ROR #8,
/// which has no ACLE intrinsic: the odd bytes of a word as two sign-extended halfwords), <c>NAME_dot4</c>
/// (accumulate four int8 products: two SXTB16 and two SMLAD). The kernels put <see cref="Fence"/>
/// between groups of inputs. The word loads use memcpy, which compiles to single (unaligned-capable)
/// LDRs on these cores.
/// </remarks>
public static class ArmDsp
{
    /// <summary>The per-model macro that says whether the DSP kernels are compiled: <c>UJI_MLP_DSP</c>.</summary>
    public static string Macro(Dialect d) => d.Sym("dsp").ToUpperInvariant();

    /// <summary>The per-model name of the SXTB16-with-ROR-8 helper.</summary>
    public static string SxtbRor8(Dialect d) => d.Sym("sxtb16_ror8");

    /// <summary>The per-model macro packing two int8 weights into one SMLAD operand: <c>UJI_MLP_PAIR(lo, hi)</c>.</summary>
    public static string Pair(Dialect d) => d.Sym("pair").ToUpperInvariant();

    /// <summary>The per-model macro loading two consecutive words of a weight table with one LDRD: <c>UJI_MLP_LDRD(p, off, a, b)</c>.</summary>
    public static string Ldrd(Dialect d) => d.Sym("ldrd").ToUpperInvariant();

    /// <summary>The per-model name of the four-MAC helper.</summary>
    public static string Dot4(Dialect d) => d.Sym("dot4");

    /// <summary>Writes the prelude (C only).</summary>
    public static void Emit(CodeWriter w, Dialect d)
    {
        string macro = Macro(d);
        w.Line("/* Cortex-M DSP extension: int8 layers use dual 16-bit MACs (SMLAD); any other target, or");
        w.Line(" * -DTINYLOC_NO_DSP, compiles the portable C next to them. Both compute the same integers. */");
        w.Line("#if defined(__ARM_FEATURE_DSP) && defined(__ARM_FEATURE_SIMD32) && defined(__GNUC__) && !defined(__ARM_BIG_ENDIAN) && !defined(TINYLOC_NO_DSP)");
        w.Line("#include <arm_acle.h>");
        w.Line("#include <string.h>");
        w.Line($"#define {macro} 1");
        w.Line("/* Two int8 weights as the halfwords of one SMLAD operand (a constant the compiler folds). */");
        w.Line($"#define {Pair(d)}(lo, hi) ((int32_t)(((uint32_t)(uint16_t)(int16_t)(hi) << 16) | (uint16_t)(int16_t)(lo)))");
        w.Line();
        w.Line("/* The odd bytes of v as two sign-extended halfwords (SXTB16 with ROR #8). */");
        w.Open($"static inline int32_t {SxtbRor8(d)}(int32_t v)");
        w.Line("int32_t r;");
        w.Line("__asm__(\"sxtb16 %0, %1, ror #8\" : \"=r\"(r) : \"r\"(v));");
        w.Line("return r;");
        w.Close();
        w.Line();
        w.Line("/* a = p[off / 4], b = p[off / 4 + 1] with one LDRD (off: a constant byte offset, a multiple of 4 below 256;");
        w.Line(" * gcc does not pair the two loads itself). The table is constant, so the load needs no ordering. */");
        w.Line($"#define {Ldrd(d)}(p, off, a, b) __asm__(\"ldrd %0, %1, [%2, %3]\" : \"=r\"(a), \"=r\"(b) : \"r\"(p), \"I\"(off))");
        w.Line();
        w.Line("/* acc + the four products of the int8 weights packed in w with the int8 inputs whose even and");
        w.Line(" * odd bytes are xe and xo (SXTB16 of the input word, without and with ROR #8). */");
        w.Open($"static inline int32_t {Dot4(d)}(int32_t acc, int32_t w, int32_t xe, int32_t xo)");
        w.Line($"return __smlad({SxtbRor8(d)}(w), xo, __smlad(__sxtb16(w), xe, acc));");
        w.Close();
        w.Line("#else");
        w.Line($"#define {macro} 0");
        w.Line("#endif");
    }
}
