namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>What a generated C model produced on the host.</summary>
/// <param name="Outputs">One output vector per input vector, bit-exact.</param>
/// <param name="Classes">One class index per input vector, or null when not classifying.</param>
public sealed record CRunResult(float[][] Outputs, int[]? Classes);
