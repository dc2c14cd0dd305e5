using Paygo.Core.Common;

namespace Paygo.Core.Catalog;

/// <summary>Partner Center's <c>ItemType</c>: <c>{ id, displayName, subType? }</c>.</summary>
public sealed record ProductTypeResource(string Id, string DisplayName, ProductTypeResource? SubType = null)
{
    /// <summary>The product type of a catalog product: Azure products carry the <c>Azure</c> subtype (reference §1.4).</summary>
    public static ProductTypeResource Of(string productType) =>
        new(productType, productType, productType == "Azure" ? new ProductTypeResource("Azure", "Azure") : null);
}

/// <summary>Links of a product: its SKUs and itself.</summary>
public sealed record ProductLinks(Link Skus, Link Self);

/// <summary>Links of a SKU: its availabilities and itself.</summary>
public sealed record SkuLinks(Link Availabilities, Link Self);

/// <summary>Builds catalog link URIs; the by-country routes need <c>?country=</c>, the operator's edits have none.</summary>
internal static class CatalogLinks
{
    public static string WithCountry(string path, string? country) => country is null ? path : $"{path}?country={country}";
}

public sealed record ProductResource(
    string Id,
    string Title,
    string Description,
    ProductTypeResource ProductType,
    bool IsMicrosoftProduct,
    string PublisherName,
    ProductLinks Links,
    ResourceAttributes Attributes)
{
    public static ProductResource From(CatalogProduct product) => From(product, null);

    /// <summary>The product as sold in <paramref name="country"/>; links carry the country so that they can be followed as they are.</summary>
    public static ProductResource From(CatalogProduct product, string? country)
    {
        ArgumentNullException.ThrowIfNull(product);
        var self = $"/v1/products/{product.Id}";
        return new(product.Id, product.Title, product.Description, ProductTypeResource.Of(product.ProductType),
            product.IsMicrosoftProduct, product.PublisherName,
            new ProductLinks(Link.Get(CatalogLinks.WithCountry(self + "/skus", country)), Link.Get(CatalogLinks.WithCountry(self, country))),
            new ResourceAttributes("Product"));
    }
}

/// <summary>Partner Center's <c>dynamicAttributes</c> of a SKU that Paygo knows.</summary>
public sealed record SkuDynamicAttributes(bool IsMicrosoftProduct);

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
    IReadOnlyList<string> InventoryVariables,
    IReadOnlyList<string> ProvisioningVariables,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> TermDurations,
    string UnitType,
    string? OfferCode,
    SkuDynamicAttributes DynamicAttributes,
    SkuLinks Links,
    ResourceAttributes Attributes)
{
    public static SkuResource From(CatalogSku sku) => From(sku, null);

    public static SkuResource From(CatalogSku sku, string? country)
    {
        ArgumentNullException.ThrowIfNull(sku);
        var self = $"/v1/products/{sku.ProductId}/skus/{sku.Id}";

        // The Azure plan is refundable (reference §1.4 actions ["Refund"]); Paygo has no inventory or provisioning variables.
        return new(sku.Id, sku.ProductId, sku.Title, sku.Description, sku.MinimumQuantity, sku.MaximumQuantity, sku.IsTrial,
            sku.BillingCycleList, sku.PrerequisiteList, [], [], sku.Kind == SkuKind.AzurePlan ? ["Refund"] : [], sku.TermDurationList, sku.UnitType, sku.OfferCode,
            new SkuDynamicAttributes(true),
            new SkuLinks(Link.Get(CatalogLinks.WithCountry(self + "/availabilities", country)), Link.Get(CatalogLinks.WithCountry(self, country))),
            new ResourceAttributes("Sku"));
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
