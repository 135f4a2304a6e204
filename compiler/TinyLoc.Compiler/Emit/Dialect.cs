using System;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Emit;

public enum Language
{
    C,
    CSharp,
}

/// <summary>
/// The few spellings that differ between the C99 and C# we emit. Kernel bodies are written once against
/// this, so C and C# have the same statements in the same order, which keeps them bit-identical.
/// </summary>
public sealed class Dialect
{
    public Dialect(Language language, string prefix)
    {
        Language = language;
        Prefix = prefix;
    }

    public Language Language { get; }

    /// <summary>C symbol prefix, e.g. <c>uji_mlp_</c> (empty in C#, where the class scopes names).</summary>
    public string Prefix { get; }

    public bool IsC => Language == Language.C;

    public string I8 => IsC ? "int8_t" : "sbyte";

    public string I32 => IsC ? "int32_t" : "int";

    public string I64 => IsC ? "int64_t" : "long";

    public string F32 => "float";

    // Unrolled int8 dot products. The compiler proves before emitting that every partial sum of a row fits
    // int32 (TL3003), so C accumulates them in wrapping uint32_t arithmetic, which gives the same 32 bits:
    // there is no overflow for UBSan to check in thousands of immediate MACs (checking them made one
    // unrolled 520-input layer take gcc minutes), and the emitted instructions are the same. C# int is the
    // same wrapping arithmetic already.

    /// <summary>The accumulator type of an unrolled int8 dot product.</summary>
    public string DotAcc => IsC ? "uint32_t" : "int";

    /// <summary>An int32 expression as the accumulator's first value.</summary>
    public string DotInit(string int32Expr) => IsC ? $"(uint32_t)({int32Expr})" : int32Expr;

    /// <summary>The accumulator as the int32 it holds.</summary>
    public string DotValue(string acc) => IsC ? $"(int32_t){acc}" : acc;

    /// <summary>One term <c>w·x</c> of an unrolled dot product (x an int8 expression), signed into the sum unless <paramref name="first"/>.</summary>
    public string DotTerm(int w, string x, bool first) => IsC ? Signed(w, $"{Math.Abs(w)}u * (uint32_t){x}", first) : Term(w, x, first);

    /// <summary>One term <c>w·x</c> of an int32 sum, written <c>- 5 * x</c> rather than <c>+ -5 * x</c> after the first.</summary>
    public string Term(int w, string x, bool first) => Signed(w, $"{Fmt.Int(Math.Abs(w))} * {x}", first);

    private static string Signed(int w, string magnitudeTerm, bool first) =>
        (w < 0 ? (first ? "-" : " - ") : (first ? string.Empty : " + ")) + magnitudeTerm;

    public string Type(DType t) => t switch
    {
        DType.Float32 => F32,
        DType.Int8 => I8,
        _ => I32,
    };

    /// <summary>A model-level C macro: <c>UJI_MLP_ARENA_ATTRIBUTE</c>.</summary>
    public string Macro(string name) => Prefix.ToUpperInvariant() + name;

    /// <summary>The name of a model-level symbol: prefixed in C, as is in C#.</summary>
    public string Sym(string name) => IsC ? Prefix + name : name;

    public string Lit(float v) => Fmt.FloatLiteral(v);

    public string Lit(int v) => Fmt.IntLiteral(v);

    /// <summary><c>x - c</c>, written <c>x + |c|</c> when c is negative (the same value in IEEE and in integers).</summary>
    public string Minus(string x, float c) => c < 0 ? $"{x} + {Lit(-c)}" : $"{x} - {Lit(c)}";

    public string Minus(string x, int c) => c < 0 && c != int.MinValue ? $"{x} + {Lit(-c)}" : $"{x} - {Lit(c)}";
}
