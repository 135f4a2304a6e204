using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace TinyLoc.Compiler.Import.Pickle;

// The unpickler's value model. Python values map to: None → null, bool → bool, int → long (or BigInteger when
// it does not fit), float → double, str → string, bytes → byte[], tuple → PickleTuple, list → PickleList,
// dict → PickleDict. Globals, storages and tensors are policy objects (see TorchObjects.cs).

/// <summary>An immutable Python tuple.</summary>
internal sealed class PickleTuple : IReadOnlyList<object?>
{
    private readonly object?[] _items;

    public PickleTuple(object?[] items)
    {
        _items = items;
    }

    public static PickleTuple Empty { get; } = new(new object?[0]);

    public int Count => _items.Length;

    public object? this[int index] => _items[index];

    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}

/// <summary>A mutable Python list.</summary>
internal sealed class PickleList
{
    public List<object?> Items { get; } = new();
}

/// <summary>
/// A Python dict (insertion-ordered, as dicts and OrderedDicts are). Keys that are str, int, bool, float or None
/// compare by value; any other key compares by identity (state dicts only ever use str keys).
/// </summary>
internal sealed class PickleDict
{
    private static readonly object NoneKey = new();
    private readonly List<KeyValuePair<object?, object?>> _entries = new();
    private readonly Dictionary<object, int> _index = new(PickleKeyComparer.Instance);

    public int Count => _entries.Count;

    /// <summary>The entries in insertion order; replacing a value keeps its first position.</summary>
    public IReadOnlyList<KeyValuePair<object?, object?>> Entries => _entries;

    public void Set(object? key, object? value)
    {
        object indexKey = key ?? NoneKey;
        if (_index.TryGetValue(indexKey, out int position))
        {
            _entries[position] = new KeyValuePair<object?, object?>(key, value);
        }
        else
        {
            _index.Add(indexKey, _entries.Count);
            _entries.Add(new KeyValuePair<object?, object?>(key, value));
        }
    }

    public bool TryGetValue(object? key, out object? value)
    {
        if (_index.TryGetValue(key ?? NoneKey, out int position))
        {
            value = _entries[position].Value;
            return true;
        }

        value = null;
        return false;
    }

    private sealed class PickleKeyComparer : IEqualityComparer<object>
    {
        public static readonly PickleKeyComparer Instance = new();

        public new bool Equals(object? x, object? y) => IsValueKey(x) ? x!.Equals(y) : ReferenceEquals(x, y);

        public int GetHashCode(object obj) => IsValueKey(obj) ? obj.GetHashCode() : RuntimeHelpers.GetHashCode(obj);

        private static bool IsValueKey(object? key) => key is string or long or bool or double or BigInteger;
    }
}

/// <summary>Helpers shared by the unpickler and the policies.</summary>
internal static class PickleValue
{
    /// <summary>A short English description of a value's kind, for diagnostics ("an int", "a dict", …).</summary>
    public static string Describe(object? value) => value switch
    {
        null => "None",
        bool => "a bool",
        long or BigInteger => "an int",
        double => "a float",
        string => "a str",
        byte[] => "a bytes object",
        PickleTuple => "a tuple",
        PickleList => "a list",
        PickleDict => "a dict",
        IDescribedPickleObject described => described.Description,
        _ => "an object",
    };

    /// <summary>Reads an int argument that must fit in a <see cref="long"/>.</summary>
    public static long ToInt64(object? value, string what)
    {
        return value switch
        {
            long l => l,
            bool b => b ? 1 : 0,
            BigInteger => throw new PickleDataException(what + " is too large"),
            _ => throw new PickleDataException(string.Format(CultureInfo.InvariantCulture, "{0} should be an int, not {1}", what, Describe(value))),
        };
    }
}

/// <summary>Implemented by policy objects so diagnostics can say what they are.</summary>
internal interface IDescribedPickleObject
{
    string Description { get; }
}
