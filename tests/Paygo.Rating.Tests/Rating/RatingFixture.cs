using System.Globalization;
using Paygo.Rating.Access;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;
using Paygo.Rating.Rating;

namespace Paygo.Rating.Tests.Rating;

/// <summary>A usage row of a test, as a file would give it.</summary>
internal sealed record Usage(string Plan, string Meter, string Date, string Quantity, string Entitlement, string Resource, string Partner = RatingFixture.Partner, string Reseller = "", string Market = "");

/// <summary>One rated row, copied out of the reused <see cref="RatedRow"/>.</summary>
internal sealed record Rated(Usage Usage, decimal UnitPrice, decimal EffectiveUnitPrice, decimal PricingPreTaxTotal, decimal BillingPreTaxTotal, int PecPercent, PecReason Reason)
{
    public string Line => string.Create(CultureInfo.InvariantCulture, $"{Usage},{UnitPrice},{EffectiveUnitPrice},{PricingPreTaxTotal},{BillingPreTaxTotal},{PecPercent},{Reason}");
}

/// <summary>What a rating run gave: every row, every (plan, meter, day), the totals, or the problems.</summary>
internal sealed record RatingResult(IReadOnlyList<Rated> Rows, IReadOnlyList<DailyCharge> Charges, RatingTotals Totals, IReadOnlyList<(int Row, UsageProblem Problem)> Problems);

internal static class RatingFixture
{
    public const string Partner = "1111111";
    public const string Plan = "aaaaaaaa-0000-4000-8000-000000000001";
    public const string Plan2 = "aaaaaaaa-0000-4000-8000-000000000002";
    public const string Entitlement = "3f2c9a1e-8d4b-4c7a-9e21-5b6d7c8e9f01";
    public const string Entitlement2 = "3f2c9a1e-8d4b-4c7a-9e21-5b6d7c8e9f02";
    public const string Meter = "f3c5b1a2-1111-4e0b-9d3c-aaaaaaaaaaaa";
    public const string TieredMeter = "f3c5b1a2-2222-4e0b-9d3c-aaaaaaaaaaaa";
    public const string ThirdPartyMeter = "f3c5b1a2-3333-4e0b-9d3c-aaaaaaaaaaaa";

    public static readonly DateTime Always = new(2018, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime Never = new(9999, 11, 30, 23, 59, 59, DateTimeKind.Utc);
    public static readonly DateTime Created = new(2026, 1, 5, 8, 30, 0, DateTimeKind.Utc);

    public static string Vm(string entitlement, string name = "vm1") =>
        $"/subscriptions/{entitlement}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/{name}";

    public static PriceListRow Price(string meter, decimal unitPrice, decimal? min = null, decimal? max = null, DateTime? from = null, DateTime? to = null, string tags = "Azure,Consumption", string publisher = "Microsoft", string market = "US") =>
        new("Virtual Machines Dv3 Series", "DZH318Z0BQ4L", "0045", "D2s v3", publisher, string.Empty, UnitOfMeasure.Parse("1 Hour"), "payG-1", market,
            CurrencyCode.Usd, unitPrice, min, max, from ?? Always, to ?? Never, meter, "1 Hour", tags);

    /// <summary>The tiers of reference §4.2: 1–100 at 1, 101–100000 at 0.80, from 100001 at 0.50.</summary>
    public static PriceListRow[] ReferenceTiers(string meter = TieredMeter, bool zeroBased = false) =>
        zeroBased
            ? [Price(meter, 1m, 0, 100), Price(meter, 0.80m, 100, 100000), Price(meter, 0.50m, 100000, PriceListRow.OpenEndedTierMax)]
            : [Price(meter, 1m, 1, 100), Price(meter, 0.80m, 101, 100000), Price(meter, 0.50m, 100001, PriceListRow.OpenEndedTierMax)];

    public static PriceList PriceList(params PriceListRow[] rows)
    {
        var result = Paygo.Rating.Pricing.PriceList.FromRows(rows);
        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        return result.Value;
    }

    /// <summary>The partner's AdminAgents holding Owner on the whole subscription from its creation (AOBO), until <paramref name="end"/>.</summary>
    public static RoleAssignment Aobo(string id, string entitlement, DateTime? end = null, string partner = Partner) =>
        new(id, Principal.AdminAgents($"fp-{partner}", partner), BuiltInRoles.Owner.Id, ArmScope.Parse($"/subscriptions/{entitlement}"), new AccessPeriod(Created, end));

    public static AccessHistory History(params RoleAssignment[] allows) => new(allows);

    public static RatingResult Rate(PriceList prices, AccessHistory access, BillingMonth month, IEnumerable<Usage> usage, decimal rate = 1m)
    {
        var rater = new MonthRater(MonthPrices.For(prices, month), access, rate);
        var rows = usage.ToList();
        var problems = new List<(int, UsageProblem)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var problem = rater.Add(Row(rows[i]));
            if (problem != UsageProblem.None)
            {
                problems.Add((i, problem));
            }
        }

        rater.Seal();
        var rated = new List<Rated>();
        var into = new RatedRow();
        if (problems.Count == 0)
        {
            foreach (var row in rows)
            {
                var problem = rater.Rate(Row(row), into);
                Assert.Equal(UsageProblem.None, problem);
                rated.Add(new Rated(row, into.UnitPrice, into.EffectiveUnitPrice, into.PricingPreTaxTotal, into.BillingPreTaxTotal, into.PecPercent, into.Pec.Reason));
            }
        }

        return new RatingResult(rated, rater.DailyCharges(), rater.Totals, problems);
    }

    private static UsageRow Row(Usage usage) => new()
    {
        PlanId = usage.Plan,
        MeterId = usage.Meter,
        UsageDate = usage.Date,
        Quantity = usage.Quantity,
        Market = usage.Market,
        EntitlementId = usage.Entitlement,
        ResourceUri = usage.Resource,
        PartnerId = usage.Partner,
        ResellerId = usage.Reseller,
    };
}
