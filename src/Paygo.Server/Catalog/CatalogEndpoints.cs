using System.Security.Claims;
using Paygo.Core.Catalog;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Users;
using Paygo.Server.Api;
using Paygo.Server.Identity;

namespace Paygo.Server.Catalog;

/// <summary>
/// The catalog as Partner Center serves it (reference §1.4, §8.2): by country, or by customer
/// (the customer's country); the operator sets where a SKU is sold. See Catalog.http.
/// </summary>
public static class CatalogEndpoints
{
    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/v1/products").WithTags("Catalog");
        products.MapGet("/", ListProducts).RequireAuthorization(AuthSetup.Policy(ApiOperation.CatalogRead))
            .WithName("ListProducts").WithSummary("Products sold in a country: country=US, optional targetView=MicrosoftAzure|OnlineServices.");
        products.MapGet("/{productId}", GetProduct).RequireAuthorization(AuthSetup.Policy(ApiOperation.CatalogRead)).WithName("GetProduct");
        products.MapGet("/{productId}/skus", ListSkus).RequireAuthorization(AuthSetup.Policy(ApiOperation.CatalogRead)).WithName("ListSkus");
        products.MapGet("/{productId}/skus/{skuId}", GetSku).RequireAuthorization(AuthSetup.Policy(ApiOperation.CatalogRead))
            .WithName("GetSku").WithSummary("One SKU sold in a country: country=US.");
        products.MapGet("/{productId}/skus/{skuId}/availabilities/{availabilityId}", GetAvailability).RequireAuthorization(AuthSetup.Policy(ApiOperation.CatalogRead))
            .WithName("GetAvailability").WithSummary("One availability of a SKU in a country: country=US.");
        products.MapGet("/{productId}/skus/{skuId}/availabilities", ListAvailabilities).RequireAuthorization(AuthSetup.Policy(ApiOperation.CatalogRead))
            .WithName("ListAvailabilities").WithSummary("Availabilities of a SKU in a country; each gives the catalogItemId a cart names.");
        products.MapPut("/{productId}", UpdateProduct).RequireAuthorization(AuthSetup.Policy(ApiOperation.CatalogWrite))
            .WithName("UpdateProduct").WithSummary("Renames or re-describes a product (operator).");
        products.MapPut("/{productId}/skus/{skuId}", UpdateSku).RequireAuthorization(AuthSetup.Policy(ApiOperation.CatalogWrite))
            .WithName("UpdateSku").WithSummary("Changes a SKU's texts, quantities, billing cycles or terms (operator).");
        products.MapPut("/{productId}/skus/{skuId}/availabilities/{availabilityId}", UpdateAvailability).RequireAuthorization(AuthSetup.Policy(ApiOperation.CatalogWrite))
            .WithName("UpdateAvailability").WithSummary("Sets the countries where a SKU is sold (operator).");

        var byCustomer = app.MapGroup("/v1/customers/{customerId}/products").WithTags("Catalog");
        byCustomer.MapGet("/", ListCustomerProducts).RequireAuthorization(AuthSetup.Policy(ApiOperation.CatalogRead))
            .WithName("ListCustomerProducts").WithSummary("Products the customer can buy (its country), e.g. targetView=MicrosoftAzure.");
        byCustomer.MapGet("/{productId}", GetCustomerProduct).RequireAuthorization(AuthSetup.Policy(ApiOperation.CatalogRead))
            .WithName("GetCustomerProduct").WithSummary("One product as sold in the customer's country.");
        byCustomer.MapGet("/{productId}/skus", ListCustomerSkus).RequireAuthorization(AuthSetup.Policy(ApiOperation.CatalogRead))
            .WithName("ListCustomerSkus").WithSummary("The SKUs of a product sold in the customer's country.");
        byCustomer.MapGet("/{productId}/skus/{skuId}", GetCustomerSku).RequireAuthorization(AuthSetup.Policy(ApiOperation.CatalogRead))
            .WithName("GetCustomerSku").WithSummary("One SKU as sold in the customer's country.");
        byCustomer.MapGet("/{productId}/skus/{skuId}/availabilities", ListCustomerAvailabilities).RequireAuthorization(AuthSetup.Policy(ApiOperation.CatalogRead))
            .WithName("ListCustomerAvailabilities");
        byCustomer.MapGet("/{productId}/skus/{skuId}/availabilities/{availabilityId}", GetCustomerAvailability).RequireAuthorization(AuthSetup.Policy(ApiOperation.CatalogRead))
            .WithName("GetCustomerAvailability");
        return app;
    }

    internal static async Task<IResult> ListProducts(string? country, string? targetView, ClaimsPrincipal principal, CatalogQueries catalog, CancellationToken cancellationToken)
    {
        if (CatalogQueries.CheckCountry(country, out var code) is { } countryError)
        {
            return ApiResults.Error(countryError);
        }

        var (products, error) = await catalog.ListProductsAsync(Caller.From(principal), code, targetView, cancellationToken);
        return products is not null ? TypedResults.Ok(CollectionPage.Of(products, null)) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> GetProduct(string productId, string? country, ClaimsPrincipal principal, CatalogQueries catalog, CancellationToken cancellationToken)
    {
        if (CatalogQueries.CheckCountry(country, out var code) is { } countryError)
        {
            return ApiResults.Error(countryError);
        }

        var product = await catalog.FindProductAsync(Caller.From(principal), productId, code, cancellationToken);
        return product is not null ? TypedResults.Ok(product) : ApiResults.Error(ProductNotFound(productId, code));
    }

    internal static async Task<IResult> ListSkus(string productId, string? country, ClaimsPrincipal principal, CatalogQueries catalog, CancellationToken cancellationToken)
    {
        if (CatalogQueries.CheckCountry(country, out var code) is { } countryError)
        {
            return ApiResults.Error(countryError);
        }

        var skus = await catalog.ListSkusAsync(Caller.From(principal), productId, code, cancellationToken);
        return skus is not null ? TypedResults.Ok(CollectionPage.Of(skus, null)) : ApiResults.Error(ProductNotFound(productId, code));
    }

    internal static async Task<IResult> GetSku(string productId, string skuId, string? country, ClaimsPrincipal principal, CatalogQueries catalog, CancellationToken cancellationToken)
    {
        if (CatalogQueries.CheckCountry(country, out var code) is { } countryError)
        {
            return ApiResults.Error(countryError);
        }

        var sku = await catalog.FindSkuAsync(Caller.From(principal), productId, skuId, code, cancellationToken);
        return sku is not null ? TypedResults.Ok(sku) : ApiResults.Error(SkuNotFound(productId, skuId, code));
    }

    internal static async Task<IResult> GetAvailability(
        string productId, string skuId, string availabilityId, string? country, ClaimsPrincipal principal, CatalogQueries catalog, CancellationToken cancellationToken)
    {
        if (CatalogQueries.CheckCountry(country, out var code) is { } countryError)
        {
            return ApiResults.Error(countryError);
        }

        var availability = await catalog.FindAvailabilityAsync(Caller.From(principal), productId, skuId, availabilityId, code, cancellationToken);
        return availability is not null ? TypedResults.Ok(availability) : ApiResults.Error(AvailabilityNotFound(productId, skuId, availabilityId, code));
    }

    internal static async Task<IResult> ListAvailabilities(string productId, string skuId, string? country, ClaimsPrincipal principal, CatalogQueries catalog, CancellationToken cancellationToken)
    {
        if (CatalogQueries.CheckCountry(country, out var code) is { } countryError)
        {
            return ApiResults.Error(countryError);
        }

        var availabilities = await catalog.ListAvailabilitiesAsync(Caller.From(principal), productId, skuId, code, cancellationToken);
        return availabilities is not null ? TypedResults.Ok(CollectionPage.Of(availabilities, null)) : ApiResults.Error(ProductNotFound(productId, code));
    }

    internal static async Task<IResult> UpdateAvailability(
        string productId, string skuId, string availabilityId, AvailabilityUpdateRequest request, ClaimsPrincipal principal, CatalogQueries catalog, CancellationToken cancellationToken)
    {
        var (availability, error) = await catalog.UpdateAvailabilityAsync(Caller.From(principal), productId, skuId, availabilityId, request, cancellationToken);
        return availability is not null ? TypedResults.Ok(availability) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> UpdateProduct(string productId, ProductUpdateRequest request, ClaimsPrincipal principal, CatalogQueries catalog, CancellationToken cancellationToken)
    {
        var (product, error) = await catalog.UpdateProductAsync(Caller.From(principal), productId, request, cancellationToken);
        return product is not null ? TypedResults.Ok(product) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> UpdateSku(string productId, string skuId, SkuUpdateRequest request, ClaimsPrincipal principal, CatalogQueries catalog, CancellationToken cancellationToken)
    {
        var (sku, error) = await catalog.UpdateSkuAsync(Caller.From(principal), productId, skuId, request, cancellationToken);
        return sku is not null ? TypedResults.Ok(sku) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> ListCustomerProducts(
        string customerId, string? targetView, ClaimsPrincipal principal, CatalogQueries catalog, CancellationToken cancellationToken)
    {
        var (country, error) = await CustomerCountryAsync(customerId, principal, catalog, cancellationToken);
        if (country is null)
        {
            return ApiResults.Error(error!);
        }

        var (products, viewError) = await catalog.ListProductsAsync(Caller.From(principal), country, targetView, cancellationToken);
        return products is not null ? TypedResults.Ok(CollectionPage.Of(products, null)) : ApiResults.Error(viewError!);
    }

    internal static async Task<IResult> GetCustomerProduct(
        string customerId, string productId, ClaimsPrincipal principal, CatalogQueries catalog, CancellationToken cancellationToken)
    {
        var (country, error) = await CustomerCountryAsync(customerId, principal, catalog, cancellationToken);
        if (country is null)
        {
            return ApiResults.Error(error!);
        }

        var product = await catalog.FindProductAsync(Caller.From(principal), productId, country, cancellationToken);
        return product is not null ? TypedResults.Ok(product) : ApiResults.Error(ProductNotFound(productId, country));
    }

    internal static async Task<IResult> ListCustomerSkus(
        string customerId, string productId, ClaimsPrincipal principal, CatalogQueries catalog, CancellationToken cancellationToken)
    {
        var (country, error) = await CustomerCountryAsync(customerId, principal, catalog, cancellationToken);
        if (country is null)
        {
            return ApiResults.Error(error!);
        }

        var skus = await catalog.ListSkusAsync(Caller.From(principal), productId, country, cancellationToken);
        return skus is not null ? TypedResults.Ok(CollectionPage.Of(skus, null)) : ApiResults.Error(ProductNotFound(productId, country));
    }

    internal static async Task<IResult> GetCustomerSku(
        string customerId, string productId, string skuId, ClaimsPrincipal principal, CatalogQueries catalog, CancellationToken cancellationToken)
    {
        var (country, error) = await CustomerCountryAsync(customerId, principal, catalog, cancellationToken);
        if (country is null)
        {
            return ApiResults.Error(error!);
        }

        var sku = await catalog.FindSkuAsync(Caller.From(principal), productId, skuId, country, cancellationToken);
        return sku is not null ? TypedResults.Ok(sku) : ApiResults.Error(SkuNotFound(productId, skuId, country));
    }

    internal static async Task<IResult> GetCustomerAvailability(
        string customerId, string productId, string skuId, string availabilityId, ClaimsPrincipal principal, CatalogQueries catalog,
        CancellationToken cancellationToken)
    {
        var (country, error) = await CustomerCountryAsync(customerId, principal, catalog, cancellationToken);
        if (country is null)
        {
            return ApiResults.Error(error!);
        }

        var availability = await catalog.FindAvailabilityAsync(Caller.From(principal), productId, skuId, availabilityId, country, cancellationToken);
        return availability is not null
            ? TypedResults.Ok(availability)
            : ApiResults.Error(AvailabilityNotFound(productId, skuId, availabilityId, country));
    }

    internal static async Task<IResult> ListCustomerAvailabilities(
        string customerId, string productId, string skuId, ClaimsPrincipal principal, CatalogQueries catalog, CancellationToken cancellationToken)
    {
        var (country, error) = await CustomerCountryAsync(customerId, principal, catalog, cancellationToken);
        if (country is null)
        {
            return ApiResults.Error(error!);
        }

        var availabilities = await catalog.ListAvailabilitiesAsync(Caller.From(principal), productId, skuId, country, cancellationToken);
        return availabilities is not null ? TypedResults.Ok(CollectionPage.Of(availabilities, null)) : ApiResults.Error(ProductNotFound(productId, country));
    }

    /// <summary>The country whose catalog a customer route serves: Core checks the customer is the caller's (else 404).</summary>
    private static async Task<(string? Country, ApiError? Error)> CustomerCountryAsync(
        string customerId, ClaimsPrincipal principal, CatalogQueries catalog, CancellationToken cancellationToken)
    {
        if (CustomerVisibility.ParseId(customerId, out var id) is { } idError)
        {
            return (null, idError);
        }

        var country = await catalog.CustomerCountryAsync(Caller.From(principal), id, cancellationToken);
        return country is null ? (null, CustomerVisibility.NotFound(id)) : (country, null);
    }

    private static ApiError ProductNotFound(string productId, string country) =>
        new(ErrorKind.NotFound, 400013, $"The product or SKU '{ErrorText.Quote(productId)}' is not in the catalog for {country}.");

    private static ApiError SkuNotFound(string productId, string skuId, string country) =>
        new(ErrorKind.NotFound, 400013, $"The SKU '{ErrorText.Quote(productId)}/{ErrorText.Quote(skuId)}' is not in the catalog for {country}.");

    private static ApiError AvailabilityNotFound(string productId, string skuId, string availabilityId, string country) =>
        new(ErrorKind.NotFound, 400013, $"The availability '{ErrorText.Quote(productId)}:{ErrorText.Quote(skuId)}:{ErrorText.Quote(availabilityId)}' is not in the catalog for {country}.");
}
