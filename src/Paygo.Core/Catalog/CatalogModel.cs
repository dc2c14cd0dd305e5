namespace Paygo.Core.Catalog;

/// <summary>What a SKU is to Paygo's rules: the Azure plan, the legacy Azure offer, or a license-based offer.</summary>
public enum SkuKind
{
    AzurePlan,
    LegacyAzure,
    License,
}

/// <summary>A product of the catalog (reference §1.4), e.g. the Azure plan <c>DZH318Z0BPS6</c>.</summary>
public sealed class CatalogProduct
{
    public required string Id { get; set; }

    public required string Title { get; set; }

    public string Description { get; set; } = string.Empty;

    /// <summary>Partner Center's <c>productType.id</c>: <c>Azure</c> or <c>OnlineServices</c>.</summary>
    public required string ProductType { get; set; }

    /// <summary>The catalog view that lists the product (<c>targetView</c>): <c>MicrosoftAzure</c> or <c>OnlineServices</c>.</summary>
    public required string TargetView { get; set; }

    public bool IsMicrosoftProduct { get; set; } = true;

    public string PublisherName { get; set; } = "Microsoft Corporation";

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A SKU of a product; the rules of ordering it follow from <see cref="Kind"/>.</summary>
public sealed class CatalogSku
{
    public required string ProductId { get; set; }

    public required string Id { get; set; }

    public required string Title { get; set; }

    public string Description { get; set; } = string.Empty;

    public SkuKind Kind { get; set; }

    public int MinimumQuantity { get; set; } = 1;

    public int MaximumQuantity { get; set; } = 1;

    public bool IsTrial { get; set; }

    /// <summary>Billing cycles an order may name (comma-separated): <c>one_time</c>, <c>monthly</c>, <c>annual</c>.</summary>
    public required string SupportedBillingCycles { get; set; }

    /// <summary>Term durations an order may name (comma-separated ISO 8601 periods such as <c>P1M,P1Y</c>); empty when none.</summary>
    public string TermDurations { get; set; } = string.Empty;

    /// <summary>Partner Center's <c>purchasePrerequisites</c> (comma-separated).</summary>
    public string PurchasePrerequisites { get; set; } = string.Empty;

    /// <summary>The Azure offer code (<c>MS-AZR-0017G</c>, <c>MS-AZR-0145P</c>); null for license-based offers.</summary>
    public string? OfferCode { get; set; }

    public IReadOnlyList<string> BillingCycleList => Split(SupportedBillingCycles);

    public IReadOnlyList<string> TermDurationList => Split(TermDurations);

    public IReadOnlyList<string> PrerequisiteList => Split(PurchasePrerequisites);

    /// <summary>Partner Center's <c>unitType</c> of the subscription an order of this SKU creates.</summary>
    public string UnitType => Kind == SkuKind.License ? "Licenses" : "Usage-based";

    /// <summary>Partner Center's <c>billingType</c>.</summary>
    public string BillingType => Kind == SkuKind.License ? "license" : "usage";

    internal static IReadOnlyList<string> Split(string list) =>
        list.Length == 0 ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// An availability of a SKU: where it can be bought. The catalog item id an order names is
/// <c>{productId}:{skuId}:{availabilityId}</c> (reference §1.4).
/// </summary>
public sealed class CatalogAvailability
{
    public required string ProductId { get; set; }

    public required string SkuId { get; set; }

    public required string Id { get; set; }

    /// <summary>ISO 3166-1 alpha-2 countries where it can be bought, space-separated.</summary>
    public required string Countries { get; set; }

    public string CatalogItemId => $"{ProductId}:{SkuId}:{Id}";

    public bool IsAvailableIn(string country) =>
        (" " + Countries + " ").Contains(" " + country + " ", StringComparison.Ordinal);
}
