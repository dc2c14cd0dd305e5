using Paygo.Core.Common;

namespace Paygo.Core.RatedUsage;

// Partner Center's usage resources (reference §8.2), month to date in the billing currency. Budget
// fields are null until a budget feature fills them; currencyLocale is the customer's culture.

/// <summary><c>PartnerUsageSummary</c>: the billed partner's month across its customers with an Azure plan.</summary>
public sealed record PartnerUsageSummaryResource(
    string ResourceId,
    string ResourceName,
    DateTimeOffset BillingStartDate,
    DateTimeOffset BillingEndDate,
    decimal TotalCost,
    string CurrencyCode,
    string? CurrencyLocale,
    decimal UsdTotalCost,
    int CustomersWithUsageBasedSubscription,
    int? CustomersOverBudget,
    int? CustomersTrendingOver,
    DateTimeOffset? LastModifiedDate,
    ResourceLinks Links,
    ResourceAttributes Attributes);

/// <summary><c>CustomerMonthlyUsageRecord</c>: one customer's month (in <c>/customers/usagerecords</c>).</summary>
public sealed record CustomerMonthlyUsageRecordResource(
    object? Budget,
    decimal? PercentUsed,
    string ResourceId,
    string ResourceName,
    decimal TotalCost,
    string CurrencyLocale,
    string CurrencyCode,
    decimal UsdTotalCost,
    bool IsUpgraded,
    DateTimeOffset? LastModifiedDate,
    ResourceAttributes Attributes);

/// <summary><c>CustomerUsageSummary</c>: one customer's billing period.</summary>
public sealed record CustomerUsageSummaryResource(
    object? Budget,
    string ResourceId,
    string ResourceName,
    DateTimeOffset BillingStartDate,
    DateTimeOffset BillingEndDate,
    decimal TotalCost,
    string CurrencyLocale,
    string CurrencyCode,
    decimal UsdTotalCost,
    DateTimeOffset? LastModifiedDate,
    ResourceLinks Links,
    ResourceAttributes Attributes);

/// <summary><c>SubscriptionMonthlyUsageRecord</c>: one Azure plan's month.</summary>
public sealed record SubscriptionMonthlyUsageRecordResource(
    string ResourceId,
    string ResourceName,
    string Status,
    string PartnerOnRecord,
    string OfferId,
    decimal TotalCost,
    string CurrencyLocale,
    string CurrencyCode,
    decimal UsdTotalCost,
    DateTimeOffset? LastModifiedDate,
    ResourceAttributes Attributes);

/// <summary><c>SubscriptionUsageSummary</c>: one Azure plan's billing period.</summary>
public sealed record SubscriptionUsageSummaryResource(
    string ResourceId,
    string ResourceName,
    DateTimeOffset BillingStartDate,
    DateTimeOffset BillingEndDate,
    decimal TotalCost,
    string CurrencyLocale,
    string CurrencyCode,
    decimal UsdTotalCost,
    DateTimeOffset? LastModifiedDate,
    ResourceLinks Links,
    ResourceAttributes Attributes);

/// <summary><c>AzureResourceMonthlyUsageRecord</c>: one resource's month per meter, under an Azure subscription (<c>EntitlementId</c>).</summary>
public sealed record ResourceUsageRecordResource(
    string EntitlementId,
    string ResourceGroupName,
    string ResourceUri,
    string ResourceName,
    string Category,
    string Subcategory,
    decimal QuantityUsed,
    string Unit,
    string MeterId,
    string MeterName,
    decimal TotalCost,
    string CurrencyLocale,
    string CurrencyCode,
    decimal UsdTotalCost,
    DateTimeOffset? LastModifiedDate,
    ResourceAttributes Attributes);

/// <summary><c>MeterUsageRecord</c>: one meter's month in an Azure plan.</summary>
public sealed record MeterUsageRecordResource(
    string SubscriptionId,
    string MeterId,
    string MeterName,
    string Category,
    string Subcategory,
    decimal QuantityUsed,
    string Unit,
    decimal TotalCost,
    string CurrencyLocale,
    string CurrencyCode,
    decimal UsdTotalCost,
    DateTimeOffset? LastModifiedDate,
    ResourceAttributes Attributes);
