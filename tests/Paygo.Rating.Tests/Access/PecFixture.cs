using Paygo.Rating.Access;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;

namespace Paygo.Rating.Tests.Access;

/// <summary>Builders for PEC tests: one customer subscription, its partners, meters and days.</summary>
internal static class PecFixture
{
    public const string Subscription = "3f2c9a1e-8d4b-4c7a-9e21-5b6d7c8e9f01";
    public const string Direct = "1111111";
    public const string Provider = "2222222";
    public const string Reseller = "3333333";
    public const string Unrelated = "4444444";

    public static readonly string SubscriptionScope = $"/subscriptions/{Subscription}";
    public static readonly string AppGroup = $"{SubscriptionScope}/resourceGroups/rg-app";
    public static readonly string App2Group = $"{SubscriptionScope}/resourceGroups/rg-app2";
    public static readonly string AppVm = $"{AppGroup}/providers/Microsoft.Compute/virtualMachines/vm1";
    public static readonly string App2Vm = $"{App2Group}/providers/Microsoft.Compute/virtualMachines/vm1";

    public static readonly DateOnly Day = new(2026, 11, 10);

    public static DateTime At(DateOnly day, int hour, int minute = 0) => day.ToDateTime(new TimeOnly(hour, minute), DateTimeKind.Utc);

    public static DateTime Midnight(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>Long before <see cref="Day"/>: the subscription's creation.</summary>
    public static readonly DateTime Created = new(2026, 1, 5, 8, 30, 0, DateTimeKind.Utc);

    public static RoleDefinition Role(string name) =>
        RoleCatalog.BuiltIn.TryFind(name, out var role) ? role : throw new ArgumentException($"No built-in role '{name}'.", nameof(name));

    public static RoleAssignment Allow(string id, Principal principal, RoleDefinition role, string scope, DateTime start, DateTime? end = null) =>
        new(id, principal, role.Id, ArmScope.Parse(scope), new AccessPeriod(start, end));

    public static RoleAssignment Aobo(string id, string partner, DateTime? end = null, string? scope = null) =>
        Allow(id, Principal.AdminAgents($"fp-{partner}", partner), BuiltInRoles.Owner, scope ?? SubscriptionScope, Created, end);

    public static DenyAssignment DenyOn(string id, string scope, DateTime start, DateTime? end = null) =>
        new(id, ArmScope.Parse(scope), new AccessPeriod(start, end));

    public static PriceListRow Meter(string publisher = "Microsoft", string tags = "Azure,Consumption", string skuTitle = "D2s v3", string productTitle = "Virtual Machines Dv3 Series") =>
        new(productTitle, "DZH318Z0BQ4L", "0045", skuTitle, publisher, string.Empty, UnitOfMeasure.Parse("1 Hour"), "payG-1", "US",
            CurrencyCode.Usd, 0.096m, null, null, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            new DateTime(9999, 11, 30, 23, 59, 59, DateTimeKind.Utc), "f3c5b1a2-1111-4e0b-9d3c-aaaaaaaaaaaa", "1 Hour", tags);

    public static PecDecision Decide(IEnumerable<RoleAssignment> allows, string resource, DateOnly day, string partner = Direct, string? reseller = null, IEnumerable<DenyAssignment>? denies = null, RoleCatalog? roles = null, PriceListRow? meter = null) =>
        Pec.Decide(new AccessHistory(allows, denies, roles), partner, reseller, resource, meter ?? Meter(), day);

    /// <summary>The covering assignment ids of a decision, in time order.</summary>
    public static string[] CoveringIds(AccessHistory history, PecDecision decision) =>
        Enumerable.Range(0, Math.Min(decision.CoverCount, PecDecision.InlineCover)).Select(i => history.Assignments[decision.Covering(i)].Id).ToArray();
}
