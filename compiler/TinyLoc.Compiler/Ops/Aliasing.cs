namespace TinyLoc.Compiler.Ops;

/// <summary>
/// A node's output sharing an input's buffer (<see cref="Op.Aliasing"/>): input <paramref name="Input"/>'s bytes from
/// <paramref name="ByteOffset"/>. <paramref name="View"/>: the output is those bytes, read only (no code copies them);
/// otherwise the op writes its output over the input element by element, allowed only where that input dies.
/// </summary>
public sealed record Aliasing(int Input, int ByteOffset, bool View)
{
    /// <summary>An elementwise op writing over input <paramref name="input"/>.</summary>
    public static Aliasing InPlace(int input = 0) => new(input, 0, false);
}
