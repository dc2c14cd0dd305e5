using System.IO.Compression;
using System.Security.Claims;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Pricing;
using Paygo.Rating.Pricing;
using Paygo.Core.Users;
using Paygo.Server.Api;
using Paygo.Server.Identity;

namespace Paygo.Server.Pricing;

/// <summary>
/// Price lists and FX rates (DOMAIN.md §6, issue 5): imports and queries under
/// <c>/v1/pricing</c>, and Microsoft's pricing API paths (<c>/v1.0/sales/pricesheets(...)/$value</c>,
/// <c>/v1.0/sales/fxrates(...)/$value</c>, also under <c>/v1/sales</c>) so that its clients only
/// change the host. See Pricing.http.
/// </summary>
public static class PricingEndpoints
{
    private const string Csv = "text/csv";

    public static IEndpointRouteBuilder MapPricing(this IEndpointRouteBuilder app)
    {
        var pricing = app.MapGroup("/v1/pricing").WithTags("Pricing");
        pricing.MapPost("/pricelists", ImportPriceList).RequireAuthorization(AuthSetup.Policy(ApiOperation.PricesWrite))
            .WithMetadata(UploadLimit.Files).DisableAntiforgery()
            .WithName("ImportPriceList").WithSummary("Imports a market's price list for a month (CSV body); all or nothing; a re-import replaces the month.");
        pricing.MapGet("/pricelists", ListPriceLists).RequireAuthorization(AuthSetup.Policy(ApiOperation.PricesRead)).WithName("ListPriceLists");
        pricing.MapGet("/prices", SearchPrices).RequireAuthorization(AuthSetup.Policy(ApiOperation.PricesRead))
            .WithName("SearchPrices").WithSummary("Rows of a month's list: market, month, and optional product, sku, meter, category, tag; seek paging.");
        pricing.MapGet("/meters/{meterId}", GetMeterPrice).RequireAuthorization(AuthSetup.Policy(ApiOperation.PricesRead))
            .WithName("GetMeterPrice").WithSummary("The price of a meter on a day (market, date=yyyy-MM-dd, optional termDuration) with its tiers.");
        pricing.MapGet("/diff", Diff).RequireAuthorization(AuthSetup.Policy(ApiOperation.PricesRead))
            .WithName("DiffPriceLists").WithSummary("Meters added, removed, repriced or re-tiered between two months (market, from, to).");
        pricing.MapPost("/fxrates", ImportFxRates).RequireAuthorization(AuthSetup.Policy(ApiOperation.PricesWrite))
            .WithMetadata(UploadLimit.Files).DisableAntiforgery()
            .WithName("ImportFxRates").WithSummary("Imports Microsoft's FX file (CurrencyCode, USDPerUnit, Month); each month in it replaces that month.");
        pricing.MapGet("/exchangerates", GetExchangeRate).RequireAuthorization(AuthSetup.Policy(ApiOperation.PricesRead))
            .WithName("GetExchangeRate").WithSummary("PCToBCExchangeRate of a currency for a month (currency, month).");

        foreach (var prefix in new[] { "/v1.0/sales", "/v1/sales" })
        {
            app.MapGet(prefix + "/pricesheets(Market='{market}',PricesheetView='{view}')/$value", GetPriceSheet)
                .WithTags("Pricing").RequireAuthorization(AuthSetup.Policy(ApiOperation.PricesRead))
                .WithName("GetPriceSheet" + (prefix == "/v1/sales" ? "V1" : string.Empty))
                .WithSummary("Microsoft's price sheet: CSV of the market's list (timeline=current|history|future, month=yyyyMM); zipped with Accept-Encoding: deflate.");
            app.MapGet(prefix + "/fxrates(Month='{month}')/$value", GetFxRates)
                .WithTags("Pricing").RequireAuthorization(AuthSetup.Policy(ApiOperation.PricesRead))
                .WithName("GetFxRates" + (prefix == "/v1/sales" ? "V1" : string.Empty))
                .WithSummary("Microsoft's FX rates file of a month (yyyyMM).");
        }

        return app;
    }

    internal static async Task<IResult> ImportPriceList(HttpContext context, string? market, string? month, ClaimsPrincipal principal, PriceListStore store, CancellationToken cancellationToken)
    {
        // The query's text is parsed here, at the edge, so each 400 names its parameter (docs/adr/0019).
        if (PriceListStore.ParseMarket(market, out var parsedMarket) is { } marketError)
        {
            return ApiResults.Error(marketError);
        }

        if (Months.Parse(month, "month", out var parsedMonth) is { } monthError)
        {
            return ApiResults.Error(monthError);
        }

        var outcome = await store.ImportAsync(Caller.From(principal), context.Request.Body, parsedMarket, parsedMonth, principal.FindFirst(PaygoClaims.Email)?.Value ?? principal.FindFirst(PaygoClaims.Subject)?.Value,
            progress: null, cancellationToken);
        return outcome.Problems is not null
            ? TypedResults.Json(outcome.Problems, Paygo.Core.Common.PaygoJson.Options, statusCode: StatusCodes.Status400BadRequest)
            : TypedResults.Created($"/v1/pricing/pricelists?market={outcome.PriceList!.Market}", outcome.PriceList);
    }

    internal static async Task<IResult> ListPriceLists(string? market, ClaimsPrincipal principal, PriceListStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(CollectionPage.Of(await store.ListAsync(Caller.From(principal), market, cancellationToken), null));

    internal static async Task<IResult> SearchPrices(
        string? market, string? month, string? product, string? sku, string? meter, string? category, string? tag, int? size,
        [Microsoft.AspNetCore.Mvc.FromHeader(Name = SeekPaging.ContinuationTokenHeader)] string? continuationToken,
        ClaimsPrincipal principal, PriceListStore store, CancellationToken cancellationToken)
    {
        if (PriceListStore.ParseMarket(market, out var parsedMarket) is { } marketError)
        {
            return ApiResults.Error(marketError);
        }

        if (Months.Parse(month, "month", out var parsedMonth) is { } monthError)
        {
            return ApiResults.Error(monthError);
        }

        var (page, error) = await store.SearchAsync(Caller.From(principal), new PriceSearch(parsedMarket, parsedMonth, product, sku, meter, category, tag), size, continuationToken, cancellationToken);
        return page is not null ? TypedResults.Ok(page) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> GetMeterPrice(string meterId, string? market, string? date, string? termDuration, ClaimsPrincipal principal, PriceListStore store, CancellationToken cancellationToken)
    {
        if (PriceListStore.ParseMarket(market, out var parsedMarket) is { } marketError)
        {
            return ApiResults.Error(marketError);
        }

        if (PriceListStore.ParseDay(date, out var day) is { } dayError)
        {
            return ApiResults.Error(dayError);
        }

        var (price, error) = await store.FindPriceAsync(Caller.From(principal), meterId, parsedMarket, day, termDuration, cancellationToken);
        return price is not null ? TypedResults.Ok(price) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> Diff(string? market, string? from, string? to, ClaimsPrincipal principal, PriceListStore store, CancellationToken cancellationToken)
    {
        if (PriceListStore.ParseMarket(market, out var parsedMarket) is { } marketError)
        {
            return ApiResults.Error(marketError);
        }

        if (Months.Parse(from, "from", out var fromMonth) is { } fromError)
        {
            return ApiResults.Error(fromError);
        }

        if (Months.Parse(to, "to", out var toMonth) is { } toError)
        {
            return ApiResults.Error(toError);
        }

        var (changes, error) = await store.DiffAsync(Caller.From(principal), parsedMarket, fromMonth, toMonth, cancellationToken);
        return changes is not null ? TypedResults.Ok(CollectionPage.Of(changes, null)) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> ImportFxRates(HttpContext context, FxRateBook book, CancellationToken cancellationToken)
    {
        var (imported, problems) = await book.ImportAsync(Caller.From(context.User), context.Request.Body, cancellationToken);
        return problems is not null
            ? TypedResults.Json(problems, Paygo.Core.Common.PaygoJson.Options, statusCode: StatusCodes.Status400BadRequest)
            : TypedResults.Created("/v1/pricing/exchangerates", imported);
    }

    internal static async Task<IResult> GetExchangeRate(string? currency, string? month, ClaimsPrincipal principal, FxRateBook book, CancellationToken cancellationToken)
    {
        if (FxRateBook.ParseCurrency(currency, out var parsedCurrency) is { } currencyError)
        {
            return ApiResults.Error(currencyError);
        }

        if (Months.Parse(month, "month", out var parsedMonth) is { } monthError)
        {
            return ApiResults.Error(monthError);
        }

        var (rate, error) = await book.PcToBcAsync(Caller.From(principal), parsedCurrency, parsedMonth, cancellationToken);
        return rate is not null ? TypedResults.Ok(rate) : ApiResults.Error(error!);
    }

    /// <summary>
    /// Microsoft's price sheet: <c>timeline=current</c> (the default) is this month's list,
    /// <c>future</c> next month's, <c>history</c> the list of <c>month</c>.
    /// </summary>
    internal static async Task<IResult> GetPriceSheet(
        HttpContext context, string market, string view, string? timeline, string? month, PriceListStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!string.Equals(view, "azure_consumption", StringComparison.OrdinalIgnoreCase))
        {
            return ApiResults.Error(ApiError.InvalidField("PricesheetView", $"Paygo serves the Azure plan's consumption price sheet only: PricesheetView='azure_consumption', not '{ErrorText.Quote(view)}'."));
        }

        if (PriceListStore.ParseMarket(market, out var code) is { } marketError)
        {
            return ApiResults.Error(marketError);
        }

        var today = BillingMonth.Of(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        BillingMonth wanted;
        switch (timeline?.Trim().ToLowerInvariant())
        {
            case null or "" or "current":
                wanted = today;
                break;
            case "future":
                wanted = today.Month == 12 ? new BillingMonth(today.Year + 1, 1) : new BillingMonth(today.Year, today.Month + 1);
                break;
            case "history":
                if (Months.Parse(month, "month", out wanted) is { } monthError)
                {
                    return ApiResults.Error(monthError);
                }

                break;
            default:
                return ApiResults.Error(ApiError.InvalidField("timeline", $"The parameter 'timeline' must be current, history or future; '{ErrorText.Quote(timeline)}' is not."));
        }

        var list = await store.FindListAsync(Caller.From(context.User), code, wanted, cancellationToken);
        if (list is null)
        {
            return ApiResults.Error(PriceListStore.NotImportedError(code, wanted));
        }

        var fileName = $"pricesheet_{code}_{wanted.ToFileText()}.csv";
        if (!Deflate(context))
        {
            return Results.Stream(output => store.ExportAsync(Caller.From(context.User), list, output, cancellationToken), Csv + "; charset=utf-8", fileName);
        }

        // The zip is built in a temporary file: the compressor flushes synchronously when it closes,
        // which Kestrel forbids on a response, and the file also gives the answer its length.
        var zipPath = Path.Combine(Path.GetTempPath(), $"paygo-pricesheet-{Guid.NewGuid():N}.zip");
        await using (var file = new FileStream(zipPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = zip.CreateEntry(fileName, CompressionLevel.Fastest).Open())
        {
            await store.ExportAsync(Caller.From(context.User), list, entry, cancellationToken);
        }

        var zipped = new FileStream(zipPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        return Results.Stream(zipped, "application/zip", Path.ChangeExtension(fileName, ".zip"));
    }

    internal static async Task<IResult> GetFxRates(string month, ClaimsPrincipal principal, FxRateBook book, CancellationToken cancellationToken)
    {
        if (Months.Parse(month, "Month", out var wanted) is { } monthError)
        {
            return ApiResults.Error(monthError);
        }

        var rates = await book.RatesAsync(Caller.From(principal), wanted, cancellationToken);
        if (rates.Count == 0)
        {
            return ApiResults.Error(new ApiError(ErrorKind.NotFound, PriceListStore.NotImported, $"No FX rates are imported for {wanted.ToFileText()}."));
        }

        var buffer = new MemoryStream();
        FxRateFile.Write(buffer, rates);
        return Results.File(buffer.ToArray(), Csv + "; charset=utf-8", $"fxrates_{wanted.ToFileText()}.csv");
    }

    private static bool Deflate(HttpContext context) =>
        context.Request.Headers.AcceptEncoding.ToString().Contains("deflate", StringComparison.OrdinalIgnoreCase);
}
