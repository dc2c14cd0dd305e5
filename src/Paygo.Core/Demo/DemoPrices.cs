using System.Globalization;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;

namespace Paygo.Core.Demo;

/// <summary>Why a demo meter earns no PEC (reference §3.4), or <see cref="Standard"/> when it may.</summary>
public enum DemoMeterKind
{
    Standard,
    ThirdParty,
    Spot,
    Reservation,
    SavingsPlan,
}

/// <summary>One price of a meter from a day on: the USD price of each tier (one for a meter without tiers).</summary>
public sealed record DemoPricePeriod(DateOnly From, IReadOnlyList<decimal> TierPrices);

/// <summary>
/// One meter of the demo price lists: a service of Microsoft's list in one region, with its unit,
/// tiers and the prices it had over the three demo months.
/// </summary>
public sealed record DemoMeter(
    string MeterId,
    ReferenceService Service,
    ReferenceRegion Region,
    string ProductTitle,
    string ProductId,
    string SkuId,
    string SkuTitle,
    string Publisher,
    string UnitOfMeasure,
    string MeterType,
    string Tags,
    string TermDuration,
    DemoMeterKind Kind,
    IReadOnlyList<(decimal Min, decimal Max)> Tiers,
    IReadOnlyList<DemoPricePeriod> Periods)
{
    public bool IsTiered => Tiers.Count > 0;

    /// <summary>A tiered meter whose first tier starts at 0 (DOMAIN.md §6: 0-based ranges).</summary>
    public bool IsZeroBased => Tiers.Count > 0 && Tiers[0].Min == 0m;

    /// <summary>Usage of this meter is counted in hours (a VM, an instance), so a day holds at most 24.</summary>
    public bool IsHourly => UnitOfMeasure is "1 Hour" or "1/Hour" or "100/Hour";

    /// <summary>Priced per GB (or GiB) per month, so a day's usage is the stored amount ÷ the days of the month.</summary>
    public bool IsPerMonthStorage => UnitOfMeasure.EndsWith("/Month", StringComparison.Ordinal) && UnitOfMeasure.Contains("GB", StringComparison.Ordinal);
}

/// <summary>
/// The demo instance's price lists (docs/adr/0035): a few hundred meters made from Microsoft's
/// reference lists (services, regions, units; Demo/Reference) and a seed, so the same seed always
/// gives the same meters and prices. About a tenth are tiered (half 0-based, half 1-based), a few
/// are ThirdParty, Spot, reservation or savings-plan meters (excluded from PEC), and a few change
/// price between months; one changes in the middle of the previous month. Only the dates follow
/// the clock: the lists are for the previous, current and next month of the day they are made.
/// </summary>
public sealed class DemoPrices
{
    /// <summary>The regions the demo customers run in first (Tailspin in the UK, Litware in Germany), then one of the others.</summary>
    public static readonly IReadOnlyList<string> HomeRegions = ["uksouth", "germanywestcentral"];

    private static readonly string[] OtherRegions = ["westeurope", "northeurope", "ukwest", "eastus", "francecentral", "swedencentral"];

    private static readonly DateTime OpenEnd = new(9999, 11, 30, 23, 59, 59, DateTimeKind.Utc);

    // What a service of each category sells: SKU title, unit (an MCA spelling of PricingUnits.csv),
    // meter type, and whether it is a volume that Microsoft prices in tiers.
    private static readonly Dictionary<string, (string Sku, string Unit, string MeterType, bool Tierable)[]> Skus = new(StringComparer.Ordinal)
    {
        ["Compute"] = [("D2s v5", "1 Hour", "1 Compute Hour", false), ("D4s v5", "1 Hour", "1 Compute Hour", false), ("E4s v5", "1 Hour", "1 Compute Hour", false),
            ("B2ms", "1 Hour", "1 Compute Hour", false), ("F4s v2", "1 Hour", "1 Compute Hour", false), ("P10 Managed Disk", "1/Month", "1 Disk/Month", false)],
        ["Storage"] = [("Hot LRS Data Stored", "1 GB/Month", "1 GB/Month", true), ("Cool LRS Data Stored", "1 GB/Month", "1 GB/Month", false),
            ("Hot LRS Write Operations", "10K", "10K Operations", true), ("ZRS Data Stored", "1 GB/Month", "1 GB/Month", false)],
        ["Networking"] = [("Standard Data Transfer Out", "1 GB", "1 GB", true), ("Standard Static Public IP", "1 Hour", "1 IP Hour", false),
            ("Standard Data Processed", "1 GB", "1 GB", true), ("Standard Rule", "1/Hour", "1 Rule/Hour", false)],
        ["Databases"] = [("vCore", "1 Hour", "1 vCore Hour", false), ("Data Stored", "1 GB/Month", "1 GB/Month", true),
            ("Backup Storage", "1 GB/Month", "1 GB/Month", false), ("100 RU/s", "100/Hour", "100 RU/s Hour", false)],
        ["AI and Machine Learning"] = [("Text Records", "1K", "1K Text Records", true), ("Input Tokens", "1M", "1M Tokens", false),
            ("Transactions", "10K", "10K Transactions", true), ("Images", "1K", "1K Images", false)],
        ["Analytics"] = [("Data Ingestion", "1 GB", "1 GB", true), ("vCore", "1 Hour", "1 vCore Hour", false), ("Data Processed", "1 TB", "1 TB", false)],
        ["Web"] = [("P1v3", "1 Hour", "1 Instance Hour", false), ("S1", "1 Hour", "1 Instance Hour", false), ("B1", "1 Hour", "1 Instance Hour", false),
            ("Requests", "1M", "1M Requests", true)],
        ["Integration"] = [("Base Unit", "1 Hour", "1 Unit Hour", false), ("Operations", "10K", "10K Operations", true),
            ("Messages", "1M", "1M Messages", true), ("Standard Unit", "1/Day", "1 Unit/Day", false)],
        ["Management and Governance"] = [("Data Ingestion", "1 GB", "1 GB", true), ("Data Retention", "1 GB/Month", "1 GB/Month", false),
            ("Alert Rules", "1/Month", "1 Rule/Month", false), ("Nodes", "1/Month", "1 Node/Month", false)],
        ["Security"] = [("Operations", "10K", "10K Operations", true), ("Standard Node", "1/Hour", "1 Node/Hour", false),
            ("Certificate Renewals", "1/Month", "1 Renewal/Month", false)],
        ["Internet of Things"] = [("Messages", "1M", "1M Messages", true), ("Standard Unit", "1/Month", "1 Unit/Month", false)],
    };

    private static readonly (string Sku, string Unit, string MeterType, bool Tierable)[] OtherSkus =
        [("Standard", "1/Month", "1/Month", false), ("Basic", "1 Hour", "1 Hour", false), ("Premium", "1 GB", "1 GB", true)];

    private DemoPrices(BillingMonth previous, IReadOnlyList<DemoMeter> meters)
    {
        Previous = previous;
        Meters = meters;
    }

    /// <summary>The seed of the demo instance: fixed, so every demo shows the same meters and prices.</summary>
    public const ulong Seed = 20261201;

    public BillingMonth Previous { get; }

    public BillingMonth Current => BillingMonth.Of(Previous.FirstDay.AddMonths(1));

    public BillingMonth Next => BillingMonth.Of(Previous.FirstDay.AddMonths(2));

    /// <summary>The three months that have lists, oldest first.</summary>
    public IReadOnlyList<BillingMonth> Months => [Previous, Current, Next];

    /// <summary>The day of the previous month on which one meter changes price (the mid-month change).</summary>
    public DateOnly MidMonthChange => Previous.FirstDay.AddDays(14);

    public IReadOnlyList<DemoMeter> Meters { get; }

    /// <summary>
    /// The catalog for the months around <paramref name="today"/>. <paramref name="pins"/> are meters
    /// (by index in the catalog's order, which the seed fixes) that must change price: the usage names
    /// them, so the demo's month shows each kind of change on a meter that is used.
    /// </summary>
    public static DemoPrices Create(DateOnly today, ulong seed = Seed, DemoPricePins? pins = null)
    {
        var previous = BillingMonth.Of(new DateOnly(today.Year, today.Month, 1).AddMonths(-1));
        var random = new SplitMix64(seed);
        var drafts = Drafts(ref random);
        var current = previous.FirstDay.AddMonths(1);
        var next = previous.FirstDay.AddMonths(2);
        var midMonth = previous.FirstDay.AddDays(14);
        var meters = new List<DemoMeter>(drafts.Count);
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];

            // About one meter in twenty changes price when the current month starts, as many when
            // the next one does; the pinned ones always do, one of them mid-month.
            var roll = random.Next(20);
            DateOnly? change = pins is not null && pins.MidMonth == i ? midMonth
                : pins is not null && pins.AtCurrent.Contains(i) ? current
                : pins is not null && pins.AtNext.Contains(i) ? next
                : roll == 0 ? current
                : roll == 1 ? next
                : null;
            var factor = random.Next(2) == 0 ? 1.05m : 0.94m;
            var since = previous.FirstDay.AddMonths(-(1 + random.Next(30)));
            List<DemoPricePeriod> periods = [new(since, draft.Prices)];
            if (change is { } day)
            {
                periods.Add(new DemoPricePeriod(day, [.. draft.Prices.Select(p => decimal.Round(p * factor, 6, MidpointRounding.ToEven))]));
            }

            meters.Add(draft.Meter with { Periods = periods });
        }

        return new DemoPrices(previous, meters);
    }

    /// <summary>The list of a market for a month: each meter's periods that overlap the month, one row per tier.</summary>
    public IReadOnlyList<PriceListRow> RowsFor(string market, BillingMonth month)
    {
        var first = month.FirstDay;
        var last = first.AddMonths(1).AddDays(-1);
        var rows = new List<PriceListRow>();
        foreach (var meter in Meters)
        {
            for (var p = 0; p < meter.Periods.Count; p++)
            {
                var period = meter.Periods[p];
                DateOnly? until = p + 1 < meter.Periods.Count ? meter.Periods[p + 1].From.AddDays(-1) : null;
                if (period.From > last || until < first)
                {
                    continue;
                }

                var start = period.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
                var end = until is { } u ? u.ToDateTime(new TimeOnly(23, 59, 59), DateTimeKind.Utc) : OpenEnd;
                var unit = Paygo.Rating.Pricing.UnitOfMeasure.Parse(meter.UnitOfMeasure);
                var description = $"{meter.ProductTitle} {meter.SkuTitle}";
                if (!meter.IsTiered)
                {
                    rows.Add(Row(meter, market, unit, description, period.TierPrices[0], null, null, start, end));
                    continue;
                }

                for (var t = 0; t < meter.Tiers.Count; t++)
                {
                    rows.Add(Row(meter, market, unit, description, period.TierPrices[t], meter.Tiers[t].Min, meter.Tiers[t].Max, start, end));
                }
            }
        }

        return rows;
    }

    private static PriceListRow Row(DemoMeter meter, string market, UnitOfMeasure unit, string description, decimal price, decimal? min, decimal? max, DateTime start, DateTime end) =>
        new(meter.ProductTitle, meter.ProductId, meter.SkuId, meter.SkuTitle, meter.Publisher, description, unit, meter.TermDuration, market, CurrencyCode.Usd,
            price, min, max, start, end, meter.MeterId, meter.MeterType, meter.Tags);

    private sealed record Draft(DemoMeter Meter, IReadOnlyList<decimal> Prices);

    private static List<Draft> Drafts(ref SplitMix64 random)
    {
        // Microsoft's own services (not the marketplace), one resource type each, in a fixed order.
        var services = DemoReference.Services
            .Where(s => s.ConsumedService.StartsWith("microsoft.", StringComparison.Ordinal) && s.PublisherType == "Cloud Provider"
                && s.ResourceType.Contains('/', StringComparison.Ordinal) && s.Category is not ("Other" or "Multicloud"))
            .DistinctBy(s => s.Name)
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var drafts = new List<Draft>();
        var product = 0;

        // Every category in the table first, so each kind of usage has meters; then others, up to about 36 services.
        var chosen = services.Where(s => Skus.ContainsKey(s.Category)).GroupBy(s => s.Category).SelectMany(g => g.Take(3))
            .Concat(services.Where(s => !Skus.ContainsKey(s.Category)).Take(6))
            .ToList();
        foreach (var service in chosen)
        {
            product++;
            var templates = Skus.GetValueOrDefault(service.Category, OtherSkus);
            var count = Math.Min(templates.Length, 2 + random.Next(2));
            var offset = random.Next(templates.Length);
            var productId = string.Create(CultureInfo.InvariantCulture, $"DZH318Z0{ToBase36(product * 37, 4)}");
            var productTitle = $"{service.Name} {service.Subcategory}";
            for (var k = 0; k < count; k++)
            {
                var (sku, unit, meterType, tierable) = templates[(offset + k) % templates.Length];
                DemoReference.McaUnit(unit);
                var tiered = tierable && random.Next(3) == 0;
                var zeroBased = tiered && random.Next(2) == 0;
                var tiers = tiered ? Tiers(ref random, zeroBased) : [];
                var basePrice = BasePrice(ref random, unit);
                IReadOnlyList<decimal> prices = tiered ? [.. tiers.Select((_, t) => TierPrice(basePrice, t, zeroBased))] : [basePrice];
                var regions = HomeRegions.Append(OtherRegions[random.Next(OtherRegions.Length)]);
                var skuNumber = 0;
                foreach (var regionId in regions)
                {
                    var region = DemoReference.Region(regionId);
                    skuNumber++;
                    drafts.Add(new Draft(new DemoMeter(
                        random.NextGuid().ToString("D"), service, region, productTitle, productId,
                        string.Create(CultureInfo.InvariantCulture, $"{(k * 8) + skuNumber:D3}{(char)('A' + (product % 26))}"),
                        $"{sku} - {region.Name}", "Microsoft", unit, meterType, "Azure,Consumption", "payG-1", DemoMeterKind.Standard, tiers, []), prices));
                }

                // A VM size also sells as Spot (excluded from PEC), and the first two as a reservation.
                if (meterType == "1 Compute Hour" && k < 2 && service.Subcategory == "Virtual Machines")
                {
                    var region = DemoReference.Region(HomeRegions[k % HomeRegions.Count]);
                    drafts.Add(new Draft(new DemoMeter(random.NextGuid().ToString("D"), service, region, productTitle, productId,
                        string.Create(CultureInfo.InvariantCulture, $"{(k * 8) + 5:D3}S"), $"{sku} Spot - {region.Name}", "Microsoft", unit, meterType,
                        "Azure,Consumption", "payG-1", DemoMeterKind.Spot, [], []), [decimal.Round(basePrice * 0.2m, 6)]));
                    drafts.Add(new Draft(new DemoMeter(random.NextGuid().ToString("D"), service, region, $"Reserved VM Instances {sku}", productId,
                        string.Create(CultureInfo.InvariantCulture, $"{(k * 8) + 6:D3}R"), $"{sku} - {region.Name}", "Microsoft", unit, "1 Reserved Hour",
                        "Azure,Reservation", "P1Y", DemoMeterKind.Reservation, [], []), [decimal.Round(basePrice * 0.62m, 6)]));
                }
            }
        }

        // The compute savings plan (excluded from PEC), one meter per home region.
        var compute = chosen.First(s => s.Category == "Compute");
        foreach (var regionId in HomeRegions)
        {
            var region = DemoReference.Region(regionId);
            drafts.Add(new Draft(new DemoMeter(random.NextGuid().ToString("D"), compute, region, "Compute Savings Plan", "DZH318Z0SAVP",
                regionId == HomeRegions[0] ? "0001" : "0002", $"Savings Plan - {region.Name}", "Microsoft", "1 Hour", "1 Hour",
                "Azure,SavingsPlan", "P1Y", DemoMeterKind.SavingsPlan, [], []), [0.035m]));
        }

        // Marketplace products Microsoft resells, tagged ThirdParty, by their own publishers.
        var marketplace = DemoReference.Services.Where(s => s.PublisherType == "Marketplace" && s.Publisher != "Microsoft")
            .DistinctBy(s => s.Name).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        foreach (var service in marketplace)
        {
            product++;
            var productId = string.Create(CultureInfo.InvariantCulture, $"DZH318Z0{ToBase36(product * 37, 4)}");
            foreach (var (sku, unit, meterType) in (ReadOnlySpan<(string, string, string)>)[("Per User", "1/Month", "1 User/Month"), ("Instance", "1 Hour", "1 Instance Hour")])
            {
                DemoReference.McaUnit(unit);
                foreach (var regionId in HomeRegions)
                {
                    var region = DemoReference.Region(regionId);
                    drafts.Add(new Draft(new DemoMeter(random.NextGuid().ToString("D"), service, region, service.Name, productId,
                        string.Create(CultureInfo.InvariantCulture, $"{drafts.Count % 1000:D3}M"), $"{sku} - {region.Name}", service.Publisher, unit, meterType,
                        "Azure,Consumption,ThirdParty", "payG-1", DemoMeterKind.ThirdParty, [], []), [BasePrice(ref random, unit)]));
                }
            }
        }

        return drafts;
    }

    // Two or three tiers at round volumes: 1-based [1, b], [b+1, 10b], … or 0-based [0, b], [b, 10b], …
    private static List<(decimal Min, decimal Max)> Tiers(ref SplitMix64 random, bool zeroBased)
    {
        var size = (ReadOnlySpan<decimal>)[100m, 500m, 1000m, 5000m];
        var b = size[random.Next(size.Length)];
        var count = 2 + random.Next(2);
        var tiers = new List<(decimal, decimal)>(count);
        var min = zeroBased ? 0m : 1m;
        for (var t = 0; t < count; t++)
        {
            var last = t == count - 1;
            var max = last ? PriceListRow.OpenEndedTierMax : (t == 0 ? b : b * 10m);
            tiers.Add((min, max));
            min = zeroBased ? max : max + 1m;
        }

        return tiers;
    }

    // Later tiers are cheaper; a 0-based meter's first tier is free, as Microsoft's bandwidth is.
    private static decimal TierPrice(decimal basePrice, int tier, bool zeroBased) =>
        zeroBased && tier == 0 ? 0m : decimal.Round(basePrice * (1m - (0.2m * tier)), 6, MidpointRounding.ToEven);

    // Plausible USD prices by unit: cents per GB, a few cents to a dollar an hour, dollars a month.
    private static decimal BasePrice(ref SplitMix64 random, string unit)
    {
        var (low, high) = unit switch
        {
            "1 Hour" or "1/Hour" or "100/Hour" => (0.008m, 0.9m),
            "1 GB/Month" => (0.01m, 0.2m),
            "1 GB" => (0.02m, 2.5m),
            "1 TB" => (4m, 6m),
            "1/Month" => (1m, 40m),
            "1/Day" => (0.5m, 3m),
            _ => (0.01m, 1.5m),
        };
        var share = random.Next(1_000_000) / 1_000_000m;
        return decimal.Round(low + ((high - low) * share), 6, MidpointRounding.ToEven);
    }

    private static string ToBase36(int value, int width)
    {
        const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var chars = new char[width];
        for (var i = width - 1; i >= 0; i--)
        {
            chars[i] = Digits[value % 36];
            value /= 36;
        }

        return new string(chars);
    }
}

/// <summary>Meters (by catalog index) whose price must change: mid-month in the previous month, when the current or the next month starts.</summary>
public sealed record DemoPricePins(int MidMonth, IReadOnlyList<int> AtCurrent, IReadOnlyList<int> AtNext);
