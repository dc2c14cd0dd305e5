using System.Collections;

namespace Paygo.Rating.Pricing;

/// <summary>
/// A read-only view of part of an array: what a <see cref="MeterPrice"/> hands out for its tiers
/// and rows, so a million prices share two arrays instead of owning two million small ones.
/// Indexing and <c>foreach</c> allocate nothing; used as an <see cref="IReadOnlyList{T}"/> it is boxed.
/// </summary>
public readonly struct ReadOnlySlice<T> : IReadOnlyList<T>
{
    private readonly T[] _items;
    private readonly int _offset;

    internal ReadOnlySlice(T[] items, int offset, int count)
    {
        _items = items;
        _offset = offset;
        Count = count;
    }

    public int Count { get; }

    public T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _items[_offset + index];
        }
    }

    public ReadOnlySpan<T> AsSpan() => _items.AsSpan(_offset, Count);

    public ReadOnlySpan<T>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return _items[_offset + i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<T>)this).GetEnumerator();
}
