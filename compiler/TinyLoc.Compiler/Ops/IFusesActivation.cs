namespace TinyLoc.Compiler.Ops;

/// <summary>
/// An op that can apply a float activation to its own result (<see cref="Passes.ActivationFusion"/> folds a
/// following activation into it): a linear layer, a convolution.
/// </summary>
public interface IFusesActivation
{
    /// <summary>The activation it applies now (None before fusion).</summary>
    Activation Act { get; }

    /// <summary>The same op applying <paramref name="act"/>.</summary>
    Op WithActivation(Activation act);
}
