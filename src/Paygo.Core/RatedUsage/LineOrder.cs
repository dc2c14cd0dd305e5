namespace Paygo.Core.RatedUsage;

/// <summary>
/// The documented order of rated lines (customer, Azure plan, Azure subscription, meter, day,
/// record id), the same whatever order the records were posted in (PROMISES M5). GUIDs compare
/// by <see cref="Guid.CompareTo(Guid)"/> and record ids ordinally, so no culture changes it.
/// </summary>
public static class LineOrder
{
    public static Comparison<RatedUsageLine> Lines { get; } = static (a, b) => KeyOf(a).CompareTo(KeyOf(b));

    /// <summary>Unrated usage in the same order, as far as it has the same fields.</summary>
    public static Comparison<UnratedUsage> Unrated { get; } = static (a, b) =>
    {
        var c = a.CustomerId.CompareTo(b.CustomerId);
        c = c != 0 ? c : a.EntitlementId.CompareTo(b.EntitlementId);
        c = c != 0 ? c : a.UsageDate.CompareTo(b.UsageDate);
        return c != 0 ? c : string.CompareOrdinal(a.RecordId, b.RecordId);
    };

    public static LineKey KeyOf(RatedUsageLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return new(line.CustomerId, line.SubscriptionId, line.EntitlementId, line.MeterId, line.UsageDate, line.RecordId);
    }
}

/// <summary>A line's place in <see cref="LineOrder"/>: what a continuation token holds.</summary>
public readonly record struct LineKey(Guid CustomerId, Guid SubscriptionId, Guid EntitlementId, Guid MeterId, DateOnly UsageDate, string RecordId) : IComparable<LineKey>
{
    public int CompareTo(LineKey other)
    {
        var c = CustomerId.CompareTo(other.CustomerId);
        c = c != 0 ? c : SubscriptionId.CompareTo(other.SubscriptionId);
        c = c != 0 ? c : EntitlementId.CompareTo(other.EntitlementId);
        c = c != 0 ? c : MeterId.CompareTo(other.MeterId);
        c = c != 0 ? c : UsageDate.CompareTo(other.UsageDate);
        return c != 0 ? c : string.CompareOrdinal(RecordId, other.RecordId);
    }

    public static bool operator <(LineKey left, LineKey right) => left.CompareTo(right) < 0;

    public static bool operator >(LineKey left, LineKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(LineKey left, LineKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(LineKey left, LineKey right) => left.CompareTo(right) >= 0;
}
