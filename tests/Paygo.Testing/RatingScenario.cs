using Microsoft.EntityFrameworkCore;
using Paygo.Core.Access;
using Paygo.Core.AzurePlans;
using Paygo.Core.Catalog;
using Paygo.Core.Customers;
using Paygo.Core.Pricing;
using Paygo.Core.Transitions;
using Paygo.Core.Usage;
using Paygo.Rating.Pricing;

namespace Paygo.Testing;

/// <summary>
/// One billed partner's month to rate, written straight to the store: a partner in a billing
/// currency, one customer in a market, an Azure plan with one Azure subscription under AOBO Owner
/// since before the month, the month's price list (a tiered, a flat and a ThirdParty meter) and
/// FX rate, and usage records added by the test. Used by the rated usage tests and by the features
/// that read rated usage (budgets, the close).
/// </summary>
public sealed class RatingScenario
{
    /// <summary>0-based graduated tiers: units 0–100 at 1.00 USD, beyond at 0.50.</summary>
    public const string TieredMeter = "7d2f8a10-0001-4c55-9d8e-0c1f2a3b4c01";

    /// <summary>0.868 USD a unit, reference §3.5's PEC example.</summary>
    public const string FlatMeter = "7d2f8a10-0002-4c55-9d8e-0c1f2a3b4c02";

    /// <summary>2.00 USD a unit, tagged ThirdParty: PEC never applies.</summary>
    public const string ThirdPartyMeter = "7d2f8a10-0003-4c55-9d8e-0c1f2a3b4c03";

    /// <summary>The rated month: a closed past month, so no rule of "today" applies.</summary>
    public static readonly BillingMonth DefaultMonth = new(2026, 11);

    private readonly TestDatabase _database;
    private int _nextId;

    private RatingScenario(TestDatabase database, BillingMonth month, string partnerName)
    {
        _database = database;
        Month = month;
        PartnerName = partnerName;
    }

    public BillingMonth Month { get; }

    public Guid PartnerId { get; } = Guid.NewGuid();

    public string PartnerName { get; }

    public string MpnId { get; private set; } = string.Empty;

    public Guid CustomerId { get; } = Guid.NewGuid();

    public Guid PlanId { get; } = Guid.NewGuid();

    public Guid EntitlementId { get; } = Guid.NewGuid();

    /// <summary>The AOBO Owner record of <see cref="EntitlementId"/>.</summary>
    public Guid AoboAssignmentId { get; private set; }

    public string Resource => $"/subscriptions/{EntitlementId}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-01";

    public DateOnly Day(int dayOfMonth) => new(Month.Year, Month.Month, dayOfMonth);

    /// <summary>
    /// Seeds the partner, customer, plan, Azure subscription and access; the month's price list of
    /// <paramref name="market"/> unless <paramref name="withPrices"/> is false; the FX rate of
    /// <paramref name="currency"/> (<paramref name="usdPerUnit"/> USD a unit) unless it is USD or null.
    /// </summary>
    public static async Task<RatingScenario> CreateAsync(
        TestDatabase database, string currency = "USD", string market = "US", decimal? usdPerUnit = null, BillingMonth? month = null, bool withPrices = true, string partnerName = "Rating Partner")
    {
        ArgumentNullException.ThrowIfNull(database);
        var scenario = new RatingScenario(database, month ?? DefaultMonth, partnerName);
        await scenario.SeedAsync(currency, market, usdPerUnit, withPrices);
        return scenario;
    }

    private async Task SeedAsync(string currency, string market, decimal? usdPerUnit, bool withPrices)
    {
        await using var db = _database.CreateContext();
        var at = new DateTimeOffset(Month.FirstDay.AddMonths(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        MpnId = (1_000_000 + Random.Shared.Next(8_999_999)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var partner = TestData.Partner(MpnId, PartnerName);
        partner.Id = PartnerId;
        partner.BillingCurrency = currency;
        db.Partners.Add(partner);
        db.Customers.Add(new Customer
        {
            Id = CustomerId,
            PartnerId = PartnerId,
            CommerceId = CustomerId,
            BillingProfileId = CustomerId,
            Domain = $"c{CustomerId:N}.onmicrosoft.com",
            CompanyName = "Rated Customer Ltd",
            Email = "ada@rated.example",
            Culture = "en-US",
            Language = "en",
            FirstName = "Ada",
            LastName = "Lovelace",
            AddressLine1 = "1 Main Street",
            City = "Springfield",
            PostalCode = "12345",
            Country = market,
            CreatedAt = at,
        });
        db.CommerceSubscriptions.Add(Plan(PlanId, SkuKind.AzurePlan, at));
        db.AzureEntitlements.Add(new AzureEntitlement { Id = EntitlementId, PartnerId = PartnerId, CustomerId = CustomerId, SubscriptionId = PlanId, FriendlyName = "Azure subscription 1", CreatedAt = at });
        var owner = RoleAssignment.AoboOwner(PartnerId, PartnerName, CustomerId, EntitlementId, at);
        AoboAssignmentId = owner.Id;
        db.RoleAssignments.Add(owner);
        if (withPrices)
        {
            AddPriceList(db, market);
        }

        if (usdPerUnit is { } rate)
        {
            db.FxRates.Add(new StoredFxRate { Month = Months.ToNumber(Month), Currency = currency, UsdPerUnit = rate, ImportedAt = at });
        }

        await db.SaveChangesAsync();
    }

    private CommerceSubscription Plan(Guid id, SkuKind kind, DateTimeOffset at) => new()
    {
        Id = id,
        PartnerId = PartnerId,
        CustomerId = CustomerId,
        OrderId = Guid.NewGuid(),
        Kind = kind,
        OfferId = kind == SkuKind.AzurePlan ? CatalogSeed.AzurePlanCatalogItemId : CatalogSeed.LegacyAzureCatalogItemId,
        ProductId = kind == SkuKind.AzurePlan ? CatalogSeed.AzurePlanProductId : CatalogSeed.LegacyAzureProductId,
        SkuId = kind == SkuKind.AzurePlan ? CatalogSeed.AzurePlanSkuId : CatalogSeed.LegacyAzureSkuId,
        OfferName = kind == SkuKind.AzurePlan ? "Microsoft Azure plan" : "Microsoft Azure",
        FriendlyName = kind == SkuKind.AzurePlan ? "Microsoft Azure plan" : "Microsoft Azure",
        Quantity = 1,
        BillingCycle = "one_time",
        CreatedAt = at,
        CommitmentEndDate = SubscriptionResource.NoCommitmentEnd,
        AzurePlanKey = kind == SkuKind.AzurePlan ? CommerceSubscription.PlanKey(CustomerId, null) : null,
    };

    private void AddPriceList(Core.PaygoDbContext db, string market)
    {
        var list = new StoredPriceList { Id = Guid.NewGuid(), Market = market, Month = Months.ToNumber(Month), RowCount = 4, Sha256 = new string('0', 64), ImportedAt = DateTimeOffset.UnixEpoch };
        db.PriceLists.Add(list);
        var start = Month.FirstDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = Month.FirstDay.AddMonths(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddSeconds(-1);
        var row = 2;
        StoredPriceRow Row(string product, string sku, string title, string meter, decimal price, decimal? min, decimal? max, string tags) => new()
        {
            PriceListId = list.Id,
            RowNumber = row++,
            ProductTitle = product,
            ProductId = "DZH318Z0" + sku + "AA",
            SkuId = sku,
            SkuTitle = title,
            Publisher = tags.Contains("ThirdParty", StringComparison.Ordinal) ? "Contoso Software" : "Microsoft",
            SkuDescription = title + " description",
            UnitOfMeasure = "1 Hour",
            TermDuration = "payG-1",
            Market = market,
            Currency = "USD",
            UnitPrice = price,
            TierMin = min,
            TierMax = max,
            EffectiveStart = start,
            EffectiveEnd = end,
            MeterId = meter,
            MeterType = "1 Compute Hour",
            Tags = tags,
        };
        db.PriceRows.AddRange(
            Row("Storage Tiered", "0001", "Tiered LRS", TieredMeter, 1.00m, 0m, 100m, "Azure,Consumption"),
            Row("Storage Tiered", "0001", "Tiered LRS", TieredMeter, 0.50m, 100m, Rating.Pricing.PriceListRow.OpenEndedTierMax, "Azure,Consumption"),
            Row("Virtual Machines", "0002", "D2 v3", FlatMeter, 0.868m, null, null, "Azure,Consumption"),
            Row("Contoso Appliance", "0003", "Appliance", ThirdPartyMeter, 2.00m, null, null, "ThirdParty"));
    }

    /// <summary>Stores usage records as ingestion would (accepted at <paramref name="acceptedAt"/>, or the month's first instant); returns their ids.</summary>
    public async Task<IReadOnlyList<string>> AddUsageAsync(IEnumerable<(string Meter, int Day, decimal Quantity)> records, DateTimeOffset? acceptedAt = null, Guid? subscriptionId = null, string? resource = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        await using var db = _database.CreateContext();
        var ids = new List<string>();
        foreach (var (meter, day, quantity) in records)
        {
            var id = $"r-{Interlocked.Increment(ref _nextId):D5}";
            ids.Add(id);
            db.UsageRecords.Add(Record(id, meter, Day(day), quantity, acceptedAt, subscriptionId, resource));
        }

        await db.SaveChangesAsync();
        return ids;
    }

    /// <summary>A usage record of this scenario's Azure subscription, not yet stored.</summary>
    public UsageRecord Record(string id, string meter, DateOnly day, decimal quantity, DateTimeOffset? acceptedAt = null, Guid? subscriptionId = null, string? resource = null)
    {
        var uri = resource ?? Resource;
        return new UsageRecord
        {
            PartnerId = PartnerId,
            RecordId = id,
            CustomerId = CustomerId,
            SubscriptionId = subscriptionId ?? PlanId,
            EntitlementId = EntitlementId,
            ResourceUri = uri,
            MeterId = meter,
            UsageDate = day,
            Quantity = quantity,
            ContentHash = UsageRecord.HashOf(id, EntitlementId, uri, meter, day, quantity, null, null, null),
            AcceptedAt = acceptedAt ?? new DateTimeOffset(Month.FirstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        };
    }

    /// <summary>Ends the AOBO Owner assignment at <paramref name="at"/>, as ending it through the access store does.</summary>
    public async Task EndAccessAsync(DateTimeOffset at)
    {
        await using var db = _database.CreateContext();
        var owner = await db.RoleAssignments.SingleAsync(r => r.Id == AoboAssignmentId);
        owner.ValidTo = at;
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Makes the Azure subscription a former legacy one: it was under a legacy Microsoft Azure
    /// subscription until <paramref name="transitionedAt"/>, under the plan since. Returns the legacy subscription's id.
    /// </summary>
    public async Task<Guid> TransitionFromLegacyAsync(DateTimeOffset transitionedAt)
    {
        await using var db = _database.CreateContext();
        var legacyId = Guid.NewGuid();
        var at = new DateTimeOffset(Month.FirstDay.AddMonths(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        db.CommerceSubscriptions.Add(Plan(legacyId, SkuKind.LegacyAzure, at));
        var upgrade = new ProductUpgrade { Id = Guid.NewGuid(), PartnerId = PartnerId, CustomerId = CustomerId, ProductFamily = "azure", Status = ProductUpgradeStatus.Completed, CreatedAt = transitionedAt, CompletedAt = transitionedAt };
        db.ProductUpgrades.Add(upgrade);
        db.AzureSubscriptionTransitions.Add(new AzureSubscriptionTransition
        {
            EntitlementId = EntitlementId,
            UpgradeId = upgrade.Id,
            PartnerId = PartnerId,
            CustomerId = CustomerId,
            LegacySubscriptionId = legacyId,
            AzurePlanId = PlanId,
            TransitionedAt = transitionedAt,
        });
        await db.SaveChangesAsync();
        return legacyId;
    }
}
