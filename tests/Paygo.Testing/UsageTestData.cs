using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Core.Pricing;

namespace Paygo.Testing;

/// <summary>Prices, records and credentials for usage ingestion tests (DOMAIN.md §7).</summary>
public static class UsageTestData
{
    /// <summary>A meter that has a price every day of the months <see cref="SeedPricesAsync"/> covers.</summary>
    public const string Meter = "1b2c3d4e-0000-4c55-9d8e-0c1f2a3b4c5d";

    /// <summary>A meter that is in no price list.</summary>
    public const string UnpricedMeter = "00000000-0000-4000-8000-00000000dead";

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>
    /// A price list for each of <paramref name="markets"/> of every month from 100 days ago to today (the
    /// window usage may be dated in), each pricing <see cref="Meter"/> all month, stored as an import stores it.
    /// </summary>
    public static async Task SeedPricesAsync(TestDatabase database, params string[] markets)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.CreateContext();
        foreach (var market in markets)
        {
            for (var month = new DateOnly(Today.AddDays(-100).Year, Today.AddDays(-100).Month, 1); month <= Today; month = month.AddMonths(1))
            {
                var list = new StoredPriceList
                {
                    Id = Guid.NewGuid(),
                    Market = market,
                    Month = (month.Year * 100) + month.Month,
                    RowCount = 1,
                    Sha256 = new string('0', 64),
                    ImportedAt = DateTimeOffset.UnixEpoch,
                };
                db.PriceLists.Add(list);
                db.PriceRows.Add(new StoredPriceRow
                {
                    PriceListId = list.Id,
                    RowNumber = 2,
                    ProductTitle = "Virtual Machines",
                    ProductId = "DZH318Z0BQ5S",
                    SkuId = "0006",
                    SkuTitle = "D2s v3",
                    Publisher = "Microsoft",
                    SkuDescription = "D2s v3, Linux",
                    UnitOfMeasure = "100 Hours",
                    TermDuration = "payG-1",
                    Market = market,
                    Currency = "USD",
                    UnitPrice = 0.045m,
                    EffectiveStart = month.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
                    EffectiveEnd = month.AddMonths(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddSeconds(-1),

                    // Upper case as some files write it: the check must not care.
                    MeterId = Meter.ToUpperInvariant(),
                    MeterType = "100 Hours",
                    Tags = "Azure,Consumption",
                });
            }
        }

        await db.SaveChangesAsync();
    }

    /// <summary>The demo customers' markets: Tailspin (GB) and Litware (DE).</summary>
    public static Task SeedDemoPricesAsync(TestDatabase database) => SeedPricesAsync(database, "GB", "DE");

    public static string ResourceOf(Guid entitlement, string name = "vm-01") =>
        $"/subscriptions/{entitlement}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/{name}";

    /// <summary>A record as JSON (camelCase), valid unless a field is overridden.</summary>
    public static Dictionary<string, object?> Record(string id, Guid? entitlement = null, DateOnly? day = null, object? quantity = null, string? meter = null, string? resource = null)
    {
        var e = entitlement ?? DemoCommerce.TailspinAzureSubscriptionId;
        return new Dictionary<string, object?>
        {
            ["id"] = id,
            ["entitlementId"] = e.ToString(),
            ["resourceUri"] = resource ?? ResourceOf(e),
            ["meterId"] = meter ?? Meter,
            ["usageDate"] = (day ?? Today).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["quantity"] = quantity ?? 1.5m,
        };
    }

    /// <summary>An app-only token of the demo usage feed (the operator's metering source, scope usage.write).</summary>
    public static async Task<string> UsageFeedTokenAsync(HttpClient anonymous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anonymous);
        using var response = await anonymous.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = DemoUsers.AppClientId,
            ["client_secret"] = DemoUsers.AppClientSecret,
            ["scope"] = AppScopes.UsageWrite,
        }), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The usage feed's token was refused: {text}");
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>A client of <paramref name="server"/> signed in as the demo usage feed.</summary>
    public static async Task<HttpClient> UsageFeedClientAsync(PaygoServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        var client = server.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await UsageFeedTokenAsync(client, cancellationToken));
        return client;
    }
}
