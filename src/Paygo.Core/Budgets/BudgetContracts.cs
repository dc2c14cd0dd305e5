using System.Text.Json;
using System.Text.Json.Serialization;
using Paygo.Core.Common;

namespace Paygo.Core.Budgets;

/// <summary><c>Attributes</c> of the body as the SDK sends it: <c>{"ObjectType": "SpendingBudget"}</c>.</summary>
public sealed record SpendingBudgetAttributes(string? ObjectType = null, string? Etag = null);

/// <summary>
/// Body of <c>PATCH /v1/customers/{c}/usagebudget</c>: <c>{"Amount": 100, "Attributes": {"ObjectType": "SpendingBudget"}}</c>
/// (any case). The amount is read as raw JSON so a wrong type is a 400 naming <c>amount</c>, not a binding failure.
/// </summary>
public sealed record SpendingBudgetRequest(JsonElement? Amount = null, SpendingBudgetAttributes? Attributes = null);

/// <summary>
/// Partner Center's SpendingBudget resource. <c>amount</c> is written even when null: a customer
/// without a budget answers <c>"amount": null</c>, which the SDK reads as "no budget" (docs/adr/0034).
/// </summary>
public sealed record SpendingBudgetResource(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Amount,
    ResourceAttributes Attributes)
{
    public const string ObjectType = "SpendingBudget";

    public static SpendingBudgetResource Of(decimal? amount) => new(amount, new ResourceAttributes(ObjectType));
}

/// <summary>What the dashboard shows of a budget: the amount with its currency and who changed it last.</summary>
public sealed record BudgetView(Guid CustomerId, decimal? Amount, string Currency, DateTimeOffset? UpdatedAt, string? UpdatedBy, bool CanSet);
