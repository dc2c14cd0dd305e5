using Microsoft.EntityFrameworkCore;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Pricing;
using Paygo.Core.Users;
using Paygo.Rating.Pricing;

namespace Paygo.Core.RatedUsage;

/// <summary>What <c>GET /v1/invoices/unbilled/lineitems</c> asks for, as the request wrote it (checked by <see cref="UnbilledUsage"/>).</summary>
/// <param name="Provider">Must be <c>onetime</c>.</param>
/// <param name="InvoiceLineItemType"><c>usagelineitems</c> (<c>billinglineitems</c> is not served yet).</param>
/// <param name="CurrencyCode">Must be the partner's billing currency.</param>
/// <param name="Period"><c>current</c> or <c>previous</c>.</param>
/// <param name="PartnerId">The billed partner: the operator must name one; a partner may name only itself (Paygo's own parameter).</param>
/// <param name="CustomerId">Only this customer's lines (Paygo's own parameter, for the CLI and the dashboard).</param>
public sealed record UnbilledQuery(string? Provider, string? InvoiceLineItemType, string? CurrencyCode, string? Period, string? PartnerId = null, string? CustomerId = null);

/// <summary>A customer's month-to-date spend in the billing currency: Σ <c>BillingPreTaxTotal</c> of its rated lines, unrounded.</summary>
public sealed record CustomerSpend(Guid PartnerId, Guid CustomerId, BillingMonth Month, string Currency, decimal Amount, int Lines, int Unrated);

/// <summary>The billed partner, month and lines a rated-usage read resolved to.</summary>
public sealed record RatedScope(Guid PartnerId, BillingMonth Month, Guid? CustomerId, MonthRatingResult Rating);

/// <summary>
/// The unbilled (open-period) daily rated usage of Partner Center (reference §8.2), served from
/// <see cref="IMonthRating"/> (docs/adr/0033): checks the parameters as Partner Center names them,
/// the caller's role and which partner's invoice it may read, and pages the lines in their
/// documented order with seek paging. Also the month-to-date spend other features read.
/// </summary>
public sealed class UnbilledUsage(PaygoDbContext db, IMonthRating rating, TimeProvider clock)
{
    public const int DefaultPageSize = 2000;
    public const int MaxPageSize = 2000;
    public const string Path = "/v1/invoices/unbilled/lineitems";

    /// <summary>
    /// Month-to-date spend of customer <paramref name="customerId"/> billed by
    /// <paramref name="partnerId"/> in <paramref name="month"/>, in the partner's billing currency.
    /// No caller: it is for Paygo's own jobs (budgets); an API answer must check the customer's
    /// visibility first (<see cref="CustomerVisibility"/>).
    /// </summary>
    public async Task<CustomerSpend> CustomerSpendAsync(Guid partnerId, Guid customerId, BillingMonth month, CancellationToken cancellationToken)
    {
        var result = await rating.RateAsync(partnerId, month, customerId, cancellationToken);
        var amount = 0m;
        foreach (var line in result.Lines)
        {
            amount += line.BillingPreTaxTotal;
        }

        return new CustomerSpend(partnerId, customerId, month, result.BillingCurrency, amount, result.Lines.Count, result.Unrated.Count);
    }

    /// <summary>The month <c>period</c> names: <c>current</c> (this UTC month) or <c>previous</c>.</summary>
    public ApiError? ParsePeriod(string? period, out BillingMonth month)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var current = BillingMonth.Of(today);
        month = current;
        switch (period?.Trim().ToLowerInvariant())
        {
            case "current":
                return null;
            case "previous":
                month = BillingMonth.Of(current.FirstDay.AddMonths(-1));
                return null;
            default:
                return ApiError.InvalidField("period", $"The parameter 'period' must be current or previous; '{ErrorText.Quote(period)}' is not.");
        }
    }

    /// <summary>
    /// Which billed partner's month the caller reads: a partner its own (naming another is
    /// answered as a partner that does not exist, S2), the operator the one it names. With a
    /// customer, the customer must be visible and billed by that partner.
    /// </summary>
    public async Task<Result<RatedScope>> ScopeAsync(Caller caller, string? partnerText, string? customerText, BillingMonth month, CancellationToken cancellationToken)
    {
        var (partnerId, partnerError) = await PartnerOfAsync(caller, partnerText, cancellationToken);
        if (partnerError is not null)
        {
            return partnerError;
        }

        Guid? customerId = null;
        if (!string.IsNullOrWhiteSpace(customerText))
        {
            if (CustomerVisibility.ParseId(customerText, out var customer) is { } idError)
            {
                return idError;
            }

            // Billed by that partner and visible to the caller: a reseller's view of the provider's customer is not the provider's bill.
            if (!await CustomerVisibility.Of(db, caller).AnyAsync(c => c.Id == customer && c.PartnerId == partnerId, cancellationToken))
            {
                return CustomerVisibility.NotFound(customer);
            }

            customerId = customer;
        }

        return new RatedScope(partnerId, month, customerId, await rating.RateAsync(partnerId, month, customerId, cancellationToken));
    }

    /// <summary>
    /// The billed partner whose usage the caller reads: a partner's user its own (naming another is
    /// answered as a partner that does not exist, S2), the operator the one it names with <c>partnerId</c>.
    /// </summary>
    public async Task<(Guid PartnerId, ApiError? Error)> PartnerOfAsync(Caller caller, string? partnerText, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.UsageRead);
        Guid partnerId;
        if (string.IsNullOrWhiteSpace(partnerText))
        {
            if (caller.PartnerId is not { } own)
            {
                return (default, ApiError.InvalidField("partnerId", "The operator reads one partner's usage at a time: name it with the parameter 'partnerId'."));
            }

            partnerId = own;
        }
        else if (!Guid.TryParse(partnerText, out partnerId))
        {
            return (default, ApiError.InvalidField("partnerId", $"The parameter 'partnerId' must be a partner's tenant id (a GUID); '{ErrorText.Quote(partnerText)}' is not."));
        }

        if ((!caller.IsOperator && caller.PartnerId != partnerId) || !await db.Partners.AnyAsync(p => p.Id == partnerId, cancellationToken))
        {
            return (default, ApiError.NotFound($"No partner with id {partnerId}."));
        }

        return (partnerId, null);
    }

    /// <summary>
    /// The checks both unbilled line-item lists (usage and billing lines) make before reading
    /// anything: provider, currency given, period, page size and the seek operation. Decoding the
    /// continuation token is the list's own: each names its position differently.
    /// </summary>
    public ApiError? CheckQuery(UnbilledQuery query, int? size, string? seekOperation, string? continuationToken, out BillingMonth month, out int pageSize)
    {
        ArgumentNullException.ThrowIfNull(query);
        month = default;
        pageSize = size ?? DefaultPageSize;
        if (!string.Equals(query.Provider?.Trim(), "onetime", StringComparison.OrdinalIgnoreCase))
        {
            return ApiError.InvalidField("provider", $"The parameter 'provider' must be onetime for unbilled Azure plan line items; '{ErrorText.Quote(query.Provider)}' is not.");
        }

        if (string.IsNullOrWhiteSpace(query.CurrencyCode))
        {
            return ApiError.InvalidField("currencycode", "The parameter 'currencycode' is required: the partner's billing currency, such as USD.");
        }

        if (ParsePeriod(query.Period, out month) is { } periodError)
        {
            return periodError;
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            return ApiError.InvalidField("size", $"The page size 'size' must be between 1 and {MaxPageSize}; it was {pageSize}.");
        }

        if ((!string.IsNullOrEmpty(seekOperation) || !string.IsNullOrEmpty(continuationToken))
            && !string.Equals(seekOperation, "Next", StringComparison.OrdinalIgnoreCase))
        {
            return ApiError.InvalidField("seekOperation", $"The parameter 'seekOperation' must be Next with the header {SeekPaging.ContinuationTokenHeader}; '{ErrorText.Quote(seekOperation)}' is not.");
        }

        return null;
    }

    /// <summary>The currency asked for must be the partner's billing currency (known once its scope is read).</summary>
    public static ApiError? CheckCurrency(UnbilledQuery query, string billingCurrency) =>
        string.Equals(query?.CurrencyCode?.Trim(), billingCurrency, StringComparison.OrdinalIgnoreCase)
            ? null
            : ApiError.InvalidField("currencycode", $"The parameter 'currencycode' must be the partner's billing currency {billingCurrency}; '{ErrorText.Quote(query?.CurrencyCode)}' is not.");

    /// <summary>One page of unbilled daily rated usage line items (reference §8.2, <c>invoicelineitemtype=usagelineitems</c>).</summary>
    public async Task<Result<UnbilledLineItemPage>> LineItemsAsync(Caller caller, UnbilledQuery query, int? size, string? seekOperation, string? continuationToken, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.UsageRead);
        ArgumentNullException.ThrowIfNull(query);
        var type = query.InvoiceLineItemType?.Trim().ToLowerInvariant();
        if (type != "usagelineitems")
        {
            return ApiError.InvalidField("invoicelineitemtype", $"The parameter 'invoicelineitemtype' must be usagelineitems or billinglineitems; '{ErrorText.Quote(query.InvoiceLineItemType)}' is not.");
        }

        if (CheckQuery(query, size, seekOperation, continuationToken, out var month, out var pageSize) is { } invalid)
        {
            return invalid;
        }

        string[]? after = null;
        if (!string.IsNullOrEmpty(continuationToken) || !string.IsNullOrEmpty(seekOperation))
        {
            if (!SeekPaging.TryDecode(continuationToken, 6, out var key))
            {
                return SeekPaging.InvalidToken();
            }

            after = key;
        }

        var (scope, error) = await ScopeAsync(caller, query.PartnerId, query.CustomerId, month, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var result = scope!.Rating;
        if (CheckCurrency(query, result.BillingCurrency) is { } currencyError)
        {
            return currencyError;
        }

        var lines = result.Lines;
        var start = 0;
        if (after is not null)
        {
            if (!TryParseKey(after, out var last))
            {
                return SeekPaging.InvalidToken();
            }

            // Lines are in LineOrder; the page starts after the last line served, even if lines were added since.
            while (start < lines.Count && LineOrder.KeyOf(lines[start]) <= last)
            {
                start++;
            }
        }

        var count = Math.Min(pageSize, lines.Count - start);
        var page = new List<RatedUsageLine>(count);
        for (var i = start; i < start + count; i++)
        {
            page.Add(lines[i]);
        }

        var items = await ToLineItemsAsync(result, page, cancellationToken);
        string? token = null;
        Link? next = null;
        if (start + count < lines.Count)
        {
            var end = page[^1];
            token = SeekPaging.Encode(end.CustomerId.ToString("D"), end.SubscriptionId.ToString("D"), end.EntitlementId.ToString("D"), end.MeterId.ToString("D"),
                end.UsageDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), end.RecordId);
            next = SeekPaging.NextLink(Path, pageSize, token, NextQuery(query, "usagelineitems"));
        }

        return new UnbilledLineItemPage(items.Count, items, new CollectionLinks(next), token, new ResourceAttributes("Collection"));
    }

    /// <summary>Lines in Partner Center's shape, with the names of the partner, customers, plans and Azure subscriptions they are for.</summary>
    public async Task<IReadOnlyList<DailyRatedUsageLineItem>> ToLineItemsAsync(MonthRatingResult result, IReadOnlyList<RatedUsageLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(lines);
        var partnerId = result.PartnerId;
        var partner = await db.Partners.AsNoTracking().Where(p => p.Id == partnerId).Select(p => new { p.Name, p.MpnId }).FirstAsync(cancellationToken);
        var customerIds = lines.Select(l => l.CustomerId).Distinct().ToList();
        var planIds = lines.Select(l => l.SubscriptionId).Distinct().ToList();
        var entitlementIds = lines.Select(l => l.EntitlementId).Distinct().ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id))
            .Select(c => new { c.Id, c.CompanyName, c.Domain, c.Country }).ToDictionaryAsync(c => c.Id, cancellationToken);
        var plans = await db.CommerceSubscriptions.AsNoTracking().Where(s => planIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.OfferName, cancellationToken);
        var entitlements = await db.AzureEntitlements.AsNoTracking().Where(e => entitlementIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.FriendlyName, cancellationToken);
        var publishers = await PublishersAsync(result.Month, lines, cancellationToken);
        var chargeStart = Instant(result.Month.FirstDay);
        var chargeEnd = Instant(result.Month.FirstDay.AddMonths(1).AddDays(-1));
        var items = new List<DailyRatedUsageLineItem>(lines.Count);
        foreach (var line in lines)
        {
            var customer = customers.GetValueOrDefault(line.CustomerId);
            var meter = line.Meter;
            var (group, service) = ResourceParts(line.ResourceUri);
            items.Add(new DailyRatedUsageLineItem
            {
                PartnerId = partnerId.ToString("D"),
                PartnerName = partner.Name,
                CustomerId = line.CustomerId.ToString("D"),
                CustomerName = customer?.CompanyName ?? string.Empty,
                CustomerDomainName = customer?.Domain ?? string.Empty,
                CustomerCountry = customer?.Country ?? string.Empty,
                MpnId = partner.MpnId,
                ResellerMpnId = string.Empty,
                InvoiceNumber = string.Empty,
                ProductId = meter.ProductId,
                SkuId = meter.SkuId,
                AvailabilityId = meter.AvailabilityId,
                SkuName = meter.SkuTitle,
                ProductName = meter.ProductTitle,
                PublisherName = publishers.GetValueOrDefault((meter.ProductId, meter.SkuId)) ?? string.Empty,
                PublisherId = string.Empty,
                SubscriptionDescription = plans.GetValueOrDefault(line.SubscriptionId) ?? string.Empty,
                SubscriptionId = line.SubscriptionId.ToString("D"),
                ChargeStartDate = chargeStart,
                ChargeEndDate = chargeEnd,
                UsageDate = Instant(line.UsageDate),
                MeterType = meter.MeterType,
                MeterCategory = meter.MeterCategory,
                MeterId = line.MeterId.ToString("D"),
                MeterSubCategory = meter.MeterSubCategory,
                MeterName = meter.MeterName,
                MeterRegion = meter.MeterRegion,
                UnitOfMeasure = meter.UnitOfMeasure,
                ResourceLocation = line.Location ?? string.Empty,
                ConsumedService = service,
                ResourceGroup = group,
                ResourceUri = line.ResourceUri,
                ChargeType = "new",
                UnitPrice = line.UnitPrice,
                Quantity = line.Quantity,
                UnitType = meter.UnitOfMeasure,
                BillingPreTaxTotal = line.BillingPreTaxTotal,
                BillingCurrency = line.BillingCurrency,
                PricingPreTaxTotal = line.PricingPreTaxTotal,
                PricingCurrency = line.PricingCurrency,
                ServiceInfo1 = string.Empty,
                ServiceInfo2 = string.Empty,
                Tags = line.Tags ?? string.Empty,
                AdditionalInfo = line.AdditionalInfo ?? string.Empty,
                EffectiveUnitPrice = line.EffectiveUnitPrice,
                PcToBcExchangeRate = line.PcToBcExchangeRate,
                PcToBcExchangeRateDate = Instant(line.PcToBcExchangeRateDate),
                EntitlementId = line.EntitlementId.ToString("D"),
                EntitlementDescription = entitlements.GetValueOrDefault(line.EntitlementId) ?? string.Empty,
                PartnerEarnedCreditPercentage = line.PecPercent,
                CreditPercentage = 0m,
                CreditType = string.Empty,
                BenefitOrderId = string.Empty,
                BenefitId = string.Empty,
                BenefitType = string.Empty,
                RateOfPartnerEarnedCredit = line.PecPercent / 100m,
                HasPartnerEarnedCredit = line.PecPercent > 0,
                RateOfCredit = 0m,
            });
        }

        return items;
    }

    // The price list rows' publisher per product and SKU (the rated meter carries the names the files print; the publisher is looked up).
    private async Task<Dictionary<(string, string), string>> PublishersAsync(BillingMonth month, IReadOnlyList<RatedUsageLine> lines, CancellationToken cancellationToken)
    {
        var products = lines.Select(l => l.Meter.ProductId).Distinct().ToList();
        var number = Months.ToNumber(month);
        var lists = db.PriceLists.AsNoTracking().Where(l => l.Month == number).Select(l => l.Id);
        var rows = await db.PriceRows.AsNoTracking().Where(r => lists.Contains(r.PriceListId) && products.Contains(r.ProductId))
            .Select(r => new { r.ProductId, r.SkuId, r.Publisher }).Distinct().ToListAsync(cancellationToken);
        var publishers = new Dictionary<(string, string), string>();
        foreach (var row in rows.OrderBy(r => r.Publisher, StringComparer.Ordinal))
        {
            publishers.TryAdd((row.ProductId, row.SkuId), row.Publisher);
        }

        return publishers;
    }

    /// <summary>The resource group and the provider namespace (<c>ConsumedService</c>) of an ARM id; empty where it has none.</summary>
    public static (string ResourceGroup, string ConsumedService) ResourceParts(string resourceUri)
    {
        ArgumentNullException.ThrowIfNull(resourceUri);
        var parts = resourceUri.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var group = string.Empty;
        var service = string.Empty;
        for (var i = 0; i + 1 < parts.Length; i++)
        {
            if (group.Length == 0 && parts[i].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase))
            {
                group = parts[i + 1];
            }
            else if (parts[i].Equals("providers", StringComparison.OrdinalIgnoreCase))
            {
                // The last provider names the resource's service (nested resources repeat 'providers').
                service = parts[i + 1];
            }
        }

        return (group, service);
    }

    private static bool TryParseKey(string[] key, out LineKey line)
    {
        line = default;
        if (!Guid.TryParse(key[0], out var customer) || !Guid.TryParse(key[1], out var plan) || !Guid.TryParse(key[2], out var entitlement)
            || !Guid.TryParse(key[3], out var meter) || !DateOnly.TryParseExact(key[4], "yyyy-MM-dd", out var day))
        {
            return false;
        }

        line = new LineKey(customer, plan, entitlement, meter, day, key[5]);
        return true;
    }

    /// <summary>The parameters every next page repeats, for the usage or the billing line items.</summary>
    public static string NextQuery(UnbilledQuery query, string lineItemType)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = new List<string>
        {
            "provider=onetime",
            $"invoicelineitemtype={lineItemType}",
            $"currencycode={Uri.EscapeDataString(query.CurrencyCode!.Trim())}",
            $"period={Uri.EscapeDataString(query.Period!.Trim())}",
        };
        if (!string.IsNullOrWhiteSpace(query.PartnerId))
        {
            parts.Add($"partnerId={Uri.EscapeDataString(query.PartnerId.Trim())}");
        }

        if (!string.IsNullOrWhiteSpace(query.CustomerId))
        {
            parts.Add($"customerId={Uri.EscapeDataString(query.CustomerId.Trim())}");
        }

        return string.Join('&', parts);
    }

    private static DateTimeOffset Instant(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}

/// <summary>A page of unbilled line items: Partner Center's collection with the <c>continuationToken</c> while more remain.</summary>
public sealed record UnbilledLineItemPage(int TotalCount, IReadOnlyList<DailyRatedUsageLineItem> Items, CollectionLinks Links, string? ContinuationToken, ResourceAttributes Attributes);
