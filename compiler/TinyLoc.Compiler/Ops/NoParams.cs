namespace TinyLoc.Compiler.Ops;

/// <summary>The parameters of an op that has none (softmax, add, interleave, …).</summary>
public sealed record NoParams
{
    public static readonly NoParams Instance = new();

    public override string ToString() => string.Empty;
}
