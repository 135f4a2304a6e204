namespace TinyLoc.Compiler.Import.Pickle;

/// <summary>
/// Decides what the opcodes that would run code in Python mean. The restricted unpickler never imports or
/// calls anything; it hands every GLOBAL, REDUCE, BINPERSID and BUILD to a policy, which answers with inert
/// data objects or refuses by throwing a <see cref="Diagnostics.DiagnosticException"/> (a named refusal) or a
/// <see cref="PickleDataException"/> (bad arguments; the unpickler adds the byte offset).
/// </summary>
internal interface IUnpicklerPolicy
{
    /// <summary>Returns an inert marker for an allowlisted global, or throws TL1004.</summary>
    object ResolveGlobal(string module, string name);

    /// <summary>"Calls" an allowlisted marker with its argument tuple by building a data object.</summary>
    object? Reduce(object? callable, PickleTuple arguments);

    /// <summary>Resolves a persistent id (BINPERSID), e.g. a reference to a tensor storage.</summary>
    object? PersistentLoad(object? persistentId);

    /// <summary>Applies BUILD state to an object; policies may ignore it.</summary>
    void Build(object? target, object? state);
}
