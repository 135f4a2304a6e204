using System;

namespace TinyLoc.Compiler.Import.Pickle;

/// <summary>
/// Raised by the unpickler's helpers and by an <see cref="IUnpicklerPolicy"/> when the pickle's data does not
/// make sense (wrong argument types, bad shapes, …). The unpickler turns it into a TL1006 diagnostic that
/// names the byte offset of the opcode being executed.
/// </summary>
internal sealed class PickleDataException : Exception
{
    public PickleDataException(string message)
        : base(message)
    {
    }
}
