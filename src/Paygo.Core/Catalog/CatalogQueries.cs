using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Markets;

namespace Paygo.Core.Catalog;

/// <summary>
/// Reading the catalog per country, as Partner Center's catalog APIs do, and resolving the
/// catalog item ids that carts name. The catalog is small (tens of rows), so it is read whole.
/// </summary>
public sealed class CatalogQueries(PaygoDbContext db, AuditTrail audit, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> TargetViews = ["MicrosoftAzure", "OnlineServices"];

    public static ApiError? CheckCountry(string? country, out string code)
    {
        code = string.Empty;
        if (string.IsNullOrWhiteSpace(country))
        {
            return ApiError.InvalidField("country", "The query parameter 'country' is required: an ISO 3166-1 alpha-2 code such as US.");
        }

        if (!Countries.TryGetBillingCurrency(country, out var normalized, out _))
        {
            return ApiError.InvalidField("country", $"The query parameter 'country' must be an ISO 3166-1 alpha-2 code such as US; '{ErrorText.Quote(country)}' is not.");
        }

        code = normalized;
        return null;
    }

    public async Task<(IReadOnlyList<ProductResource>? Products, ApiError? Error)> ListProductsAsync(string country, string? targetView, CancellationToken cancellationToken)
    {
        if (targetView is not null && !TargetViews.Contains(targetView, StringComparer.OrdinalIgnoreCase))
        {
            return (null, new ApiError(403, 400036, $"The targetView '{ErrorText.Quote(targetView)}' is not allowed; use MicrosoftAzure or OnlineServices.",
                [new FieldError("targetView", "Unknown catalog view.")]));
        }

        var availabilities = await db.CatalogAvailabilities.AsNoTracking().ToListAsync(cancellationToken);
        var productIds = availabilities.Where(a => a.IsAvailableIn(country)).Select(a => a.ProductId).ToHashSet(StringComparer.Ordinal);
        var products = await db.CatalogProducts.AsNoTracking().OrderBy(p => p.Title).ToListAsync(cancellationToken);
        return ([.. products
            .Where(p => productIds.Contains(p.Id) && (targetView is null || string.Equals(p.TargetView, targetView, StringComparison.OrdinalIgnoreCase)))
            .Select(ProductResource.From)], null);
    }

    public async Task<ProductResource?> FindProductAsync(string productId, string country, CancellationToken cancellationToken)
    {
        var product = await db.CatalogProducts.AsNoTracking().FirstOrDefaultAsync(p => p.Id == productId, cancellationToken);
        if (product is null)
        {
            return null;
        }

        var availabilities = await db.CatalogAvailabilities.AsNoTracking().Where(a => a.ProductId == productId).ToListAsync(cancellationToken);
        return availabilities.Any(a => a.IsAvailableIn(country)) ? ProductResource.From(product) : null;
    }

    public async Task<IReadOnlyList<SkuResource>?> ListSkusAsync(string productId, string country, CancellationToken cancellationToken)
    {
        if (!await db.CatalogProducts.AnyAsync(p => p.Id == productId, cancellationToken))
        {
            return null;
        }

        var availabilities = await db.CatalogAvailabilities.AsNoTracking().Where(a => a.ProductId == productId).ToListAsync(cancellationToken);
        var skuIds = availabilities.Where(a => a.IsAvailableIn(country)).Select(a => a.SkuId).ToHashSet(StringComparer.Ordinal);
        var skus = await db.CatalogSkus.AsNoTracking().Where(s => s.ProductId == productId).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        return [.. skus.Where(s => skuIds.Contains(s.Id)).Select(SkuResource.From)];
    }

    public async Task<IReadOnlyList<AvailabilityResource>?> ListAvailabilitiesAsync(string productId, string skuId, string country, CancellationToken cancellationToken)
    {
        if (!await db.CatalogSkus.AnyAsync(s => s.ProductId == productId && s.Id == skuId, cancellationToken))
        {
            return null;
        }

        var availabilities = await db.CatalogAvailabilities.AsNoTracking().Where(a => a.ProductId == productId && a.SkuId == skuId).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        return [.. availabilities.Where(a => a.IsAvailableIn(country)).Select(a => AvailabilityResource.From(a, country))];
    }

    /// <summary>Resolves <c>{productId}:{skuId}:{availabilityId}</c> for a customer in <paramref name="country"/>.</summary>
    public async Task<(CatalogItem? Item, ApiError? Error)> ResolveAsync(string? catalogItemId, string country, string field, CancellationToken cancellationToken)
    {
        var parts = catalogItemId?.Split(':');
        if (parts is not { Length: 3 } || parts.Any(string.IsNullOrWhiteSpace))
        {
            return (null, new ApiError(400, 800004, $"The catalog item id '{ErrorText.Quote(catalogItemId)}' is not valid: it must be productId:skuId:availabilityId.",
                [new FieldError(field, "Not a catalog item id.")]));
        }

        var (productId, skuId, availabilityId) = (parts[0], parts[1], parts[2]);
        var product = await db.CatalogProducts.AsNoTracking().FirstOrDefaultAsync(p => p.Id == productId, cancellationToken);
        var sku = await db.CatalogSkus.AsNoTracking().FirstOrDefaultAsync(s => s.ProductId == productId && s.Id == skuId, cancellationToken);
        var availability = await db.CatalogAvailabilities.AsNoTracking()
            .FirstOrDefaultAsync(a => a.ProductId == productId && a.SkuId == skuId && a.Id == availabilityId, cancellationToken);
        if (product is null || sku is null || availability is null)
        {
            return (null, new ApiError(400, 800004, $"The catalog item '{ErrorText.Quote(catalogItemId)}' does not exist.",
                [new FieldError(field, "Unknown catalog item.")]));
        }

        if (!availability.IsAvailableIn(country))
        {
            return (null, new ApiError(400, 800070, $"The offer '{catalogItemId}' is not available in the customer's country/region ({country}).",
                [new FieldError(field, $"Not available in {country}.")]));
        }

        return (new CatalogItem(product, sku, availability), null);
    }

    public async Task<bool> IsAzurePlanAvailableInAsync(string country, CancellationToken cancellationToken)
    {
        var plans = await (from a in db.CatalogAvailabilities.AsNoTracking()
                           join s in db.CatalogSkus.AsNoTracking() on new { a.ProductId, a.SkuId } equals new { s.ProductId, SkuId = s.Id }
                           where s.Kind == SkuKind.AzurePlan
                           select a).ToListAsync(cancellationToken);
        return plans.Any(a => a.IsAvailableIn(country));
    }

    /// <summary>The operator sets where a SKU is sold (audited).</summary>
    public async Task<(AvailabilityResource? Availability, ApiError? Error)> UpdateAvailabilityAsync(
        string productId, string skuId, string availabilityId, AvailabilityUpdateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Countries is not { Count: > 0 })
        {
            return (null, ApiError.InvalidField("countries", "The field 'countries' is required: a non-empty list of ISO 3166-1 alpha-2 codes."));
        }

        var codes = new SortedSet<string>(StringComparer.Ordinal);
        var errors = new List<FieldError>();
        for (var i = 0; i < request.Countries.Count; i++)
        {
            if (Countries.TryGetBillingCurrency(request.Countries[i], out var code, out _))
            {
                codes.Add(code);
            }
            else
            {
                errors.Add(new($"countries[{i}]", $"'{ErrorText.Quote(request.Countries[i])}' is not an ISO 3166-1 alpha-2 country code."));
            }
        }

        if (errors.Count > 0)
        {
            return (null, ApiError.InvalidFields(errors));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var availability = await db.CatalogAvailabilities.FirstOrDefaultAsync(a => a.ProductId == productId && a.SkuId == skuId && a.Id == availabilityId, cancellationToken);
        if (availability is null)
        {
            return (null, new ApiError(404, 400013, $"No availability {availabilityId} of SKU {productId}/{skuId}."));
        }

        availability.Countries = string.Join(' ', codes);
        var product = await db.CatalogProducts.FirstAsync(p => p.Id == productId, cancellationToken);
        product.UpdatedAt = clock.GetUtcNow();
        await audit.AppendAsync(new AuditEntry("update_catalog_availability", "catalog", AuditEntry.Succeeded,
            ResourceNewValue: JsonSerializer.Serialize(new { catalogItemId = availability.CatalogItemId, countries = codes }, PaygoJson.Options)), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (AvailabilityResource.From(availability, codes.First()), null);
    }
}
