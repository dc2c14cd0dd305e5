using Paygo.Core.Common;

namespace Paygo.Core.Catalog;

public sealed record ProductTypeResource(string Id, string DisplayName);

public sealed record ProductResource(
    string Id,
    string Title,
    string Description,
    ProductTypeResource ProductType,
    bool IsMicrosoftProduct,
    string PublisherName,
    ResourceLinks Links,
    ResourceAttributes Attributes)
{
    public static ProductResource From(CatalogProduct product)
    {
        ArgumentNullException.ThrowIfNull(product);
        return new(product.Id, product.Title, product.Description, new ProductTypeResource(product.ProductType, product.ProductType),
            product.IsMicrosoftProduct, product.PublisherName, new ResourceLinks(Link.Get($"/v1/products/{product.Id}")), new ResourceAttributes("Product"));
    }
}

public sealed record SkuResource(
    string Id,
    string ProductId,
    string Title,
    string Description,
    int MinimumQuantity,
    int MaximumQuantity,
    bool IsTrial,
    IReadOnlyList<string> SupportedBillingCycles,
    IReadOnlyList<string> PurchasePrerequisites,
    IReadOnlyList<string> TermDurations,
    string UnitType,
    string? OfferCode,
    ResourceLinks Links,
    ResourceAttributes Attributes)
{
    public static SkuResource From(CatalogSku sku)
    {
        ArgumentNullException.ThrowIfNull(sku);
        return new(sku.Id, sku.ProductId, sku.Title, sku.Description, sku.MinimumQuantity, sku.MaximumQuantity, sku.IsTrial,
            sku.BillingCycleList, sku.PrerequisiteList, sku.TermDurationList, sku.UnitType, sku.OfferCode,
            new ResourceLinks(Link.Get($"/v1/products/{sku.ProductId}/skus/{sku.Id}")), new ResourceAttributes("Sku"));
    }
}

public sealed record AvailabilityResource(
    string Id,
    string ProductId,
    string SkuId,
    string CatalogItemId,
    string Country,
    bool IsPurchasable,
    string Segment,
    ResourceLinks Links,
    ResourceAttributes Attributes)
{
    public static AvailabilityResource From(CatalogAvailability availability, string country)
    {
        ArgumentNullException.ThrowIfNull(availability);
        return new(availability.Id, availability.ProductId, availability.SkuId, availability.CatalogItemId, country, true, "commercial",
            new ResourceLinks(Link.Get($"/v1/products/{availability.ProductId}/skus/{availability.SkuId}/availabilities/{availability.Id}?country={country}")),
            new ResourceAttributes("Availability"));
    }
}

/// <summary>A catalog item an order names, resolved: the product, SKU and availability.</summary>
public sealed record CatalogItem(CatalogProduct Product, CatalogSku Sku, CatalogAvailability Availability);

/// <summary>Body of the operator's <c>PUT /v1/products/{productId}/skus/{skuId}/availabilities/{availabilityId}</c>: where the SKU is sold.</summary>
public sealed record AvailabilityUpdateRequest(IReadOnlyList<string>? Countries);

/// <summary>Body of the operator's <c>PUT /v1/products/{productId}</c>: fields left out stay as they are.</summary>
public sealed record ProductUpdateRequest(string? Title = null, string? Description = null);

/// <summary>Body of the operator's <c>PUT /v1/products/{productId}/skus/{skuId}</c>: fields left out stay as they are.</summary>
public sealed record SkuUpdateRequest(
    string? Title = null,
    string? Description = null,
    int? MinimumQuantity = null,
    int? MaximumQuantity = null,
    IReadOnlyList<string>? SupportedBillingCycles = null,
    IReadOnlyList<string>? TermDurations = null);
