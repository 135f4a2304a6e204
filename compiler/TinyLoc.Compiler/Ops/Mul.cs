namespace TinyLoc.Compiler.Ops;

/// <summary>The <c>mul</c> op: <c>y = a · b</c> element-wise, two inputs of one shape (gating).</summary>
public sealed record Mul : ElementwiseBinary
{
    public static readonly Mul Instance = new();

    protected override string Operator => "*";

    protected override float Apply(float a, float b) => a * b;
}
