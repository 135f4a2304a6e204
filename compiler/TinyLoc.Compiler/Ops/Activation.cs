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
}

public static class Activations
{
    public static Activation Parse(string name) => name switch
    {
        "relu" => Activation.Relu,
        "tanh" => Activation.Tanh,
        "sigmoid" => Activation.Sigmoid,
        "silu" => Activation.Silu,
        _ => Activation.None,
    };

    public static string Name(this Activation a) => a.ToString().ToLowerInvariant();

    /// <summary>True if the emitted function calls the compiler's exp (tanh, sigmoid, silu).</summary>
    public static bool UsesExp(this Activation a) => a is Activation.Tanh or Activation.Sigmoid or Activation.Silu;

    /// <summary>The float function, exactly as emitted.</summary>
    public static float Apply(this Activation a, float x) => a switch
    {
        Activation.Relu => TlMath.Relu(x),
        Activation.Tanh => TlMath.Tanh(x),
        Activation.Sigmoid => TlMath.Sigmoid(x),
        Activation.Silu => TlMath.Silu(x),
        _ => x,
    };
}
