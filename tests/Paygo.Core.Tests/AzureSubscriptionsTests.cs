using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Paygo.Core.Access;
using Paygo.Core.Audit;
using Paygo.Core.AzurePlans;
using Paygo.Core.Common;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Core.Orders;
using Paygo.Core.Users;
using Paygo.Testing;

namespace Paygo.Core.Tests;

/// <summary>The Azure subscription lifecycle in Core (docs/adr/0026) on a demo database of each engine, with a clock the test moves.</summary>
public sealed class AzureSubscriptionsTests
{
    private static readonly Caller FabrikamBoth = new(DemoInstance.DirectBillPartnerId, Guid.NewGuid(), "both@fabrikam.example", [PartnerRole.GlobalAdmin, PartnerRole.AdminAgent]);
    private static readonly Caller FabrikamAdminAgent = new(DemoInstance.DirectBillPartnerId, Guid.NewGuid(), "agent@fabrikam.example", [PartnerRole.AdminAgent]);
    private static readonly Caller ContosoAdminAgent = new(DemoInstance.IndirectProviderPartnerId, Guid.NewGuid(), "agent@contoso.example", [PartnerRole.AdminAgent]);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 9, 30, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(TestDatabase Database, PaygoDbContext Db, AzureSubscriptions Azure, SubscriptionUpdates Updates)> StartAsync(string engine)
    {
        var database = await TestDatabase.CreateAsync(engine);
        await using (var seed = database.CreateContext())
        {
            await DemoInstance.SeedAsync(seed, database.AuditKey, Ct);
        }

        var db = database.CreateContext();
        var audit = new AuditTrail(db, _clock, new FixedActor(Actor.System), database.AuditKey);
        var azure = new AzureSubscriptions(db, new IdempotentCreates(db, _clock, database.Storage.Engine.Errors, audit), audit, _clock);
        return (database, db, azure, new SubscriptionUpdates(db, audit, new OrderQueries(db), _clock));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Cancel_RecordsTheInstantAndReason_ReactivateClearsThemAndRecordsItsOwn(string engine)
    {
        var (database, db, azure, _) = await StartAsync(engine);
        await using var _database = database;
        await using var _db = db;
        var cancelledAt = _clock.GetUtcNow();

        var (cancelled, cancelError) = await azure.CancelAsync(FabrikamBoth, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, DemoCommerce.TailspinAzureSubscriptionId,
            new AzureSubscriptionCancelRequest(" Compromise "), Ct);

        Assert.Null(cancelError);
        Assert.Equal("inactive", cancelled!.Status);
        await using (var check = database.CreateContext())
        {
            var stored = await check.AzureEntitlements.SingleAsync(e => e.Id == DemoCommerce.TailspinAzureSubscriptionId, Ct);
            Assert.Equal(cancelledAt, stored.CancelledAt);
            Assert.Equal("compromise", stored.CancellationReason);
            Assert.Null(stored.ReactivatedAt);
        }

        _clock.Advance(TimeSpan.FromDays(3));
        var (reactivated, reactivateError) = await azure.ReactivateAsync(FabrikamBoth, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, DemoCommerce.TailspinAzureSubscriptionId, Ct);

        Assert.Null(reactivateError);
        Assert.Equal("active", reactivated!.Status);
        await using (var check = database.CreateContext())
        {
            var stored = await check.AzureEntitlements.SingleAsync(e => e.Id == DemoCommerce.TailspinAzureSubscriptionId, Ct);
            Assert.Null(stored.CancelledAt);
            Assert.Null(stored.CancellationReason);
            Assert.Equal(_clock.GetUtcNow(), stored.ReactivatedAt);

            // The row keeps the current state; the audit trail keeps both instants.
            var records = await check.AuditRecords.Where(r => r.ResourceType == "azureEntitlement").OrderBy(r => r.Sequence).ToListAsync(Ct);
            Assert.Equal(["cancel_azure_subscription", "reactivate_azure_subscription"], records.Select(r => r.OperationType));
            Assert.Equal(cancelledAt, records[0].OperationDate);
            Assert.Equal(_clock.GetUtcNow(), records[1].OperationDate);
        }
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Reactivate_NinetyDaysAfterTheCancellation_Is900337_TheDayBeforeItWorks(string engine)
    {
        var (database, db, azure, _) = await StartAsync(engine);
        await using var _database = database;
        await using var _db = db;
        await azure.CancelAsync(FabrikamBoth, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, DemoCommerce.TailspinAzureSubscriptionId, new AzureSubscriptionCancelRequest("other"), Ct);

        _clock.Advance(AzureSubscriptions.ReactivationWindow - TimeSpan.FromDays(1));
        var (inTime, inTimeError) = await azure.ReactivateAsync(FabrikamBoth, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, DemoCommerce.TailspinAzureSubscriptionId, Ct);
        Assert.Null(inTimeError);
        Assert.Equal("active", inTime!.Status);

        await azure.CancelAsync(FabrikamBoth, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, DemoCommerce.TailspinAzureSubscriptionId, new AzureSubscriptionCancelRequest("other"), Ct);
        _clock.Advance(AzureSubscriptions.ReactivationWindow);
        var (late, lateError) = await azure.ReactivateAsync(FabrikamBoth, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, DemoCommerce.TailspinAzureSubscriptionId, Ct);

        Assert.Null(late);
        Assert.Equal((ErrorKind.Invalid, ErrorCodes.CannotReactivateAzureSubscription), (lateError!.Kind, lateError.Code));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task CancelOrReactivate_WithOnlyOneOfTheTwoRoles_Is900335_AndChangesNothing(string engine)
    {
        var (database, db, azure, _) = await StartAsync(engine);
        await using var _database = database;
        await using var _db = db;
        var globalAdminOnly = FabrikamBoth with { Roles = [PartnerRole.GlobalAdmin] };

        var byAgent = await azure.CancelAsync(FabrikamAdminAgent, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, DemoCommerce.TailspinAzureSubscriptionId, new AzureSubscriptionCancelRequest("other"), Ct);
        var byAdmin = await azure.CancelAsync(globalAdminOnly, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, DemoCommerce.TailspinAzureSubscriptionId, new AzureSubscriptionCancelRequest("other"), Ct);
        var reactivateByAgent = await azure.ReactivateAsync(FabrikamAdminAgent, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, DemoCommerce.TailspinAzureSubscriptionId, Ct);

        Assert.All([byAgent.Error, byAdmin.Error, reactivateByAgent.Error], e => Assert.Equal((ErrorKind.Forbidden, ErrorCodes.AzureSubscriptionPermissionDenied), (e!.Kind, e.Code)));
        await using var check = database.CreateContext();
        Assert.Equal("active", (await check.AzureEntitlements.SingleAsync(e => e.Id == DemoCommerce.TailspinAzureSubscriptionId, Ct)).Status);
        Assert.False(await check.AuditRecords.AnyAsync(r => r.ResourceType == "azureEntitlement", Ct));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Add_ToAnIndirectProvidersPlan_MakesThatPartnersAdminAgentsOwnerFromNow(string engine)
    {
        var (database, db, azure, _) = await StartAsync(engine);
        await using var _database = database;
        await using var _db = db;

        var (created, error) = await azure.AddAsync(ContosoAdminAgent, DemoCommerce.LitwareCustomerId, DemoCommerce.LitwarePlanId, new AzureSubscriptionCreateRequest("Litware analytics"), null, Ct);

        Assert.Null(error);
        var id = created!.Resource.Id;
        await using var check = database.CreateContext();
        var entitlement = await check.AzureEntitlements.SingleAsync(e => e.Id == id, Ct);
        Assert.Equal(DemoInstance.IndirectProviderPartnerId, entitlement.PartnerId);
        Assert.Equal(DemoCommerce.LitwarePlanId, entitlement.SubscriptionId);
        Assert.Null(entitlement.CancelledAt);
        var owner = await check.RoleAssignments.SingleAsync(a => a.EntitlementId == id, Ct);
        Assert.Equal(AzureRoles.AdminAgentsGroupOf(DemoInstance.IndirectProviderPartnerId), owner.PrincipalId);
        Assert.Equal(_clock.GetUtcNow(), owner.ValidFrom);
        Assert.Equal("Owner", owner.RoleName);
        Assert.True(await check.AuditRecords.AnyAsync(r => r.OperationType == "add_azure_subscription" && r.CustomerId == DemoCommerce.LitwareCustomerId, Ct));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task SuspendingThePlan_WaitsForItsLastActiveAzureSubscription(string engine)
    {
        var (database, db, azure, updates) = await StartAsync(engine);
        await using var _database = database;
        await using var _db = db;
        var (second, _) = await azure.AddAsync(FabrikamAdminAgent, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, new AzureSubscriptionCreateRequest(), null, Ct);
        await azure.CancelAsync(FabrikamBoth, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, DemoCommerce.TailspinAzureSubscriptionId, new AzureSubscriptionCancelRequest("other"), Ct);

        // One of two is still active: 900115, and it names how many.
        var (_, refused) = await updates.UpdateAsync(FabrikamAdminAgent, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, new SubscriptionPatchRequest(Status: "suspended"), null, Ct);
        Assert.Equal((ErrorKind.Forbidden, ErrorCodes.AzurePlanHasActiveAzureSubscriptions), (refused!.Kind, refused.Code));
        Assert.Contains("1 Azure subscription(s)", refused.Description, StringComparison.Ordinal);

        await azure.CancelAsync(FabrikamBoth, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, second!.Resource.Id, new AzureSubscriptionCancelRequest("other"), Ct);
        var (suspended, error) = await updates.UpdateAsync(FabrikamAdminAgent, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, new SubscriptionPatchRequest(Status: "Suspended"), null, Ct);

        Assert.Null(error);
        Assert.Equal("suspended", suspended!.Status);
        await using var check = database.CreateContext();
        Assert.Equal("suspended", (await check.CommerceSubscriptions.SingleAsync(s => s.Id == DemoCommerce.TailspinPlanId, Ct)).Status);
    }
}
