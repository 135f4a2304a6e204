namespace TinyLoc.Bench;

/// <summary>What the bench measured for one model × scheme × layer form on Cortex-M4.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Scheme"><c>static</c> (int8) or <c>none</c> (float32).</param>
/// <param name="Form"><c>all</c> (unrolled) or <c>none</c> (looped).</param>
/// <param name="Portable">Built with <c>-DTINYLOC_NO_DSP</c> (the portable C, not the DSP kernels).</param>
/// <param name="Macs">Multiply-accumulates per inference (the compiler's report).</param>
/// <param name="MeanInstructions">Instructions per inference, the mean over the inputs run.</param>
/// <param name="MinInstructions">The fewest instructions of one inference.</param>
/// <param name="MaxInstructions">The most instructions of one inference.</param>
/// <param name="FlashBytes">The model's text + rodata in the linked image (from the map).</param>
/// <param name="FlashEstimate">The compiler's flash estimate (weights + tables + code).</param>
/// <param name="StaticRamBytes">The model's data + bss in the linked image (from the map).</param>
/// <param name="ArenaBytes">The arena the compiler planned.</param>
/// <param name="LowerBound">The planner's lower bound for the arena.</param>
/// <param name="PredictStackBytes">The deepest stack of a predict call (gcc -fcallgraph-info=su).</param>
/// <param name="Schedule"><c>fused</c> (time-fused loops, the default) or <c>layer</c>.</param>
/// <param name="RamBytes">The report's RAM total for the model alone (arena, scratch, input and output, stack estimate).</param>
public sealed record Measurement(
    string Model,
    string Scheme,
    string Form,
    bool Portable,
    long Macs,
    double MeanInstructions,
    long MinInstructions,
    long MaxInstructions,
    long FlashBytes,
    long FlashEstimate,
    long StaticRamBytes,
    int ArenaBytes,
    int LowerBound,
    int PredictStackBytes,
    string Schedule,
    long RamBytes)
{
    /// <summary>Instructions per MAC of the whole inference (input quantisation and output included).</summary>
    public double InstructionsPerMac => MeanInstructions / Macs;
}
