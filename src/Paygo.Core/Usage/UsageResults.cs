using Paygo.Core.Common;

namespace Paygo.Core.Usage;

/// <summary>Why a record was not stored: a code, the field it is about, and a sentence naming it.</summary>
public sealed record UsageRejection(int Code, string Field, string Description);

/// <summary>The outcome of one record, in the batch's order.</summary>
public static class UsageStatus
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Conflict = "conflict";
    public const string Rejected = "rejected";
}

/// <summary>One record's result: <c>index</c> is its position in the batch (0-based), <c>code</c>, <c>field</c> and <c>description</c> say why it was not stored.</summary>
public sealed record UsageRecordResult(int Index, string? Id, string Status, int? Code = null, string? Field = null, string? Description = null);

/// <summary>The answer to <c>POST /v1/usage</c>, sent only once the accepted records are durably committed.</summary>
public sealed record UsageBatchResult(
    int TotalCount, int Accepted, int Duplicates, int Conflicts, int Rejected, IReadOnlyList<UsageRecordResult> Items, ResourceAttributes Attributes)
{
    public static UsageBatchResult Of(IReadOnlyList<UsageRecordResult> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        int accepted = 0, duplicates = 0, conflicts = 0, rejected = 0;
        foreach (var item in items)
        {
            switch (item.Status)
            {
                case UsageStatus.Accepted: accepted++; break;
                case UsageStatus.Duplicate: duplicates++; break;
                case UsageStatus.Conflict: conflicts++; break;
                default: rejected++; break;
            }
        }

        return new(items.Count, accepted, duplicates, conflicts, rejected, items, new ResourceAttributes("UsageBatchResult"));
    }
}

/// <summary>Codes of a record's rejection: Partner Center's where it has one (reference §8.5), Paygo's own in the 990600 range.</summary>
public static class UsageCodes
{
    /// <summary>A field is missing or not of its type (Partner Center's invalid property).</summary>
    public const int InvalidField = ErrorCodes.InvalidProperty;

    /// <summary>No such Azure subscription for the caller (Partner Center's entitlement not found): another partner's looks the same.</summary>
    public const int UnknownSubscription = ErrorCodes.EntitlementNotFound;

    /// <summary>The Azure subscription is not active on the usage date (Partner Center's "Azure subscription not active").</summary>
    public const int InactiveSubscription = 900314;

    /// <summary>The resource is not under the record's Azure subscription.</summary>
    public const int ResourceNotInSubscription = 990601;

    /// <summary>The meter has no price on the usage date in the customer's market.</summary>
    public const int NoPrice = 990602;

    /// <summary>The quantity is negative, not a number, or has more than 18 significant digits.</summary>
    public const int BadQuantity = 990603;

    /// <summary>The usage date is in the future or more than 90 days back.</summary>
    public const int DateOutOfRange = 990604;

    /// <summary>The id is stored already with other content; nothing was changed.</summary>
    public const int IdConflict = 990605;
}
