namespace Paygo.Rating.Pricing;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast and fixed, so a seed means the same numbers
/// forever, on every machine and .NET version (unlike <see cref="Random"/>). The synthetic price
/// lists of the benchmark and the demo instance's month are drawn from it.
/// </summary>
public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        unchecked
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>0 to <paramref name="exclusiveMax"/> − 1.</summary>
    public int Next(int exclusiveMax) => (int)(NextUInt64() % (ulong)exclusiveMax);

    public Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, NextUInt64());
        BitConverter.TryWriteBytes(bytes[8..], NextUInt64());
        return new Guid(bytes);
    }

    /// <summary>USD 0.000001 to 99.999999 with up to 6 decimals, trailing zeros kept as a file would have them.</summary>
    public decimal NextPrice() => new((int)(NextUInt64() % 100_000_000UL) + 1, 0, 0, false, 6);
}
