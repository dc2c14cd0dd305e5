using System.Collections.Concurrent;
using Paygo.Rating.Pricing;

namespace Paygo.Core.RatedUsage;

/// <summary>
/// The last rating of each partner's month with the fingerprint of its inputs
/// (<see cref="RatingInputs"/>), so repeated reads of an unchanged month (paging through unbilled
/// lines, the dashboard, budgets) do not rate it again. An entry is used only while the
/// fingerprint matches; it is never stale, only replaced. Bounded by lines held, so a month of
/// millions of rows (the close) is rated but not kept.
/// </summary>
public sealed class MonthRatingCache
{
    /// <summary>Lines kept across all entries (about 1 KiB each).</summary>
    public const int MaxLines = 200_000;

    private readonly ConcurrentDictionary<(Guid Partner, BillingMonth Month), (string Fingerprint, MonthRatingResult Result)> _entries = new();

    public bool TryGet(Guid partnerId, BillingMonth month, string fingerprint, out MonthRatingResult result)
    {
        if (_entries.TryGetValue((partnerId, month), out var entry) && string.Equals(entry.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            result = entry.Result;
            return true;
        }

        result = null!;
        return false;
    }

    public void Set(Guid partnerId, BillingMonth month, string fingerprint, MonthRatingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Lines.Count > MaxLines)
        {
            _entries.TryRemove((partnerId, month), out _);
            return;
        }

        _entries[(partnerId, month)] = (fingerprint, result);
        var held = 0;
        foreach (var entry in _entries)
        {
            held += entry.Value.Result.Lines.Count;
        }

        // Over the bound: drop the other entries; the next read of theirs rates again.
        if (held > MaxLines)
        {
            foreach (var key in _entries.Keys)
            {
                if (key != (partnerId, month))
                {
                    _entries.TryRemove(key, out _);
                }
            }
        }
    }
}
