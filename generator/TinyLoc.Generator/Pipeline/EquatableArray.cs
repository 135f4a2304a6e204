using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace TinyLoc.Generator.Pipeline;

/// <summary>Builds <see cref="EquatableArray{T}"/> values.</summary>
internal static class EquatableArray
{
    /// <summary>An array holding <paramref name="items"/> in their order (copied).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The elements.</param>
    public static EquatableArray<T> From<T>(IEnumerable<T> items)
        where T : IEquatable<T> => new(items.ToArray());

    /// <summary>An array that takes ownership of <paramref name="items"/>; the caller must not change it afterwards.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The elements.</param>
    public static EquatableArray<T> Wrap<T>(T[] items)
        where T : IEquatable<T> => new(items);
}

/// <summary>
/// An immutable array with value equality (element by element), for incremental-pipeline values: Roslyn
/// compares step outputs with <see cref="object.Equals(object)"/>, and plain arrays and
/// <c>ImmutableArray&lt;T&gt;</c> compare by reference, which would defeat caching.
/// </summary>
/// <typeparam name="T">The element type; itself value-equatable.</typeparam>
internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
    where T : IEquatable<T>
{
    private readonly T[]? _items;

    /// <summary>Wraps <paramref name="items"/> (not copied).</summary>
    /// <param name="items">The elements.</param>
    internal EquatableArray(T[] items) => _items = items;

    /// <summary>The empty array.</summary>
    public static EquatableArray<T> Empty => new(Array.Empty<T>());

    /// <summary>The number of elements.</summary>
    public int Count => _items?.Length ?? 0;

    /// <summary>True when there are no elements.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>The element at <paramref name="index"/>.</summary>
    /// <param name="index">A position in the array.</param>
    public T this[int index] => (_items ?? Array.Empty<T>())[index];

    /// <summary>True when both hold equal elements in the same order.</summary>
    /// <param name="left">One array.</param>
    /// <param name="right">The other.</param>
    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    /// <summary>True when the arrays differ in length or in any element.</summary>
    /// <param name="left">One array.</param>
    /// <param name="right">The other.</param>
    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(EquatableArray<T> other)
    {
        T[] a = _items ?? Array.Empty<T>();
        T[] b = other._items ?? Array.Empty<T>();
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        return a.AsSpan().SequenceEqual(b.AsSpan());
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        T[] a = _items ?? Array.Empty<T>();
        unchecked
        {
            int hash = (int)2166136261;
            foreach (T item in a)
            {
                hash = (hash ^ (item?.GetHashCode() ?? 0)) * 16777619;
            }

            return hash;
        }
    }

    /// <summary>The elements as a read-only span.</summary>
    public ReadOnlySpan<T> AsSpan() => (_items ?? Array.Empty<T>()).AsSpan();

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
