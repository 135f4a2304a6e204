namespace TinyLoc.Compiler.Ops;

/// <summary>The <c>add</c> op: <c>y = a + b</c> element-wise, two inputs of one shape (residual connections).</summary>
public sealed record Add : ElementwiseBinary
{
    public static readonly Add Instance = new();

    protected override string Operator => "+";

    protected override float Apply(float a, float b) => a + b;
}
