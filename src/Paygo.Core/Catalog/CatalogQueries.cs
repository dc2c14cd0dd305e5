using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Markets;
using Paygo.Core.Users;

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

    public async Task<(IReadOnlyList<ProductResource>? Products, ApiError? Error)> ListProductsAsync(Caller caller, string country, string? targetView, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.CatalogRead);
        if (targetView is not null && !TargetViews.Contains(targetView, StringComparer.OrdinalIgnoreCase))
        {
            return (null, new ApiError(ErrorKind.Forbidden, 400036, $"The targetView '{ErrorText.Quote(targetView)}' is not allowed; use MicrosoftAzure or OnlineServices.",
                [new FieldError("targetView", "Unknown catalog view.")]));
        }

        var availabilities = await db.CatalogAvailabilities.AsNoTracking().ToListAsync(cancellationToken);
        var productIds = availabilities.Where(a => a.IsAvailableIn(country)).Select(a => a.ProductId).ToHashSet(StringComparer.Ordinal);
        var products = await db.CatalogProducts.AsNoTracking().OrderBy(p => p.Title).ToListAsync(cancellationToken);
        return ([.. products
            .Where(p => productIds.Contains(p.Id) && (targetView is null || string.Equals(p.TargetView, targetView, StringComparison.OrdinalIgnoreCase)))
            .Select(p => ProductResource.From(p, country))], null);
    }

    public async Task<ProductResource?> FindProductAsync(Caller caller, string productId, string country, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.CatalogRead);
        var product = await db.CatalogProducts.AsNoTracking().FirstOrDefaultAsync(p => p.Id == productId, cancellationToken);
        if (product is null)
        {
            return null;
        }

        var availabilities = await db.CatalogAvailabilities.AsNoTracking().Where(a => a.ProductId == productId).ToListAsync(cancellationToken);
        return availabilities.Any(a => a.IsAvailableIn(country)) ? ProductResource.From(product, country) : null;
    }

    public async Task<IReadOnlyList<SkuResource>?> ListSkusAsync(Caller caller, string productId, string country, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.CatalogRead);
        if (!await db.CatalogProducts.AnyAsync(p => p.Id == productId, cancellationToken))
        {
            return null;
        }

        var availabilities = await db.CatalogAvailabilities.AsNoTracking().Where(a => a.ProductId == productId).ToListAsync(cancellationToken);
        var skuIds = availabilities.Where(a => a.IsAvailableIn(country)).Select(a => a.SkuId).ToHashSet(StringComparer.Ordinal);
        var skus = await db.CatalogSkus.AsNoTracking().Where(s => s.ProductId == productId).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        return [.. skus.Where(s => skuIds.Contains(s.Id)).Select(s => SkuResource.From(s, country))];
    }

    /// <summary>One SKU as sold in <paramref name="country"/>; null when it does not exist or is not sold there.</summary>
    public async Task<SkuResource?> FindSkuAsync(Caller caller, string productId, string skuId, string country, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.CatalogRead);
        var sku = await db.CatalogSkus.AsNoTracking().FirstOrDefaultAsync(s => s.ProductId == productId && s.Id == skuId, cancellationToken);
        if (sku is null)
        {
            return null;
        }

        var availabilities = await db.CatalogAvailabilities.AsNoTracking().Where(a => a.ProductId == productId && a.SkuId == skuId).ToListAsync(cancellationToken);
        return availabilities.Any(a => a.IsAvailableIn(country)) ? SkuResource.From(sku, country) : null;
    }

    /// <summary>One availability of a SKU in <paramref name="country"/>; null when it does not exist or is not for that country.</summary>
    public async Task<AvailabilityResource?> FindAvailabilityAsync(Caller caller, string productId, string skuId, string availabilityId, string country, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.CatalogRead);
        var availability = await db.CatalogAvailabilities.AsNoTracking()
            .FirstOrDefaultAsync(a => a.ProductId == productId && a.SkuId == skuId && a.Id == availabilityId, cancellationToken);
        return availability is not null && availability.IsAvailableIn(country) ? AvailabilityResource.From(availability, country) : null;
    }

    public async Task<IReadOnlyList<AvailabilityResource>?> ListAvailabilitiesAsync(Caller caller, string productId, string skuId, string country, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.CatalogRead);
        if (!await db.CatalogSkus.AnyAsync(s => s.ProductId == productId && s.Id == skuId, cancellationToken))
        {
            return null;
        }

        var availabilities = await db.CatalogAvailabilities.AsNoTracking().Where(a => a.ProductId == productId && a.SkuId == skuId).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        return [.. availabilities.Where(a => a.IsAvailableIn(country)).Select(a => AvailabilityResource.From(a, country))];
    }

    /// <summary>
    /// The country of a customer the caller sees, whose catalog the customer routes serve; null for a
    /// customer that does not exist or is another partner's (the routes answer 404).
    /// </summary>
    public async Task<string?> CustomerCountryAsync(Caller caller, Guid customerId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.CatalogRead);
        return (await CustomerVisibility.FindAsync(db, caller, customerId, cancellationToken))?.Country;
    }

    /// <summary>Resolves <c>{productId}:{skuId}:{availabilityId}</c> for a customer in <paramref name="country"/>.</summary>
    public async Task<(CatalogItem? Item, ApiError? Error)> ResolveAsync(string? catalogItemId, string country, string field, CancellationToken cancellationToken)
    {
        var parts = catalogItemId?.Split(':');
        if (parts is not { Length: 3 } || parts.Any(string.IsNullOrWhiteSpace))
        {
            return (null, new ApiError(ErrorKind.Invalid, 800004, $"The catalog item id '{ErrorText.Quote(catalogItemId)}' is not valid: it must be productId:skuId:availabilityId.",
                [new FieldError(field, "Not a catalog item id.")]));
        }

        var (productId, skuId, availabilityId) = (parts[0], parts[1], parts[2]);
        var product = await db.CatalogProducts.AsNoTracking().FirstOrDefaultAsync(p => p.Id == productId, cancellationToken);
        var sku = await db.CatalogSkus.AsNoTracking().FirstOrDefaultAsync(s => s.ProductId == productId && s.Id == skuId, cancellationToken);
        var availability = await db.CatalogAvailabilities.AsNoTracking()
            .FirstOrDefaultAsync(a => a.ProductId == productId && a.SkuId == skuId && a.Id == availabilityId, cancellationToken);
        if (product is null || sku is null || availability is null)
        {
            return (null, new ApiError(ErrorKind.Invalid, 800004, $"The catalog item '{ErrorText.Quote(catalogItemId)}' does not exist.",
                [new FieldError(field, "Unknown catalog item.")]));
        }

        if (!availability.IsAvailableIn(country))
        {
            return (null, new ApiError(ErrorKind.Invalid, 800070, $"The offer '{catalogItemId}' is not available in the customer's country/region ({country}).",
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
        Caller caller, string productId, string skuId, string availabilityId, AvailabilityUpdateRequest request, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.CatalogWrite);
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
            return (null, new ApiError(ErrorKind.NotFound, 400013, $"No availability {availabilityId} of SKU {productId}/{skuId}."));
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

    public static readonly IReadOnlyList<string> BillingCycles = ["one_time", "monthly", "annual", "triennial"];
    public static readonly IReadOnlyList<string> Terms = ["P1M", "P1Y", "P3Y"];

    /// <summary>The operator renames or re-describes a product (audited).</summary>
    public async Task<(ProductResource? Product, ApiError? Error)> UpdateProductAsync(Caller caller, string productId, ProductUpdateRequest request, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.CatalogWrite);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        var title = Text(request.Title, "title", 200, errors);
        var description = Text(request.Description, "description", 1000, errors);
        if (errors.Count > 0)
        {
            return (null, ApiError.InvalidFields(errors));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var product = await db.CatalogProducts.FirstOrDefaultAsync(p => p.Id == productId, cancellationToken);
        if (product is null)
        {
            return (null, new ApiError(ErrorKind.NotFound, 400013, $"No product {ErrorText.Quote(productId)} in the catalog."));
        }

        product.Title = title ?? product.Title;
        product.Description = description ?? product.Description;
        product.UpdatedAt = clock.GetUtcNow();
        var resource = ProductResource.From(product);
        await audit.AppendAsync(new AuditEntry("update_catalog_product", "catalog", AuditEntry.Succeeded,
            ResourceNewValue: JsonSerializer.Serialize(resource, PaygoJson.Options)), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (resource, null);
    }

    /// <summary>
    /// The operator changes a SKU's texts, quantities, billing cycles or terms (audited). The
    /// Azure plan and the legacy Azure offer keep quantity 1 and their one billing cycle: the
    /// purchase rules of DOMAIN.md §3 rest on them.
    /// </summary>
    public async Task<(SkuResource? Sku, ApiError? Error)> UpdateSkuAsync(Caller caller, string productId, string skuId, SkuUpdateRequest request, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.CatalogWrite);
        ArgumentNullException.ThrowIfNull(request);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var sku = await db.CatalogSkus.FirstOrDefaultAsync(s => s.ProductId == productId && s.Id == skuId, cancellationToken);
        if (sku is null)
        {
            return (null, new ApiError(ErrorKind.NotFound, 400013, $"No SKU {ErrorText.Quote(productId)}/{ErrorText.Quote(skuId)} in the catalog."));
        }

        var errors = new List<FieldError>();
        var title = Text(request.Title, "title", 200, errors);
        var description = Text(request.Description, "description", 1000, errors);
        var minimum = request.MinimumQuantity ?? sku.MinimumQuantity;
        var maximum = request.MaximumQuantity ?? sku.MaximumQuantity;
        if (minimum < 1)
        {
            errors.Add(new("minimumQuantity", "The field 'minimumQuantity' must be at least 1."));
        }

        if (maximum < minimum || maximum > 1_000_000)
        {
            errors.Add(new("maximumQuantity", $"The field 'maximumQuantity' must be from minimumQuantity ({minimum}) to 1,000,000."));
        }

        var cycles = List(request.SupportedBillingCycles, "supportedBillingCycles", BillingCycles, errors, upper: false);
        var terms = List(request.TermDurations, "termDurations", Terms, errors, upper: true);
        var fixedOffer = sku.Kind != SkuKind.License;
        if (fixedOffer && (minimum != 1 || maximum != 1 || cycles is not null || terms is not null))
        {
            errors.Add(new("maximumQuantity", $"{sku.Title} is bought once per customer with its fixed billing cycle: only its title and description can change."));
        }

        if (errors.Count > 0)
        {
            return (null, ApiError.InvalidFields(errors));
        }

        sku.Title = title ?? sku.Title;
        sku.Description = description ?? sku.Description;
        sku.MinimumQuantity = minimum;
        sku.MaximumQuantity = maximum;
        sku.SupportedBillingCycles = cycles is null ? sku.SupportedBillingCycles : string.Join(',', cycles);
        sku.TermDurations = terms is null ? sku.TermDurations : string.Join(',', terms);
        var resource = SkuResource.From(sku);
        await audit.AppendAsync(new AuditEntry("update_catalog_sku", "catalog", AuditEntry.Succeeded,
            ResourceNewValue: JsonSerializer.Serialize(resource, PaygoJson.Options)), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (resource, null);
    }

    private static string? Text(string? value, string field, int maxLength, List<FieldError> errors)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.Trim();
        if (text.Length == 0 || text.Length > maxLength || text.Any(char.IsControl))
        {
            errors.Add(new(field, $"The field '{field}' must be 1 to {maxLength} characters without control characters."));
            return null;
        }

        return text;
    }

    private static List<string>? List(IReadOnlyList<string>? values, string field, IReadOnlyList<string> allowed, List<FieldError> errors, bool upper)
    {
        if (values is null)
        {
            return null;
        }

        var result = new List<string>();
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i]?.Trim() is { } v ? (upper ? v.ToUpperInvariant() : v.ToLowerInvariant()) : string.Empty;
            if (!allowed.Contains(value, StringComparer.Ordinal))
            {
                errors.Add(new($"{field}[{i}]", $"'{ErrorText.Quote(values[i])}' is not one of {string.Join(", ", allowed)}."));
            }
            else if (!result.Contains(value, StringComparer.Ordinal))
            {
                result.Add(value);
            }
        }

        if (result.Count == 0 && field == "supportedBillingCycles")
        {
            errors.Add(new(field, "A SKU needs at least one billing cycle."));
        }

        return result;
    }
}
