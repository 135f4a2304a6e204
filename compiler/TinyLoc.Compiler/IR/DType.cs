namespace TinyLoc.Compiler.IR;

/// <summary>Element types of IR values.</summary>
public enum DType
{
    Float32,
    Int8,
    Int32,
}

public static class DTypes
{
    public static int Size(this DType t) => t == DType.Int8 ? 1 : 4;

    public static string Name(this DType t) => t switch
    {
        DType.Float32 => "f32",
        DType.Int8 => "i8",
        _ => "i32",
    };
}
