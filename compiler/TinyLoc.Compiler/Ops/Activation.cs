using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Ops;

/// <summary>Element-wise activations that can stand alone or be fused into a layer's epilogue.</summary>
public enum Activation
{
    None,
    Relu,
    Tanh,
    Sigmoid,
    Silu,

    /// <summary>ELU with alpha 1: x for x &gt; 0, else exp(x) − 1 (computed as an expm1).</summary>
    Elu,

    /// <summary>PyTorch's softplus: log1p(exp(x)), or x above 20.</summary>
    Softplus,

    /// <summary>exp(x) itself (the compiler's exp, saturating at 88 and 0 below −87).</summary>
    Exp,
}

public static class Activations
{
    public static Activation Parse(string name) => name switch
    {
        "relu" => Activation.Relu,
        "tanh" => Activation.Tanh,
        "sigmoid" => Activation.Sigmoid,
        "silu" => Activation.Silu,
        "elu" => Activation.Elu,
        "softplus" => Activation.Softplus,
        "exp" => Activation.Exp,
        _ => Activation.None,
    };

    public static string Name(this Activation a) => a.ToString().ToLowerInvariant();

    /// <summary>True if the emitted function calls the compiler's exp (all but none and relu).</summary>
    public static bool UsesExp(this Activation a) => a is not (Activation.None or Activation.Relu);

    /// <summary>The float function, exactly as emitted.</summary>
    public static float Apply(this Activation a, float x) => a switch
    {
        Activation.Relu => TlMath.Relu(x),
        Activation.Tanh => TlMath.Tanh(x),
        Activation.Sigmoid => TlMath.Sigmoid(x),
        Activation.Silu => TlMath.Silu(x),
        Activation.Elu => TlMath.Elu(x),
        Activation.Softplus => TlMath.Softplus(x),
        Activation.Exp => TlMath.Exp(x),
        _ => x,
    };
}
