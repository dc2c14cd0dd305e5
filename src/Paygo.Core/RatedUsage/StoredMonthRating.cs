using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Access;
using Paygo.Core.Catalog;
using Paygo.Core.Pricing;
using Paygo.Core.Transitions;
using Paygo.Rating.Access;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;
using Paygo.Rating.Rating;

namespace Paygo.Core.RatedUsage;

/// <summary>
/// <see cref="IMonthRating"/> over what is stored (docs/adr/0033): the month's usage records of
/// the billed partner, the month's price lists of its customers' markets, the partner's billing
/// currency with the month's FX rate, the access history of each Azure subscription, and the
/// legacy transition rule. It feeds <see cref="MonthRater"/> (add every row, seal, rate every row),
/// the one implementation of DOMAIN.md §6, so the API, the files and the close can never disagree.
/// Results are cached per partner and month under a fingerprint of every input
/// (<see cref="RatingInputs"/>): a read after any write rates again, a read after none does not.
/// </summary>
public sealed class StoredMonthRating(PaygoDbContext db, AccessStore access, MonthRatingCache cache, TimeProvider clock) : IMonthRating
{
    public async Task<MonthRatingResult> RateAsync(Guid partnerId, BillingMonth month, Guid? customerId, CancellationToken cancellationToken)
    {
        var fingerprint = await RatingInputs.FingerprintAsync(db, partnerId, month, cancellationToken);
        if (!cache.TryGet(partnerId, month, fingerprint, out var whole))
        {
            whole = await RateMonthAsync(partnerId, month, cancellationToken);
            cache.Set(partnerId, month, fingerprint, whole);
        }

        if (customerId is not { } customer)
        {
            return whole;
        }

        // A plan belongs to one customer, so the customer's lines are rated exactly as in the whole month.
        return whole with
        {
            Lines = [.. whole.Lines.Where(l => l.CustomerId == customer)],
            Unrated = [.. whole.Unrated.Where(u => u.CustomerId == customer)],
        };
    }

    private async Task<MonthRatingResult> RateMonthAsync(Guid partnerId, BillingMonth month, CancellationToken cancellationToken)
    {
        var ratedAt = clock.GetUtcNow();
        var partner = await db.Partners.AsNoTracking().Where(p => p.Id == partnerId)
            .Select(p => new { p.MpnId, p.BillingCurrency }).FirstOrDefaultAsync(cancellationToken);
        if (partner is null)
        {
            return new MonthRatingResult(partnerId, month, string.Empty, [], [], ratedAt);
        }

        var first = month.FirstDay;
        var last = first.AddMonths(1).AddDays(-1);
        var records = await db.UsageRecords.AsNoTracking()
            .Where(r => r.PartnerId == partnerId && r.UsageDate >= first && r.UsageDate <= last)
            .ToListAsync(cancellationToken);
        if (records.Count == 0)
        {
            return new MonthRatingResult(partnerId, month, partner.BillingCurrency, [], [], ratedAt);
        }

        var plan = await PlanFactsAsync(records, cancellationToken);
        var unrated = new List<UnratedUsage>();

        // Usage of a day the Azure subscription spent under a legacy subscription is not the plan's:
        // billed on the legacy invoice, without PEC (docs/adr/0029). It is left out of the lines.
        var planRecords = new List<(Usage.UsageRecord Record, Guid PlanId)>(records.Count);
        foreach (var record in records)
        {
            var membership = plan.OfferOf(record);
            if (membership.Offer == AzureOffer.AzurePlan)
            {
                planRecords.Add((record, membership.SubscriptionId));
            }
        }

        var rate = await ExchangeRateAsync(partner.BillingCurrency, month, cancellationToken);
        if (rate is null)
        {
            var reason = $"no FX rate for {partner.BillingCurrency} in {month.ToFileText()}: import that month's FX file (POST /v1/pricing/fxrates)";
            foreach (var (record, _) in planRecords)
            {
                unrated.Add(Unrated(record, reason));
            }

            return new MonthRatingResult(partnerId, month, partner.BillingCurrency, [], unrated, ratedAt);
        }

        var prices = await PricesAsync(plan.Markets, month, cancellationToken);
        var history = await HistoryAsync(partnerId, planRecords.Select(r => r.Record.EntitlementId).Distinct(), cancellationToken);
        var monthPrices = MonthPrices.For(prices, month);
        var rater = new MonthRater(monthPrices, history, rate.Value);

        // Pass one: every row's quantity into its (plan, meter, day).
        var rows = new List<(Usage.UsageRecord Record, RowText Text)>(planRecords.Count);
        foreach (var (record, planId) in planRecords)
        {
            var text = RowText.Of(record, planId, plan.MarketOf(record.CustomerId), partner.MpnId, plan.ResellerMpnOf(planId));
            var problem = rater.Add(text.Row());
            if (problem == UsageProblem.None)
            {
                rows.Add((record, text));
            }
            else
            {
                unrated.Add(Unrated(record, UsageProblems.Reason(problem, monthPrices)));
            }
        }

        rater.Seal();
        var dayQuantity = new Dictionary<(Guid Plan, Guid Meter, DateOnly Day), decimal>();
        foreach (var charge in rater.DailyCharges())
        {
            // A plan is one customer's and so one market's: (plan, meter, day) names one group.
            dayQuantity[(charge.PlanId, charge.MeterId, charge.Day)] = charge.Quantity;
        }

        // Pass two: each row from its day's blended price, its own PEC decision and the month's rate.
        var lines = new List<RatedUsageLine>(rows.Count);
        var rated = new RatedRow();
        var meters = new Dictionary<(Guid Meter, string Market, DateOnly Day), RatedMeter>();
        foreach (var (record, text) in rows)
        {
            var problem = rater.Rate(text.Row(), rated);
            if (problem != UsageProblem.None)
            {
                unrated.Add(Unrated(record, UsageProblems.Reason(problem, monthPrices)));
                continue;
            }

            var meterId = Guid.Parse(record.MeterId);
            var total = dayQuantity[(text.PlanId, meterId, record.UsageDate)];
            lines.Add(new RatedUsageLine
            {
                PartnerId = record.PartnerId,
                CustomerId = record.CustomerId,
                SubscriptionId = text.PlanId,
                EntitlementId = record.EntitlementId,
                RecordId = record.RecordId,
                AcceptedAt = record.AcceptedAt,
                ResourceUri = record.ResourceUri,
                MeterId = meterId,
                UsageDate = record.UsageDate,
                Quantity = rated.Quantity,
                UnitPrice = rated.UnitPrice,
                EffectiveUnitPrice = rated.EffectiveUnitPrice,
                PricingPreTaxTotal = rated.PricingPreTaxTotal,
                BillingPreTaxTotal = rated.BillingPreTaxTotal,
                // The rater's own form, division last: a row that is its whole day lists at exactly D_d.
                ListCost = rated.Quantity == total ? rated.ListCostOfDay : total == 0m ? 0m : rated.Quantity * rated.ListCostOfDay / total,
                BillingCurrency = partner.BillingCurrency,
                PcToBcExchangeRate = rater.PcToBcExchangeRate,
                PcToBcExchangeRateDate = rater.ExchangeRateDate,
                PecPercent = rated.PecPercent,
                PecEvidence = rated.Access!.Describe(rated.Pec),
                PecEligible = rated.Pec.Reason != PecReason.ExcludedMeter,
                ResellerPartnerId = text.ResellerMpnId,
                Location = record.Location,
                Tags = record.Tags,
                AdditionalInfo = record.AdditionalInfo,
                Meter = MeterOf(meters, prices, meterId, text.Market, record.UsageDate),
            });
        }

        lines.Sort(LineOrder.Lines);
        unrated.Sort(LineOrder.Unrated);
        return new MonthRatingResult(partnerId, month, partner.BillingCurrency, lines, unrated, ratedAt);
    }

    private static UnratedUsage Unrated(Usage.UsageRecord record, string reason) =>
        new(record.PartnerId, record.CustomerId, record.EntitlementId, record.RecordId, record.UsageDate, reason);

    /// <summary>The price list row's names behind a line, one instance per meter, market and day.</summary>
    private static RatedMeter MeterOf(Dictionary<(Guid, string, DateOnly), RatedMeter> meters, PriceList prices, Guid meterId, string market, DateOnly day)
    {
        if (meters.TryGetValue((meterId, market, day), out var known))
        {
            return known;
        }

        // The rater found exactly one price that day; the list is searched by the meter's text as stored.
        var price = FindPrice(prices, meterId, market, day);
        var row = price.Rows[0];
        var meter = new RatedMeter(
            row.ProductId,
            row.SkuId,
            string.Empty,
            row.ProductTitle,
            row.SkuTitle,
            row.SkuTitle,
            row.ProductTitle,
            row.SkuDescription,
            string.Empty,
            price.UnitOfMeasure.Text,
            row.MeterType);
        meters.Add((meterId, market, day), meter);
        return meter;
    }

    private static MeterPrice FindPrice(PriceList prices, Guid meterId, string market, DateOnly day)
    {
        foreach (var candidate in prices.Prices)
        {
            if (Guid.TryParse(candidate.Key.MeterId, out var id) && id == meterId
                && string.Equals(candidate.Key.Market, market, StringComparison.OrdinalIgnoreCase) && candidate.AppliesOn(day))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"The rater priced meter {meterId} in {market} on {day:yyyy-MM-dd}, but the list has no such price.");
    }

    private async Task<decimal?> ExchangeRateAsync(string currency, BillingMonth month, CancellationToken cancellationToken)
    {
        if (string.Equals(currency, CurrencyCode.Usd.Value, StringComparison.Ordinal))
        {
            return 1m;
        }

        var number = Months.ToNumber(month);
        var stored = await db.FxRates.AsNoTracking().Where(r => r.Month == number).ToListAsync(cancellationToken);
        var rates = FxRates.FromRates(stored.Select(r => new FxRate(CurrencyCode.Parse(r.Currency), r.UsdPerUnit, month))).Value
            ?? throw new InvalidOperationException("Stored rates were valid when imported.");
        var lookup = rates.PcToBcExchangeRate(CurrencyCode.Parse(currency), month);
        return lookup.Found ? lookup.PcToBcExchangeRate : null;
    }

    /// <summary>The month's stored lists of the given markets, as one list (prices are keyed by meter and market).</summary>
    private async Task<PriceList> PricesAsync(IReadOnlyCollection<string> markets, BillingMonth month, CancellationToken cancellationToken)
    {
        var number = Months.ToNumber(month);
        var codes = markets.ToList();
        var lists = await db.PriceLists.AsNoTracking().Where(l => l.Month == number && codes.Contains(l.Market)).Select(l => l.Id).ToListAsync(cancellationToken);
        var rows = await db.PriceRows.AsNoTracking().Where(r => lists.Contains(r.PriceListId))
            .OrderBy(r => r.PriceListId).ThenBy(r => r.RowNumber).ToListAsync(cancellationToken);
        return PriceList.FromRows(rows.Select(r => r.ToRow()), cancellationToken).Value
            ?? throw new InvalidOperationException("Rows stored by an import form a valid price list.");
    }

    /// <summary>One history holding every rated Azure subscription's records, as the rater takes one, read in one query.</summary>
    private Task<AccessHistory> HistoryAsync(Guid partnerId, IEnumerable<Guid> entitlements, CancellationToken cancellationToken) =>
        access.HistoriesAsync(partnerId, entitlements.ToHashSet(), cancellationToken);

    private async Task<PlanFacts> PlanFactsAsync(List<Usage.UsageRecord> records, CancellationToken cancellationToken)
    {
        var customerIds = records.Select(r => r.CustomerId).Distinct().ToList();
        var entitlementIds = records.Select(r => r.EntitlementId).Distinct().ToList();
        var countries = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Country, cancellationToken);
        var entitlements = await db.AzureEntitlements.AsNoTracking().Where(e => entitlementIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.SubscriptionId, cancellationToken);
        var transitions = await db.AzureSubscriptionTransitions.AsNoTracking().Where(t => entitlementIds.Contains(t.EntitlementId)).ToDictionaryAsync(t => t.EntitlementId, cancellationToken);
        var subscriptionIds = records.Select(r => r.SubscriptionId).Concat(entitlements.Values).Concat(transitions.Values.Select(t => t.AzurePlanId)).Distinct().ToList();
        var subscriptions = await db.CommerceSubscriptions.AsNoTracking().Where(s => subscriptionIds.Contains(s.Id))
            .Select(s => new { s.Id, s.Kind, s.ResellerPartnerId }).ToListAsync(cancellationToken);
        var resellerIds = subscriptions.Where(s => s.ResellerPartnerId is not null).Select(s => s.ResellerPartnerId!.Value).Distinct().ToList();
        var mpn = await db.Partners.AsNoTracking().Where(p => resellerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.MpnId, cancellationToken);
        return new PlanFacts(
            countries,
            entitlements,
            transitions,
            subscriptions.Where(s => s.Kind == SkuKind.LegacyAzure).Select(s => s.Id).ToHashSet(),
            subscriptions.Where(s => s.ResellerPartnerId is { } r && mpn.ContainsKey(r)).ToDictionary(s => s.Id, s => mpn[s.ResellerPartnerId!.Value]));
    }

    /// <summary>What rating needs to know of the customers, Azure subscriptions and plans behind the records.</summary>
    private sealed class PlanFacts(
        Dictionary<Guid, string> countries,
        Dictionary<Guid, Guid> entitlements,
        Dictionary<Guid, AzureSubscriptionTransition> transitions,
        HashSet<Guid> legacy,
        Dictionary<Guid, string> resellerMpn)
    {
        public IReadOnlyCollection<string> Markets { get; } = [.. countries.Values.Select(c => c.ToUpperInvariant()).Distinct(StringComparer.Ordinal)];

        public string MarketOf(Guid customerId) => countries.TryGetValue(customerId, out var country) ? country.ToUpperInvariant() : string.Empty;

        public string? ResellerMpnOf(Guid planId) => resellerMpn.GetValueOrDefault(planId);

        /// <summary>
        /// The offer the record's day belongs to: the one the Azure subscription was under when the
        /// UTC day began (so a day the transition happened in is still the legacy subscription's).
        /// </summary>
        public OfferMembership OfferOf(Usage.UsageRecord record)
        {
            var current = entitlements.TryGetValue(record.EntitlementId, out var now) ? now : record.SubscriptionId;
            var dayStart = new DateTimeOffset(record.UsageDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return OfferHistory.At(current, legacy.Contains(current), transitions.GetValueOrDefault(record.EntitlementId), dayStart);
        }
    }

    /// <summary>The texts of one record's columns as the rater reads them, made once and read in both passes.</summary>
    private sealed record RowText(Guid PlanId, string Plan, string Meter, string Date, string Quantity, string Market, string Entitlement, string Resource, string PartnerMpnId, string? ResellerMpnId)
    {
        public static RowText Of(Usage.UsageRecord record, Guid planId, string market, string partnerMpnId, string? resellerMpnId) => new(
            planId,
            planId.ToString("D"),
            record.MeterId,
            record.UsageDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            record.Quantity.ToString(CultureInfo.InvariantCulture),
            market,
            record.EntitlementId.ToString("D"),
            record.ResourceUri,
            partnerMpnId,
            resellerMpnId);

        public UsageRow Row() => new()
        {
            PlanId = Plan,
            MeterId = Meter,
            UsageDate = Date,
            Quantity = Quantity,
            Market = Market,
            EntitlementId = Entitlement,
            ResourceUri = Resource,
            PartnerId = PartnerMpnId,
            ResellerId = ResellerMpnId,
        };
    }
}
