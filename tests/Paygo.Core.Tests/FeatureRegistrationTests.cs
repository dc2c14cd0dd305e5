using Paygo.Core.Access;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paygo.Core.Agreements;
using Paygo.Core.Audit;
using Paygo.Core.Billing;
using Paygo.Core.Budgets;
using Paygo.Core.Catalog;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Notifications;
using Paygo.Core.Orders;
using Paygo.Core.Partners;
using Paygo.Core.Pec;
using Paygo.Core.Pricing;
using Paygo.Core.RatedUsage;
using Paygo.Core.Users;
using Paygo.Testing;

namespace Paygo.Core.Tests;

/// <summary>
/// Each feature maps its own entities and registers its own services in its folder
/// (docs/adr/0021), so a new feature edits no shared file and any host (the server, the CLI,
/// a future worker) can take the features it needs.
/// </summary>
public sealed class FeatureRegistrationTests
{
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task EveryEntity_IsMappedByAConfigurationInItsOwnFeatureFolder(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, migrate: false);
        await using var db = database.CreateContext();
        var core = typeof(PaygoDbContext).Assembly;
        var configured = core.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false })
            .SelectMany(t => t.GetInterfaces()
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEntityTypeConfiguration<>))
                .Select(i => (Entity: i.GetGenericArguments()[0], Configuration: t)))
            .ToLookup(c => c.Entity, c => c.Configuration);

        var coreEntities = db.Model.GetEntityTypes().Select(e => e.ClrType).Where(t => t.Assembly == core).ToList();

        Assert.NotEmpty(coreEntities);
        Assert.All(coreEntities, entity =>
        {
            var configuration = Assert.Single(configured[entity]);
            Assert.Equal(entity.Namespace, configuration.Namespace);
        });
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Model_IsTheOneTheEnginesMigrationsBuild(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, migrate: false);
        await using var db = database.CreateContext();

        // Moving a mapping between files must not change the model: no migration is pending.
        Assert.False(db.Database.HasPendingModelChanges());
    }

    /// <summary>The storage, the clock, idempotent creates and the audit trail every write goes through; nothing of one feature.</summary>
    [Fact]
    public async Task Core_RegistersOnlyWhatEveryFeatureShares()
    {
        await using var database = await TestDatabase.CreateAsync(Engines.Sqlite, migrate: false);
        var services = new ServiceCollection().AddPaygoCore(database.Storage);

        var featureServices = services
            .Select(d => d.ServiceType)
            .Where(t => t.Assembly == typeof(PaygoDbContext).Assembly && t.Namespace is not ("Paygo.Core" or "Paygo.Core.Common" or "Paygo.Core.Storage" or "Paygo.Core.Audit"))
            .ToList();

        Assert.Empty(featureServices);
    }

    public static TheoryData<string> Features => new("AuditTrail", "SignIn", "Partners", "Users", "Catalog", "Customers", "Agreements", "Orders", "Pricing", "Access", "Pec", "RatedUsage", "Notifications", "Budgets", "Billing");

    [Theory, MemberData(nameof(Features))]
    public async Task EachFeature_RegistersItsServicesAndWhatTheyNeed(string feature)
    {
        await using var database = await TestDatabase.CreateAsync(Engines.Sqlite, migrate: false);
        var services = new ServiceCollection().AddPaygoCore(database.Storage);
        // What the host brings: who is acting and the key ring secrets are protected with.
        services.AddSingleton<IActorAccessor>(new FixedActor(new Actor("test", null, null)));
        services.AddSingleton<ISecretProtector>(new DataProtectionSecretProtector(new EphemeralDataProtectionProvider()));
        services.AddLogging();

        Type[] expected = feature switch
        {
            "AuditTrail" => Register(services.AddAuditTrail, typeof(AuditTrail), typeof(AuditQueries), typeof(AuditAnchorKey)),
            "SignIn" => Register(services.AddSignIn, typeof(SignInService), typeof(SecurityRequirements), typeof(Enrolment), typeof(PasskeyCeremonies), typeof(PasskeyRegistration), typeof(SignInOptions)),
            "Partners" => Register(services.AddPartners, typeof(PartnerDirectory), typeof(VerifiedDomainDirectory)),
            "Users" => Register(services.AddUsers, typeof(UserDirectory)),
            "Catalog" => Register(services.AddCatalog, typeof(CatalogQueries)),
            "Customers" => Register(services.AddCustomers, typeof(CustomerDirectory)),
            "Agreements" => Register(services.AddAgreements, typeof(AgreementRecords)),
            "Orders" => Register(services.AddOrders, typeof(Carts), typeof(Checkout), typeof(OrderQueries), typeof(SubscriptionUpdates)),
            "Pricing" => Register(services.AddPricing, typeof(PriceListStore), typeof(FxRateBook)),
            "Access" => Register(services.AddAccess, typeof(Paygo.Core.Access.AccessStore), typeof(Paygo.Core.Access.IAccessHistorySource)),
            "Pec" => Register(services.AddPec, typeof(Paygo.Core.Pec.PecEvidence), typeof(Paygo.Core.Access.IAccessHistorySource)),
            "RatedUsage" => Register(services.AddRatedUsage, typeof(IMonthRating), typeof(UnbilledUsage), typeof(UsageSummaries)),
            "Notifications" => Register(services.AddNotifications, typeof(Notifier), typeof(NotificationQueries), typeof(INotificationSender)),
            "Budgets" => Register(services.AddBudgets, typeof(BudgetBook), typeof(BudgetAlerts), typeof(ICustomerSpendSource)),
            "Billing" => Register(() => services.AddBilling(), typeof(MonthClose), typeof(InvoiceQueries)),
            _ => throw new ArgumentOutOfRangeException(nameof(feature)),
        };

        // The provider checks every registration's constructor can be satisfied: a feature alone
        // brings the features it depends on.
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await using var scope = provider.CreateAsyncScope();
        Assert.All(expected, type => Assert.NotNull(scope.ServiceProvider.GetService(type)));
    }

    private static Type[] Register(Func<IServiceCollection> add, params Type[] expected)
    {
        add();
        return expected;
    }
}
