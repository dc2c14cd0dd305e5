using System.Globalization;
using Paygo.Rating.Money;

namespace Paygo.Rating.Pricing;

/// <summary>
/// Makes large, valid, realistic price lists for demo instances, tests and benchmarks: the same
/// seed always gives the same rows, on every machine and .NET version (its own SplitMix64, not
/// <see cref="Random"/>). Meters come with 1 to 3 tiers, 1-based and 0-based, units from
/// Microsoft's real spellings, a few third-party and unicode names, and tags that need quoting.
/// </summary>
public static class PriceListGenerator
{
    // Real UnitOfMeasure spellings (FinOps toolkit PricingUnits.csv), the common ones repeated.
    private static readonly string[] Units =
    [
        "1 Hour", "1 Hour", "1 Hour", "100 Hours", "10 Hours", "1 GB/Month", "1 GB/Month", "1 GB", "1 GB/Hour",
        "1/Month", "1/Day", "10K", "10K Transactions", "1M", "1K", "100 GB/Month", "1 GiB/Month", "1 /Day",
        "10000 Transactions", "1 小时", "1 GB/mes", "1 Million", "1000000 Requests", "1 TB/Month", "1 Count",
    ];

    private static readonly string[] Services =
    [
        "Virtual Machines", "Storage", "Azure Cosmos DB", "SQL Database", "Bandwidth", "Azure Monitor",
        "Log Analytics", "Azure App Service", "Functions", "Event Hubs", "Service Bus", "Azure Kubernetes Service",
        "Azure Synapse Analytics", "Key Vault", "Azure DNS", "Backup", "Azure Files – Premium", "Données Azure",
    ];

    private static readonly string[] Sizes = ["Basic", "Standard", "Premium", "D2s v3", "E4 v5", "LRS", "ZRS", "Hot", "Cool", "Serverless"];

    private static readonly DateTime OpenEnd = new(9999, 11, 30, 23, 59, 59, DateTimeKind.Utc);

    /// <summary>
    /// Exactly <paramref name="rowCount"/> rows for <paramref name="market"/>, effective from the
    /// first day of <paramref name="month"/> or earlier, to Microsoft's open end (11/30/9999).
    /// </summary>
    public static IEnumerable<PriceListRow> Generate(int rowCount, ulong seed = 1, string market = "US", DateOnly? month = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentException.ThrowIfNullOrWhiteSpace(market);
        return GenerateCore(rowCount, seed, market, month ?? new DateOnly(2026, 11, 1));
    }

    private static IEnumerable<PriceListRow> GenerateCore(int rowCount, ulong seed, string market, DateOnly month)
    {
        var random = new SplitMix64(seed);
        var first = new DateTime(month.Year, month.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var produced = 0;
        var meter = 0;
        while (produced < rowCount)
        {
            meter++;
            var service = Services[random.Next(Services.Length)];
            var size = Sizes[random.Next(Sizes.Length)];
            var product = (meter / 7) + 1;
            var productId = string.Create(CultureInfo.InvariantCulture, $"DZH318Z0{product % 10000:D4}");
            var skuId = string.Create(CultureInfo.InvariantCulture, $"{(meter % 7) + 1:D3}{(char)('A' + (product % 26))}");
            var thirdParty = random.Next(20) == 0;
            var unit = UnitOfMeasure.Parse(Units[random.Next(Units.Length)]);
            var start = first.AddMonths(-random.Next(36));
            var meterId = random.NextGuid().ToString();
            var title = $"{service} - {size}";
            var description = random.Next(10) == 0 ? $"{service}, {size}, \"preview\"" : $"{service} {size}";
            var tags = thirdParty ? "Azure,Consumption,ThirdParty" : "Azure,Consumption";
            var publisher = thirdParty ? "Contoso Marketplace Ltd." : "Microsoft";

            var tiers = Math.Min(rowCount - produced, random.Next(10) switch { < 6 => 1, < 9 => 2, _ => 3 });
            var zeroBased = tiers > 1 && random.Next(5) == 0;
            var basePrice = random.NextPrice();
            var min = zeroBased ? 0m : 1m;
            for (var tier = 0; tier < tiers; tier++)
            {
                var last = tier == tiers - 1;
                decimal? tierMin = tiers == 1 ? null : min;
                decimal? tierMax = tiers == 1 ? null : last ? PriceListRow.OpenEndedTierMax : min + (100m * (tier + 1) * (random.Next(9) + 1)) - (zeroBased ? 0m : 1m);
                // Later tiers are cheaper; the first tier of a 0-based meter is often free.
                var price = zeroBased && tier == 0 ? 0m : decimal.Round(basePrice * (1m - (0.2m * tier)), 6, MidpointRounding.ToEven);
                yield return new PriceListRow(
                    title, productId, skuId, $"{size}", publisher, description, unit, "payG-1", market, CurrencyCode.Usd,
                    price, tierMin, tierMax, start, OpenEnd, meterId, unit.Text, tags);
                if (tierMax is { } max && !last)
                {
                    min = zeroBased ? max : max + 1m;
                }
            }

            produced += tiers;
        }
    }
}
