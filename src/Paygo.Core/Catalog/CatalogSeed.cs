using Microsoft.EntityFrameworkCore;
using Paygo.Core.Markets;

namespace Paygo.Core.Catalog;

/// <summary>
/// The catalog every instance starts with (DOMAIN.md §3): the Azure plan, the legacy "Microsoft
/// Azure" offer (for transition) and a few license-based offers that exercise MCA gating. Added
/// when missing, never overwritten, so an operator's edits survive restarts (docs/adr/0012).
/// </summary>
public static class CatalogSeed
{
    public const string AzurePlanProductId = "DZH318Z0BPS6";
    public const string AzurePlanSkuId = "0001";
    public const string AzurePlanAvailabilityId = "DZH318Z0BML6";
    public const string AzurePlanCatalogItemId = AzurePlanProductId + ":" + AzurePlanSkuId + ":" + AzurePlanAvailabilityId;
    public const string LegacyAzureProductId = "9DEA7946-EC2C-441E-9FFD-E3B275F7E838";
    public const string LegacyAzureSkuId = "MS-AZR-0145P";
    public const string LegacyAzureAvailabilityId = "DZH318Z0BML7";
    public const string LegacyAzureCatalogItemId = LegacyAzureProductId + ":" + LegacyAzureSkuId + ":" + LegacyAzureAvailabilityId;

    /// <summary>
    /// Markets where the Azure plan is not sold: China (operated by 21Vianet, outside Azure CSP)
    /// and markets under embargo. The reference's full list of 137-139 countries is not public,
    /// so Paygo sells everywhere else; the operator narrows it by editing the availability.
    /// </summary>
    public static readonly IReadOnlySet<string> AzurePlanExcludedMarkets = new HashSet<string>(StringComparer.Ordinal)
    {
        "CN", "CU", "IR", "KP", "SY", "RU", "BY", "AQ", "BV", "HM", "TF", "GS", "UM", "PN", "EH",
    };

    public static string AzurePlanMarkets() =>
        string.Join(' ', Countries.Codes.Where(c => !AzurePlanExcludedMarkets.Contains(c)).Order(StringComparer.Ordinal));

    public static async Task EnsureAsync(PaygoDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var existing = await db.CatalogProducts.Select(p => p.Id).ToListAsync(cancellationToken);
        var markets = AzurePlanMarkets();
        foreach (var (product, skus) in Products(markets))
        {
            if (existing.Contains(product.Id, StringComparer.Ordinal))
            {
                continue;
            }

            product.UpdatedAt = now;
            db.CatalogProducts.Add(product);
            foreach (var (sku, availabilities) in skus)
            {
                db.CatalogSkus.Add(sku);
                db.CatalogAvailabilities.AddRange(availabilities);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private static IEnumerable<(CatalogProduct, IEnumerable<(CatalogSku, CatalogAvailability[])>)> Products(string markets)
    {
        yield return (
            new CatalogProduct
            {
                Id = AzurePlanProductId,
                Title = "Microsoft Azure plan",
                Description = "Gain access to Azure Services.",
                ProductType = "Azure",
                TargetView = "MicrosoftAzure",
            },
            [(
                new CatalogSku
                {
                    ProductId = AzurePlanProductId,
                    Id = AzurePlanSkuId,
                    Title = "Microsoft Azure plan",
                    Description = "Microsoft Azure plan (MS-AZR-0017G)",
                    Kind = SkuKind.AzurePlan,
                    SupportedBillingCycles = "one_time",
                    PurchasePrerequisites = "MicrosoftCustomerAgreement",
                    OfferCode = "MS-AZR-0017G",
                },
                [new CatalogAvailability { ProductId = AzurePlanProductId, SkuId = AzurePlanSkuId, Id = AzurePlanAvailabilityId, Countries = markets }])]);

        yield return (
            new CatalogProduct
            {
                Id = LegacyAzureProductId,
                Title = "Microsoft Azure",
                Description = "Legacy Microsoft Azure offer (MS-AZR-0145P); customers move from it to the Azure plan.",
                ProductType = "Azure",
                TargetView = "MicrosoftAzure",
            },
            [(
                new CatalogSku
                {
                    ProductId = LegacyAzureProductId,
                    Id = LegacyAzureSkuId,
                    Title = "Microsoft Azure",
                    Description = "Microsoft Azure (MS-AZR-0145P)",
                    Kind = SkuKind.LegacyAzure,
                    SupportedBillingCycles = "monthly",
                    PurchasePrerequisites = "MicrosoftCloudAgreement",
                    OfferCode = "MS-AZR-0145P",
                },
                [new CatalogAvailability { ProductId = LegacyAzureProductId, SkuId = LegacyAzureSkuId, Id = LegacyAzureAvailabilityId, Countries = markets }])]);

        var everywhere = string.Join(' ', Countries.Codes.Order(StringComparer.Ordinal));
        foreach (var (productId, title, availabilityId) in new[]
        {
            ("CFQ7TTC0LH18", "Microsoft 365 Business Basic", "DZH318Z0BQ3Q"),
            ("CFQ7TTC0LDPB", "Microsoft 365 Business Standard", "DZH318Z0BQ3P"),
            ("CFQ7TTC0LF8Q", "Office 365 E3", "DZH318Z0BQ4C"),
        })
        {
            yield return (
                new CatalogProduct { Id = productId, Title = title, Description = title + ", per user.", ProductType = "OnlineServices", TargetView = "OnlineServices" },
                [(
                    new CatalogSku
                    {
                        ProductId = productId,
                        Id = "0001",
                        Title = title,
                        Description = title + " (license-based; billing of licenses is outside Paygo for now)",
                        Kind = SkuKind.License,
                        MinimumQuantity = 1,
                        MaximumQuantity = 300,
                        SupportedBillingCycles = "monthly,annual",
                        TermDurations = "P1M,P1Y",
                        PurchasePrerequisites = "MicrosoftCustomerAgreement",
                    },
                    [new CatalogAvailability { ProductId = productId, SkuId = "0001", Id = availabilityId, Countries = everywhere }])]);
        }
    }
}
