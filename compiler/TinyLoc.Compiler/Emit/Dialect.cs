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

    public string Type(DType t) => t switch
    {
        DType.Float32 => F32,
        DType.Int8 => I8,
        _ => I32,
    };

    /// <summary>The name of a model-level symbol: prefixed in C, as is in C#.</summary>
    public string Sym(string name) => IsC ? Prefix + name : name;

    public string Lit(float v) => Fmt.FloatLiteral(v);

    public string Lit(int v) => Fmt.IntLiteral(v);

    /// <summary><c>x - c</c>, written <c>x + |c|</c> when c is negative (the same value in IEEE and in integers).</summary>
    public string Minus(string x, float c) => c < 0 ? $"{x} + {Lit(-c)}" : $"{x} - {Lit(c)}";

    public string Minus(string x, int c) => c < 0 && c != int.MinValue ? $"{x} + {Lit(-c)}" : $"{x} - {Lit(c)}";
}
