using System.Collections.Concurrent;
using Paygo.Core.Identity;

namespace Paygo.Server.Identity;

/// <summary>
/// Remembers, for a few seconds, the answer of the per-request revocation check (is the user
/// still enabled with the same security stamp, is the token's entry — and so its refresh chain —
/// still valid, does the app credential still exist), so a busy client costs one lookup per
/// token every <see cref="Lifetime"/> instead of one per request (PROMISES S9). Any write in this
/// process that can revoke (<see cref="RevocationSignal"/>) makes every answer stale at once, so
/// revocation through this node is effective on the very next request (S6). A write by another
/// process (another node, a direct SQL edit) is seen at the latest after <see cref="Lifetime"/>;
/// <c>Paygo:Auth:ValidityCacheSeconds = 0</c> turns the cache off for deployments that cannot
/// accept that (docs/adr/0018).
/// </summary>
internal sealed class TokenValidityCache(TimeProvider clock, TimeSpan lifetime)
{
    // Enough for every token in use on a busy node; past it the cache starts over rather than
    // growing (an answer costs one lookup to rebuild).
    private const int Capacity = 50_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public TimeSpan Lifetime { get; } = lifetime;

    public static TokenValidityCache Create(IConfiguration configuration, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var seconds = Math.Clamp(configuration.GetValue("Paygo:Auth:ValidityCacheSeconds", 10.0), 0, 300);
        return new TokenValidityCache(clock, TimeSpan.FromSeconds(seconds));
    }

    /// <summary>The cached answer for <paramref name="key"/>, or <paramref name="check"/>'s (then remembered).</summary>
    public async ValueTask<bool> IsValidAsync(string? key, Func<Task<bool>> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (key is null || Lifetime <= TimeSpan.Zero)
        {
            return await check();
        }

        var now = clock.GetTimestamp();
        var generation = RevocationSignal.Generation;
        if (_entries.TryGetValue(key, out var entry) && entry.Generation == generation && now < entry.ExpiresAt)
        {
            return entry.Valid;
        }

        // The generation is read before the lookup: a revoking write that lands during it moves
        // the counter, and this answer is stale from the start.
        var valid = await check();
        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        _entries[key] = new Entry(generation, now + (long)(Lifetime.TotalSeconds * clock.TimestampFrequency), valid);
        return valid;
    }

    private readonly record struct Entry(long Generation, long ExpiresAt, bool Valid);
}
