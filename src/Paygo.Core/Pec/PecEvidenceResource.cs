using Paygo.Core.Common;

namespace Paygo.Core.Pec;

/// <summary>
/// Partner Earned Credit evidence of one Azure subscription for one month (issue 11 point 4,
/// docs/adr/0028): for each resource and UTC day, whether the day earned PEC and why, with the
/// assignments behind it. <c>LastDay</c> is the month's last day, or today in the current month.
/// </summary>
/// <remarks><c>PartnerId</c>: The billed partner whose access counts (the direct-bill partner or the indirect provider).
/// <c>ResellerPartnerId</c>: The reseller of record, whose access counts too; absent when sold directly.
/// <c>CreditPercent</c>: The rate an earned day gets (Microsoft's 15 %).</remarks>
public sealed record PecEvidenceResource(
    Guid CustomerId,
    Guid SubscriptionId,
    Guid EntitlementId,
    string Month,
    DateOnly FirstDay,
    DateOnly LastDay,
    string PartnerId,
    string? ResellerPartnerId,
    int CreditPercent,
    IReadOnlyList<PecResourceEvidence> Resources,
    IReadOnlyList<PecAssignmentResource> Assignments,
    IReadOnlyList<PecDenyAssignmentResource> DenyAssignments,
    ResourceLinks Links,
    ResourceAttributes Attributes);

/// <summary>One resource (the subscription itself, a resource group or a resource) and its days.</summary>
/// <remarks><c>ScopeType</c>: <c>subscription</c>, <c>resourceGroup</c> or <c>resource</c>.
/// <c>Meters</c>: the meters the month's stored usage records on this resource, each with its days of
/// usage; absent when no usage names the resource (docs/adr/0038).</remarks>
public sealed record PecResourceEvidence(string ResourceId, string ScopeType, int EarnedDays, int PartialDays, int LostDays, IReadOnlyList<PecDayEvidence> Days,
    IReadOnlyList<PecMeterEvidence>? Meters = null);

/// <summary>
/// A meter used on a resource in the month: its days of usage, each decided as a rated row of it
/// would be, so an excluded meter (ThirdParty, Reservation, Spot, savings plan, a non-Microsoft
/// publisher) shows <c>excludedMeter</c> with its rule.
/// </summary>
/// <remarks><c>MeterName</c>: the price list's product and SKU title, absent when no price list of the month has the meter.
/// <c>ExcludedBy</c>: the exclusion rule in camelCase; absent when the meter can earn PEC.</remarks>
public sealed record PecMeterEvidence(string MeterId, string? MeterName, string? ExcludedBy, int UsageDays, int EarnedDays, IReadOnlyList<PecDayEvidence> Days);

/// <summary>
/// One UTC day of one resource. <c>Status</c> is <c>earned</c>, <c>partial</c> (qualifying
/// access covered only part of the day) or <c>lost</c>; <c>Reason</c> is the decision's
/// reason in camelCase (<c>earned</c>, <c>excludedMeter</c>, <c>denied</c>, <c>partialDay</c>,
/// <c>ineligibleRole</c>, <c>otherPartnerOnly</c>, <c>noAccess</c>).
/// </summary>
/// <remarks><c>AssignmentIds</c>: 
/// Earned: the assignments whose union covered the day. Partial: those that covered the part
/// before the gap. Ineligible role, other partner only: one such assignment. Otherwise empty.
/// 
/// <c>CoverCount</c>: How many assignments made up the cover; more than <c>AssignmentIds</c> lists when a chain of short activations covered the day.
/// <c>DenyAssignmentId</c>: Denied: the deny assignment that blocked the day.
/// <c>GapStart</c>: Partial: the first instant of the day qualifying access did not cover.
/// <c>GapEnd</c>: Partial: where that first gap ends (coverage resumes, or the next midnight).
/// <c>ExcludedBy</c>: Excluded meter: the rule (<c>thirdParty</c>, <c>nonMicrosoftPublisher</c>, <c>reservation</c>, <c>savingsPlan</c>, <c>spot</c>).</remarks>
public sealed record PecDayEvidence(
    DateOnly Date,
    string Status,
    int CreditPercent,
    string Reason,
    string Description,
    IReadOnlyList<string> AssignmentIds,
    int CoverCount,
    string? DenyAssignmentId,
    DateTimeOffset? GapStart,
    DateTimeOffset? GapEnd,
    string? ExcludedBy);

/// <summary>An allow assignment of the history, as the evidence names it.</summary>
/// <remarks><c>PrincipalType</c>: <c>adminAgents</c>, <c>helpdeskAgents</c>, <c>user</c>, <c>servicePrincipal</c> or <c>lighthouse</c>.
/// <c>PartnerId</c>: The partner whose principal it is (foreign principal, Lighthouse); absent for the customer's own.
/// <c>PartnerAdminLink</c>: The partner a Partner Admin Link on the principal names, if any.
/// <c>RoleName</c>: The role's name, or the id when the catalog does not know it.
/// <c>PecEligibleRole</c>: True when holding the role can earn PEC.
/// <c>ValidTo</c>: The end (exclusive); absent while the assignment holds.</remarks>
public sealed record PecAssignmentResource(
    string Id,
    string PrincipalType,
    string PrincipalId,
    string? PartnerId,
    string? PartnerAdminLink,
    Guid RoleDefinitionId,
    string RoleName,
    bool PecEligibleRole,
    string Scope,
    DateTimeOffset ValidFrom,
    DateTimeOffset? ValidTo);

/// <summary>A deny assignment of the history.</summary>
public sealed record PecDenyAssignmentResource(string Id, string Scope, DateTimeOffset ValidFrom, DateTimeOffset? ValidTo);
