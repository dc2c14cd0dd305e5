namespace Paygo.Core.RatedUsage;

/// <summary>
/// The documented order of rated lines (customer, Azure plan, Azure subscription, meter, day,
/// record id), the same whatever order the records were posted in (PROMISES M5). GUIDs compare
/// by <see cref="Guid.CompareTo(Guid)"/> and record ids ordinally, so no culture changes it.
/// </summary>
public static class LineOrder
{
    public static Comparison<RatedUsageLine> Lines { get; } = static (a, b) =>
    {
        var c = a.CustomerId.CompareTo(b.CustomerId);
        c = c != 0 ? c : a.SubscriptionId.CompareTo(b.SubscriptionId);
        c = c != 0 ? c : a.EntitlementId.CompareTo(b.EntitlementId);
        c = c != 0 ? c : a.MeterId.CompareTo(b.MeterId);
        c = c != 0 ? c : a.UsageDate.CompareTo(b.UsageDate);
        return c != 0 ? c : string.CompareOrdinal(a.RecordId, b.RecordId);
    };

    /// <summary>Unrated usage in the same order, as far as it has the same fields.</summary>
    public static Comparison<UnratedUsage> Unrated { get; } = static (a, b) =>
    {
        var c = a.CustomerId.CompareTo(b.CustomerId);
        c = c != 0 ? c : a.EntitlementId.CompareTo(b.EntitlementId);
        c = c != 0 ? c : a.UsageDate.CompareTo(b.UsageDate);
        return c != 0 ? c : string.CompareOrdinal(a.RecordId, b.RecordId);
    };
}
