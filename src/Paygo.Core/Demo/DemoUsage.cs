using System.Globalization;
using Paygo.Core.Usage;
using Paygo.Rating.Pricing;

namespace Paygo.Core.Demo;

/// <summary>A demo Azure subscription with usage: whose it is, where it runs, and whether its AOBO Owner ends mid-month.</summary>
public sealed record DemoAzureSubscription(Guid Id, Guid CustomerId, Guid PlanId, Guid PartnerId, string Region, string ResourceGroup, string Prefix, bool LosesAobo);

/// <summary>One resource's use of one meter, every day of the demo month.</summary>
public sealed record DemoUsagePattern(DemoAzureSubscription Subscription, int MeterIndex, string ResourceUri, decimal MonthlyVolume, decimal DutyCycle);

/// <summary>
/// The demo month's usage (docs/adr/0035): for each demo Azure subscription a dozen meters of its
/// region on a handful of resources, two records a day (the day's two halves) over the whole
/// previous month and the current month up to yesterday. Volumes are sized from each tiered
/// meter's tier bounds so the month crosses them. The same seed and day give the same records.
/// </summary>
public static class DemoUsage
{
    /// <summary>The demo customers' Azure subscriptions that carry usage; Tailspin's second one loses AOBO mid-month.</summary>
    public static IReadOnlyList<DemoAzureSubscription> Subscriptions { get; } =
    [
        new(DemoCommerce.TailspinAzureSubscriptionId, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, DemoInstance.DirectBillPartnerId,
            "uksouth", "rg-shop-prod", "shop", LosesAobo: false),
        new(DemoMonth.TailspinAnalyticsAzureSubscriptionId, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, DemoInstance.DirectBillPartnerId,
            "uksouth", "rg-analytics", "insights", LosesAobo: true),
        new(DemoCommerce.LitwareAzureSubscriptionId, DemoCommerce.LitwareCustomerId, DemoCommerce.LitwarePlanId, DemoInstance.IndirectProviderPartnerId,
            "germanywestcentral", "rg-fertigung", "werk", LosesAobo: false),
    ];

    /// <summary>
    /// Which meters each subscription uses: two VM sizes, tiered meters of both kinds, stored data,
    /// a few others, and (where the region has them) a Spot VM and a ThirdParty product, which earn
    /// no PEC. Also names the meters whose price must change so that the usage sees each change.
    /// </summary>
    public static (IReadOnlyList<DemoUsagePattern> Streams, DemoPricePins Pins) Plan(DemoPrices prices, ulong seed = DemoPrices.Seed)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var random = new SplitMix64(seed ^ 0x5EEDUL);
        var streams = new List<DemoUsagePattern>();
        var midMonth = -1;
        var atCurrent = new List<int>();
        var atNext = new List<int>();
        var taken = new HashSet<int>();
        foreach (var subscription in Subscriptions)
        {
            var local = prices.Meters.Select((m, i) => (Meter: m, Index: i))
                .Where(x => x.Meter.Region.Id == subscription.Region && x.Meter.TermDuration == "payG-1" && !taken.Contains(x.Index)).ToList();
            var picks = new List<int>();
            void Take(IEnumerable<(DemoMeter Meter, int Index)> candidates, int count)
            {
                foreach (var (_, index) in candidates.Where(c => !picks.Contains(c.Index)).Take(count))
                {
                    picks.Add(index);
                }
            }

            var standard = local.Where(x => x.Meter.Kind == DemoMeterKind.Standard).ToList();
            Take(standard.Where(x => x.Meter.MeterType == "1 Compute Hour"), 2);
            Take(standard.Where(x => x.Meter.IsZeroBased), 2);
            Take(standard.Where(x => x.Meter.IsTiered && !x.Meter.IsZeroBased), 2);
            Take(standard.Where(x => x.Meter.IsPerMonthStorage && !x.Meter.IsTiered), 1);
            Take(standard.Where(x => !x.Meter.IsTiered).OrderBy(_ => random.NextUInt64()), 4);
            Take(local.Where(x => x.Meter.Kind == DemoMeterKind.Spot), 1);
            Take(local.Where(x => x.Meter.Kind == DemoMeterKind.ThirdParty), 1);
            taken.UnionWith(picks);

            // The first VM of the first subscription changes price mid-month; one meter of each subscription changes
            // when the current month starts, another when the next one does.
            if (midMonth < 0)
            {
                midMonth = picks[0];
            }

            atCurrent.Add(picks[1]);
            atNext.Add(picks[^1]);
            var resources = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var index in picks)
            {
                var meter = prices.Meters[index];

                // The meters of one service in a subscription are one resource (a storage account's data and operations);
                // VM sizes are separate machines.
                var key = meter.MeterType == "1 Compute Hour" ? meter.MeterId : meter.Service.ResourceType;
                if (!resources.TryGetValue(key, out var uri))
                {
                    uri = ResourceUri(subscription, meter.Service.ResourceType, resources.Count + 1);
                    resources[key] = uri;
                }

                streams.Add(new DemoUsagePattern(subscription, index, uri, MonthlyVolume(meter, ref random), 0.55m + (random.Next(46) / 100m)));
            }
        }

        return (streams, new DemoPricePins(midMonth, atCurrent, atNext));
    }

    /// <summary>The records from the first day of the previous month to yesterday, in a fixed order.</summary>
    public static IReadOnlyList<UsageInput> Records(DemoPrices prices, IReadOnlyList<DemoUsagePattern> streams, DateOnly today, ulong seed = DemoPrices.Seed)
    {
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(streams);
        var random = new SplitMix64(seed ^ 0xDA7AUL);
        var records = new List<UsageInput>();
        for (var day = prices.Previous.FirstDay; day < today; day = day.AddDays(1))
        {
            var daysInMonth = DateTime.DaysInMonth(day.Year, day.Month);
            foreach (var stream in streams)
            {
                var meter = prices.Meters[stream.MeterIndex];
                for (var half = 0; half < 2; half++)
                {
                    var quantity = Quantity(meter, stream, daysInMonth, ref random);
                    var id = string.Create(CultureInfo.InvariantCulture, $"demo-{stream.Subscription.Prefix}-{meter.MeterId[..8]}-{day:yyyyMMdd}-{half + 1}");
                    records.Add(new UsageInput(records.Count, id, stream.Subscription.Id.ToString("D"), stream.ResourceUri, meter.MeterId,
                        day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), quantity.ToString(CultureInfo.InvariantCulture),
                        meter.Region.Id, Tags(stream.Subscription), AdditionalInfo(meter)));
                }
            }
        }

        return records;
    }

    // A month's volume: for a tiered meter a multiple of its first bound, so the month crosses it (and, one
    // time in three, the second bound too); otherwise a plausible amount of its unit.
    private static decimal MonthlyVolume(DemoMeter meter, ref SplitMix64 random)
    {
        if (meter.IsTiered)
        {
            var first = meter.Tiers[0].Max;
            var factor = meter.Tiers.Count > 2 && random.Next(3) == 0 ? 12m : 1.5m + (random.Next(20) / 10m);
            return first * factor;
        }

        return meter.UnitOfMeasure switch
        {
            "1 GB/Month" => 200 + random.Next(4800),
            "1/Month" => 1 + random.Next(6),
            "1/Day" => (1 + random.Next(4)) * 30,
            "1 TB" => 2 + random.Next(20),
            _ => 50 + random.Next(3000),
        };
    }

    // Half a day's quantity: hours of a machine that runs part of the time, or the month's volume spread over its days with some wobble.
    private static decimal Quantity(DemoMeter meter, DemoUsagePattern stream, int daysInMonth, ref SplitMix64 random)
    {
        if (meter.IsHourly)
        {
            var hours = stream.DutyCycle >= 0.95m ? 12m : decimal.Round(12m * stream.DutyCycle * (0.8m + (random.Next(41) / 100m)), 2, MidpointRounding.ToEven);
            return Math.Min(12m, hours);
        }

        var wobble = meter.IsPerMonthStorage || meter.UnitOfMeasure == "1/Month" ? 1m : 0.75m + (random.Next(51) / 100m);
        return decimal.Round(stream.MonthlyVolume / daysInMonth / 2m * wobble, 6, MidpointRounding.ToEven);
    }

    private static string Tags(DemoAzureSubscription subscription) =>
        $"{{\"env\":\"{(subscription.LosesAobo ? "analytics" : "prod")}\",\"costCenter\":\"{subscription.Prefix.ToUpperInvariant()}-{subscription.Id.ToString("N")[^4..]}\"}}";

    private static string? AdditionalInfo(DemoMeter meter) =>
        meter.MeterType == "1 Compute Hour"
            ? $"{{\"ServiceType\":\"Standard_{meter.SkuTitle.Split(" - ", 2)[0].Replace(' ', '_').Replace("_Spot", string.Empty, StringComparison.Ordinal)}\",\"UsageType\":\"ComputeHR\"}}"
            : null;

    // /subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}, from the service's ARM resource type.
    private static string ResourceUri(DemoAzureSubscription subscription, string resourceType, int number)
    {
        var parts = resourceType.Split('/');
        var provider = string.Join('.', parts[0].Split('.').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
        var type = string.Join('/', parts[1..]);
        var name = string.Create(CultureInfo.InvariantCulture, $"{subscription.Prefix}-{parts[^1][..Math.Min(parts[^1].Length, 8)]}-{number:D2}");
        return $"/subscriptions/{subscription.Id:D}/resourceGroups/{subscription.ResourceGroup}/providers/{provider}/{type}/{name}";
    }
}
