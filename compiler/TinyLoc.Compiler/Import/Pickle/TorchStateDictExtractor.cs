using System.Collections.Generic;
using TinyLoc.Compiler.Diagnostics;

namespace TinyLoc.Compiler.Import.Pickle;

/// <summary>
/// Finds the state dict in an unpickled <c>torch.save</c> object: a dict of names to tensors, or such a dict
/// under a top-level <c>"state_dict"</c> or <c>"model_state_dict"</c> key (the usual training-checkpoint
/// layout). Anything else is TL1009 with a description of what the file holds; a quantised tensor is TL1008.
/// </summary>
internal static class TorchStateDictExtractor
{
    /// <summary>The keys of a training checkpoint under which a state dict is looked for.</summary>
    public static readonly IReadOnlyList<string> WrapperKeys = new[] { "state_dict", "model_state_dict" };

    /// <summary>Returns the entries (name, <see cref="TorchTensorRef"/> or <see cref="UnsupportedTensor"/>) in state-dict order.</summary>
    /// <exception cref="DiagnosticException">TL1009 or TL1008.</exception>
    public static IReadOnlyList<KeyValuePair<string, object>> Extract(object? root, SourceLocation location)
    {
        if (root is not PickleDict dict)
        {
            throw new DiagnosticException(DiagnosticDescriptors.NotAStateDict, location, PickleValue.Describe(root));
        }

        if (TryGetTensorEntries(dict, out var entries))
        {
            return entries;
        }

        foreach (string key in WrapperKeys)
        {
            if (dict.TryGetValue(key, out object? inner) && inner is PickleDict innerDict && TryGetTensorEntries(innerDict, out entries))
            {
                return entries;
            }
        }

        ThrowIfQuantised(dict, location);
        throw new DiagnosticException(DiagnosticDescriptors.NotAStateDict, location, DescribeMismatch(dict));
    }

    private static bool TryGetTensorEntries(PickleDict dict, out IReadOnlyList<KeyValuePair<string, object>> entries)
    {
        var list = new List<KeyValuePair<string, object>>(dict.Count);
        foreach (var entry in dict.Entries)
        {
            if (entry.Key is not string name || entry.Value is not (TorchTensorRef or UnsupportedTensor))
            {
                entries = list;
                return false;
            }

            list.Add(new KeyValuePair<string, object>(name, entry.Value));
        }

        entries = list;
        return true;
    }

    /// <summary>A quantised state dict holds packed parameters as tuples of tensors: report the quantised type.</summary>
    private static void ThrowIfQuantised(PickleDict dict, SourceLocation location)
    {
        foreach (var entry in dict.Entries)
        {
            var unsupported = entry.Value as UnsupportedTensor;
            if (unsupported is null && entry.Value is PickleTuple tuple)
            {
                foreach (object? item in tuple)
                {
                    unsupported ??= item as UnsupportedTensor;
                }
            }

            if (unsupported is not null)
            {
                throw new DiagnosticException(DiagnosticDescriptors.UnsupportedDtype, location,
                    entry.Key as string ?? PickleValue.Describe(entry.Key), unsupported.ElementTypeText);
            }
        }
    }

    private static string DescribeMismatch(PickleDict dict)
    {
        string? nested = null;
        foreach (var entry in dict.Entries)
        {
            if (nested is null && entry.Key is string nestedKey && entry.Value is PickleDict inner && inner.Count > 0
                && TryGetTensorEntries(inner, out _))
            {
                nested = nestedKey;
            }
        }

        string hint = nested is null
            ? string.Empty
            : " (its entry '" + nested + "' looks like a state_dict; save that alone)";
        foreach (var entry in dict.Entries)
        {
            if (entry.Key is not string name)
            {
                return "a dict with " + PickleValue.Describe(entry.Key) + " as a key" + hint;
            }

            if (entry.Value is not (TorchTensorRef or UnsupportedTensor))
            {
                return "a dict in which '" + name + "' is " + PickleValue.Describe(entry.Value) + hint;
            }
        }

        return "a dict" + hint;
    }
}
