using TinyLoc.Compiler.Diagnostics;

namespace TinyLoc.Compiler.Import;

/// <summary>Placeholder until the reader lands (being written now).</summary>
public static class SafetensorsReader
{
    public static StateDict? Read(string path, DiagnosticBag diagnostics) => throw new System.NotImplementedException(path + diagnostics);
}
