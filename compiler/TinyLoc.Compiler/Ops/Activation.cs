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

    /// <summary>The helper the emitted code calls for the activation (none and relu are inline).</summary>
    public static Emit.Helper? Helper(this Activation a) => a switch
    {
        Activation.Tanh => Emit.Helper.Tanh,
        Activation.Sigmoid => Emit.Helper.Sigmoid,
        Activation.Silu => Emit.Helper.Silu,
        Activation.Elu => Emit.Helper.Elu,
        Activation.Softplus => Emit.Helper.Softplus,
        Activation.Exp => Emit.Helper.Exp,
        _ => null,
    };

    /// <summary>
    /// The int8 output quantisation an activation's table always has, whatever the calibration says (TFLite's fixed
    /// scales: tanh's output in [−1, 1) as q/128, sigmoid's in [0, 1) as (q + 128)/256), or null to take it from the ranges.
    /// </summary>
    public static IR.QuantParams? FixedOutputQuant(this Activation a) => a switch
    {
        Activation.Tanh => new IR.QuantParams(1.0f / 128, 0),
        Activation.Sigmoid => new IR.QuantParams(1.0f / 256, -128),
        _ => null,
    };

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
