using Microsoft.Extensions.DependencyInjection;
using Paygo.Core.Access;
using Paygo.Core.Agreements;
using Paygo.Core.Audit;
using Paygo.Core.AzurePlans;
using Paygo.Core.Catalog;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Core.Orders;
using Paygo.Core.Partners;
using Paygo.Core.Pricing;
using Paygo.Core.Users;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// The role walk, the S2 cross-tenant matrix and the enumeration check again, this time on Core's
/// services directly, without HTTP and its route policies (docs/adr/0020): a CLI command, a job or
/// a page that calls Core gets the same answers. Every <see cref="ApiOperation"/> has its Core calls
/// here (a new operation fails the walk until it is added), and every customer-scoped call answers
/// another partner's customer exactly as one that does not exist.
/// </summary>
public sealed class CoreAuthorizationTests
{
    private delegate Task CoreCall(IServiceProvider services, Caller caller, CancellationToken cancellationToken);

    private static readonly Guid Nobody = new("0f0f0f0f-0000-4000-8000-000000000001");

    /// <summary>Each operation's Core calls, with arguments that change nothing when the call is allowed (unknown ids, invalid bodies).</summary>
    private static readonly Dictionary<ApiOperation, (string Name, CoreCall Call)[]> Calls = new()
    {
        [ApiOperation.PartnersRead] =
        [
            ("PartnerDirectory.ListAsync", (s, c, t) => s.GetRequiredService<PartnerDirectory>().ListAsync(c, null, null, t)),
            ("PartnerDirectory.FindAsync", (s, c, t) => s.GetRequiredService<PartnerDirectory>().FindAsync(c, Nobody, t)),
            ("PartnerDirectory.CountAsync", (s, c, t) => s.GetRequiredService<PartnerDirectory>().CountAsync(c, t)),
            ("PartnerDirectory.NamesAsync", (s, c, t) => s.GetRequiredService<PartnerDirectory>().NamesAsync(c, t)),
            ("VerifiedDomainDirectory.ListAsync", (s, c, t) => s.GetRequiredService<VerifiedDomainDirectory>().ListAsync(c, Nobody, t)),
        ],
        [ApiOperation.PartnersWrite] =
        [
            ("PartnerDirectory.CreateAsync", (s, c, t) => s.GetRequiredService<PartnerDirectory>().CreateAsync(c, new PartnerCreateRequest(null, null, null, null), null, t)),
            ("VerifiedDomainDirectory.ReplaceAsync", (s, c, t) => s.GetRequiredService<VerifiedDomainDirectory>().ReplaceAsync(c, Nobody, new VerifiedDomainsUpdate(null), t)),
        ],
        [ApiOperation.UsersRead] =
        [
            ("UserDirectory.ListAsync", (s, c, t) => s.GetRequiredService<UserDirectory>().ListAsync(c, t)),
            ("UserDirectory.FindAsync", (s, c, t) => s.GetRequiredService<UserDirectory>().FindAsync(c, Nobody, t)),
            ("UserDirectory.ComplianceAsync", (s, c, t) => s.GetRequiredService<UserDirectory>().ComplianceAsync(c, null, t)),
        ],
        [ApiOperation.UsersManage] =
        [
            ("UserDirectory.CreateAsync", (s, c, t) => s.GetRequiredService<UserDirectory>().CreateAsync(c, new UserCreateRequest(null, null, null, null), null, t)),
            ("UserDirectory.SetDisabledAsync", (s, c, t) => s.GetRequiredService<UserDirectory>().SetDisabledAsync(c, Nobody, true, t)),
            ("UserDirectory.ResetSecondFactorAsync", (s, c, t) => s.GetRequiredService<UserDirectory>().ResetSecondFactorAsync(c, Nobody, t)),
        ],
        [ApiOperation.AuditRead] =
        [
            ("AuditQueries.ListAsync", (s, c, t) => s.GetRequiredService<AuditQueries>().ListAsync(c, null, null, null, null, t)),
        ],
        [ApiOperation.CustomersRead] =
        [
            ("CustomerDirectory.ListAsync", (s, c, t) => s.GetRequiredService<CustomerDirectory>().ListAsync(c, null, null, null, t)),
            ("CustomerDirectory.CountAsync", (s, c, t) => s.GetRequiredService<CustomerDirectory>().CountAsync(c, null, t)),
            ("CustomerDirectory.ListForDashboardAsync", (s, c, t) => s.GetRequiredService<CustomerDirectory>().ListForDashboardAsync(c, null, null, null, t)),
            ("CustomerDirectory.FindAsync", (s, c, t) => s.GetRequiredService<CustomerDirectory>().FindAsync(c, Nobody, t)),
            ("CustomerDirectory.PartnerNamesAsync", (s, c, t) => s.GetRequiredService<CustomerDirectory>().PartnerNamesAsync(c, Nobody, t)),
            ("CustomerDirectory.AddingContextAsync", (s, c, t) => s.GetRequiredService<CustomerDirectory>().AddingContextAsync(c, t)),
        ],
        [ApiOperation.CustomersWrite] =
        [
            ("CustomerDirectory.CreateAsync", (s, c, t) => s.GetRequiredService<CustomerDirectory>().CreateAsync(c, new CustomerCreateRequest(), null, t)),
        ],
        [ApiOperation.AgreementsRead] =
        [
            ("AgreementRecords.ListAsync", (s, c, t) => s.GetRequiredService<AgreementRecords>().ListAsync(c, Nobody, null, t)),
        ],
        [ApiOperation.AgreementsWrite] =
        [
            ("AgreementRecords.ConfirmAsync", (s, c, t) => s.GetRequiredService<AgreementRecords>().ConfirmAsync(c, Nobody, new AgreementCreateRequest(), null, t)),
        ],
        [ApiOperation.CatalogRead] =
        [
            ("CatalogQueries.ListProductsAsync", (s, c, t) => s.GetRequiredService<CatalogQueries>().ListProductsAsync(c, "US", null, t)),
            ("CatalogQueries.FindProductAsync", (s, c, t) => s.GetRequiredService<CatalogQueries>().FindProductAsync(c, "none", "US", t)),
            ("CatalogQueries.ListSkusAsync", (s, c, t) => s.GetRequiredService<CatalogQueries>().ListSkusAsync(c, "none", "US", t)),
            ("CatalogQueries.FindSkuAsync", (s, c, t) => s.GetRequiredService<CatalogQueries>().FindSkuAsync(c, "none", "none", "US", t)),
            ("CatalogQueries.ListAvailabilitiesAsync", (s, c, t) => s.GetRequiredService<CatalogQueries>().ListAvailabilitiesAsync(c, "none", "none", "US", t)),
            ("CatalogQueries.FindAvailabilityAsync", (s, c, t) => s.GetRequiredService<CatalogQueries>().FindAvailabilityAsync(c, "none", "none", "none", "US", t)),
            ("CatalogQueries.CustomerCountryAsync", (s, c, t) => s.GetRequiredService<CatalogQueries>().CustomerCountryAsync(c, Nobody, t)),
        ],
        [ApiOperation.CatalogWrite] =
        [
            ("CatalogQueries.UpdateProductAsync", (s, c, t) => s.GetRequiredService<CatalogQueries>().UpdateProductAsync(c, "none", new ProductUpdateRequest(), t)),
            ("CatalogQueries.UpdateSkuAsync", (s, c, t) => s.GetRequiredService<CatalogQueries>().UpdateSkuAsync(c, "none", "none", new SkuUpdateRequest(), t)),
            ("CatalogQueries.UpdateAvailabilityAsync", (s, c, t) => s.GetRequiredService<CatalogQueries>().UpdateAvailabilityAsync(c, "none", "none", "none", new AvailabilityUpdateRequest(null), t)),
        ],
        [ApiOperation.OrdersRead] =
        [
            ("OrderQueries.CanSeeCustomerAsync", (s, c, t) => s.GetRequiredService<OrderQueries>().CanSeeCustomerAsync(c, Nobody, t)),
            ("OrderQueries.ListOrdersAsync", (s, c, t) => s.GetRequiredService<OrderQueries>().ListOrdersAsync(c, Nobody, t)),
            ("OrderQueries.FindOrderAsync", (s, c, t) => s.GetRequiredService<OrderQueries>().FindOrderAsync(c, Nobody, Nobody, t)),
            ("OrderQueries.ProvisioningStatusAsync", (s, c, t) => s.GetRequiredService<OrderQueries>().ProvisioningStatusAsync(c, Nobody, Nobody, t)),
            ("OrderQueries.ListSubscriptionsAsync", (s, c, t) => s.GetRequiredService<OrderQueries>().ListSubscriptionsAsync(c, Nobody, null, t)),
            ("OrderQueries.FindSubscriptionAsync", (s, c, t) => s.GetRequiredService<OrderQueries>().FindSubscriptionAsync(c, Nobody, Nobody, t)),
            ("OrderQueries.ListEntitlementsAsync", (s, c, t) => s.GetRequiredService<OrderQueries>().ListEntitlementsAsync(c, Nobody, Nobody, t)),
            ("OrderQueries.FindEntitlementAsync", (s, c, t) => s.GetRequiredService<OrderQueries>().FindEntitlementAsync(c, Nobody, Nobody, Nobody, t)),
            ("Carts.FindAsync", (s, c, t) => s.GetRequiredService<Carts>().FindAsync(c, Nobody, Nobody, t)),

            // pecview: PEC evidence reads like the Azure subscription it is about.
            ("PecEvidence.ForEntitlementAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.Pec.PecEvidence>().ForEntitlementAsync(c, Nobody, Nobody, Nobody, null, null, t)),
        ],
        [ApiOperation.OrdersWrite] =
        [
            ("Carts.CreateAsync", (s, c, t) => s.GetRequiredService<Carts>().CreateAsync(c, Nobody, new CartRequest(), null, t)),
            ("Carts.ReplaceAsync", (s, c, t) => s.GetRequiredService<Carts>().ReplaceAsync(c, Nobody, Nobody, new CartRequest(), t)),
            ("Checkout.CheckoutAsync", (s, c, t) => s.GetRequiredService<Checkout>().CheckoutAsync(c, Nobody, Nobody, null, t)),
        ],
        [ApiOperation.SubscriptionsWrite] =
        [
            ("SubscriptionUpdates.UpdateAsync", (s, c, t) => s.GetRequiredService<SubscriptionUpdates>().UpdateAsync(c, Nobody, Nobody, new SubscriptionPatchRequest(), null, t)),
        ],
        [ApiOperation.AzureSubscriptionsWrite] =
        [
            ("AzureSubscriptions.AddAsync", (s, c, t) => s.GetRequiredService<AzureSubscriptions>().AddAsync(c, Nobody, Nobody, new AzureSubscriptionCreateRequest(), null, t)),
        ],
        [ApiOperation.AzureSubscriptionsCancel] =
        [
            ("AzureSubscriptions.CancelAsync", (s, c, t) => s.GetRequiredService<AzureSubscriptions>().CancelAsync(c, Nobody, Nobody, Nobody, new AzureSubscriptionCancelRequest(), t)),
            ("AzureSubscriptions.ReactivateAsync", (s, c, t) => s.GetRequiredService<AzureSubscriptions>().ReactivateAsync(c, Nobody, Nobody, Nobody, t)),
        ],
        [ApiOperation.PricesRead] =
        [
            ("PriceListStore.ListAsync", (s, c, t) => s.GetRequiredService<PriceListStore>().ListAsync(c, null, t)),
            ("PriceListStore.FindListAsync", (s, c, t) => s.GetRequiredService<PriceListStore>().FindListAsync(c, Paygo.Core.Markets.Market.Parse("US"), new Paygo.Rating.Pricing.BillingMonth(2026, 11), t)),
            ("PriceListStore.FindPriceAsync", (s, c, t) => s.GetRequiredService<PriceListStore>().FindPriceAsync(c, "none", Paygo.Core.Markets.Market.Parse("US"), new DateOnly(2026, 11, 15), null, t)),
            ("PriceListStore.SearchAsync", (s, c, t) => s.GetRequiredService<PriceListStore>().SearchAsync(c, new PriceSearch(Paygo.Core.Markets.Market.Parse("US"), new Paygo.Rating.Pricing.BillingMonth(2026, 11)), null, null, t)),
            ("PriceListStore.CountAsync", (s, c, t) => s.GetRequiredService<PriceListStore>().CountAsync(c, new PriceSearch(Paygo.Core.Markets.Market.Parse("US"), new Paygo.Rating.Pricing.BillingMonth(2026, 11)), t)),
            ("PriceListStore.DiffAsync", (s, c, t) => s.GetRequiredService<PriceListStore>().DiffAsync(c, Paygo.Core.Markets.Market.Parse("US"), new Paygo.Rating.Pricing.BillingMonth(2026, 10), new Paygo.Rating.Pricing.BillingMonth(2026, 11), t)),
            ("PriceListStore.MeterNamesAsync", (s, c, t) => s.GetRequiredService<PriceListStore>().MeterNamesAsync(c, Paygo.Core.Markets.Market.Parse("US"), ["202611"], ["none"], t)),
            ("PriceListStore.ExportAsync", (s, c, t) => s.GetRequiredService<PriceListStore>().ExportAsync(c, new StoredPriceList { Id = Nobody, Market = "US", Month = 202611, Sha256 = "none" }, Stream.Null, t)),
            ("FxRateBook.RatesAsync", (s, c, t) => s.GetRequiredService<FxRateBook>().RatesAsync(c, new Paygo.Rating.Pricing.BillingMonth(2026, 11), t)),
            ("FxRateBook.MonthsAsync", (s, c, t) => s.GetRequiredService<FxRateBook>().MonthsAsync(c, t)),
            ("FxRateBook.PcToBcAsync", (s, c, t) => s.GetRequiredService<FxRateBook>().PcToBcAsync(c, Paygo.Rating.Money.CurrencyCode.Parse("EUR"), new Paygo.Rating.Pricing.BillingMonth(2026, 11), t)),
        ],
        [ApiOperation.PricesWrite] =
        [
            ("PriceListStore.ImportAsync", (s, c, t) => s.GetRequiredService<PriceListStore>().ImportAsync(c, new MemoryStream(), Paygo.Core.Markets.Market.Parse("US"), new Paygo.Rating.Pricing.BillingMonth(2026, 11), null, null, t)),
            ("FxRateBook.ImportAsync", (s, c, t) => s.GetRequiredService<FxRateBook>().ImportAsync(c, new MemoryStream(), t)),
        ],

        // usage (issue 12 point 1): an empty batch stores nothing.
        [ApiOperation.UsageWrite] =
        [
            ("UsageIngestion.PostAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.Usage.UsageIngestion>().PostAsync(c, [], t)),
        ],
        // access (issue 11 point 2)
        [ApiOperation.AccessRead] =
        [
            ("AccessStore.ListAsync", (s, c, t) => s.GetRequiredService<AccessStore>().ListAsync(c, Nobody, new AccessQuery(), t)),
            ("AccessStore.GetAsync", (s, c, t) => s.GetRequiredService<AccessStore>().GetAsync(c, Nobody, Nobody, t)),
            ("AccessStore.ListRolesAsync", (s, c, t) => s.GetRequiredService<AccessStore>().ListRolesAsync(c, t)),
            ("AccessStore.SubscriptionsAsync", (s, c, t) => s.GetRequiredService<AccessStore>().SubscriptionsAsync(c, t)),
            ("AccessStore.ExportAsync", (s, c, t) => s.GetRequiredService<AccessStore>().ExportAsync(c, Nobody, null, Stream.Null, t)),
        ],
        [ApiOperation.AccessWrite] =
        [
            ("AccessStore.CreateAsync", (s, c, t) => s.GetRequiredService<AccessStore>().CreateAsync(c, Nobody, new AccessAssignmentRequest(), t)),
            ("AccessStore.EndAsync", (s, c, t) => s.GetRequiredService<AccessStore>().EndAsync(c, Nobody, Nobody, new AccessEndRequest(), t)),
            ("AccessStore.CorrectAsync", (s, c, t) => s.GetRequiredService<AccessStore>().CorrectAsync(c, Nobody, Nobody, new AccessAssignmentRequest(), t)),
            ("AccessStore.ImportAsync", (s, c, t) => s.GetRequiredService<AccessStore>().ImportAsync(c, new MemoryStream(), t)),
        ],
        [ApiOperation.AccessRolesWrite] =
        [
            ("AccessStore.CreateCustomRoleAsync", (s, c, t) => s.GetRequiredService<AccessStore>().CreateCustomRoleAsync(c, new CustomRoleRequest(), t)),
            ("AccessStore.MarkEligibilityAsync", (s, c, t) => s.GetRequiredService<AccessStore>().MarkEligibilityAsync(c, Nobody, new PecEligibilityRequest(), t)),
        ],
        // transition (issue 11 point 5)
        [ApiOperation.LegacyAzureImport] =
        [
            ("LegacyImports.ImportAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.Transitions.LegacyImports>().ImportAsync(c, new Paygo.Core.Transitions.LegacyImportRequest(), t)),
        ],
        [ApiOperation.ProductUpgradesRead] =
        [
            ("ProductUpgrades.EligibilityAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.Transitions.ProductUpgrades>().EligibilityAsync(c, new Paygo.Core.Transitions.ProductUpgradeRequest(), t)),
            ("ProductUpgrades.StatusAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.Transitions.ProductUpgrades>().StatusAsync(c, Nobody, new Paygo.Core.Transitions.ProductUpgradeRequest(), t)),
            ("ProductUpgrades.ForCustomerAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.Transitions.ProductUpgrades>().ForCustomerAsync(c, Nobody, t)),
        ],
        [ApiOperation.ProductUpgradesWrite] =
        [
            ("ProductUpgrades.CreateAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.Transitions.ProductUpgrades>().CreateAsync(c, new Paygo.Core.Transitions.ProductUpgradeRequest(), null, t)),
        ],
        // budgets (issue 12 point 4): an unknown customer, an empty body.
        [ApiOperation.BudgetsRead] =
        [
            ("BudgetBook.GetAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.Budgets.BudgetBook>().GetAsync(c, Nobody, t)),
            ("BudgetBook.ViewAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.Budgets.BudgetBook>().ViewAsync(c, Nobody, t)),
        ],
        [ApiOperation.BudgetsWrite] =
        [
            ("BudgetBook.SetAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.Budgets.BudgetBook>().SetAsync(c, Nobody, new Paygo.Core.Budgets.SpendingBudgetRequest(), t)),
        ],
        [ApiOperation.NotificationsRead] =
        [
            ("NotificationQueries.ListAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.Notifications.NotificationQueries>().ListAsync(c, null, null, null, t)),
        ],
        [ApiOperation.UsageRead] =
        [
            ("UnbilledUsage.ScopeAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.RatedUsage.UnbilledUsage>().ScopeAsync(c, null, null, new Paygo.Rating.Pricing.BillingMonth(2026, 11), t)),
            ("UsageSummaries.PartnerAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.RatedUsage.UsageSummaries>().PartnerAsync(c, null, t)),
            ("UsageSummaries.CustomerAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.RatedUsage.UsageSummaries>().CustomerAsync(c, Nobody, t)),
        ],
        [ApiOperation.BillingClose] =
        [
            // A month text that does not parse: the role check comes first, and an allowed caller starts nothing.
            ("MonthClose.StartAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.Billing.MonthClose>().StartAsync(c, "not-a-month", t)),
        ],
        [ApiOperation.InvoicesRead] =
        [
            ("InvoiceQueries.ListAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.Billing.InvoiceQueries>().ListAsync(c, t)),
            ("InvoiceQueries.GetAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.Billing.InvoiceQueries>().GetAsync(c, "G000000000", t)),
            ("InvoiceQueries.SummariesAsync", (s, c, t) => s.GetRequiredService<Paygo.Core.Billing.InvoiceQueries>().SummariesAsync(c, t)),
        ],
    };

    /// <summary>Every demo user, and an app credential holding each scope alone.</summary>
    private static IEnumerable<(string Who, Caller Caller, Func<ApiOperation, bool> Allowed)> Callers() =>
        DemoUsers.All.Select(u => (
                $"{u.Email} ({string.Join(", ", u.Roles)})",
                new Caller(u.PartnerId, u.Id, u.Email, u.Roles),
                (Func<ApiOperation, bool>)(op => PermissionMatrix.AllowsUser(op, u.PartnerId is null, u.Roles))))
            .Concat(AppScopes.All.Select(scope => (
                $"app with {scope}",
                new Caller(null, null, null, []) { IsApp = true, AppScopes = [scope] },
                (Func<ApiOperation, bool>)(op => PermissionMatrix.AllowsApp(op, [scope])))));

    [Fact]
    public void EveryApiOperation_HasItsCoreCallsInTheWalk() =>
        Assert.DoesNotContain(Enum.GetValues<ApiOperation>(), op => !Calls.TryGetValue(op, out var calls) || calls.Length == 0);

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task EveryCoreOperation_ForEveryCaller_FollowsTheRoleMatrix(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var failures = new List<string>();
        foreach (var (who, caller, allowed) in Callers())
        {
            foreach (var (operation, calls) in Calls)
            {
                foreach (var (name, call) in calls)
                {
                    await using var scope = server.Services.CreateAsyncScope();
                    var refused = false;
                    try
                    {
                        await call(scope.ServiceProvider, caller, TestContext.Current.CancellationToken);
                    }
                    catch (OperationForbiddenException forbidden)
                    {
                        refused = forbidden.Operation == operation;
                        if (!refused)
                        {
                            failures.Add($"{who}: {name} demanded {forbidden.Operation}, not {operation}");
                        }
                    }

                    if (refused == allowed(operation))
                    {
                        failures.Add($"{who}: {name} ({operation}) was {(refused ? "refused" : "allowed")}, the matrix says {(allowed(operation) ? "allowed" : "forbidden")}");
                    }
                }
            }
        }

        Assert.Empty(failures);
    }

    /// <summary>Calls of a customer-scoped operation with the customer and one of its children; true when the answer is "not found".</summary>
    private delegate Task<bool> ScopedCall(IServiceProvider services, Caller caller, ForeignCustomer customer, CancellationToken cancellationToken);

    /// <summary>A demo customer with the ids of its own cart, order, Azure plan and Azure subscription (an unknown id where it has none).</summary>
    private sealed record ForeignCustomer(Guid Id, Guid Cart, Guid Order, Guid Plan, Guid Entitlement);

    private static readonly (string Name, ScopedCall Call)[] CustomerScoped =
    [
        ("CustomerDirectory.FindAsync", async (s, c, f, t) => await s.GetRequiredService<CustomerDirectory>().FindAsync(c, f.Id, t) is null),
        ("CustomerDirectory.PartnerNamesAsync", async (s, c, f, t) => await s.GetRequiredService<CustomerDirectory>().PartnerNamesAsync(c, f.Id, t) is null),
        ("AgreementRecords.ListAsync", async (s, c, f, t) => await s.GetRequiredService<AgreementRecords>().ListAsync(c, f.Id, "*", t) is null),
        ("AgreementRecords.ConfirmAsync", async (s, c, f, t) => IsNotFound((await s.GetRequiredService<AgreementRecords>().ConfirmAsync(c, f.Id, new AgreementCreateRequest(), null, t)).Error)),
        ("CatalogQueries.CustomerCountryAsync", async (s, c, f, t) => await s.GetRequiredService<CatalogQueries>().CustomerCountryAsync(c, f.Id, t) is null),
        ("OrderQueries.CanSeeCustomerAsync", async (s, c, f, t) => !await s.GetRequiredService<OrderQueries>().CanSeeCustomerAsync(c, f.Id, t)),
        ("OrderQueries.ListOrdersAsync", async (s, c, f, t) => await s.GetRequiredService<OrderQueries>().ListOrdersAsync(c, f.Id, t) is null),
        ("OrderQueries.FindOrderAsync", async (s, c, f, t) => await s.GetRequiredService<OrderQueries>().FindOrderAsync(c, f.Id, f.Order, t) is null),
        ("OrderQueries.ProvisioningStatusAsync", async (s, c, f, t) => await s.GetRequiredService<OrderQueries>().ProvisioningStatusAsync(c, f.Id, f.Order, t) is null),
        ("OrderQueries.ListSubscriptionsAsync", async (s, c, f, t) => await s.GetRequiredService<OrderQueries>().ListSubscriptionsAsync(c, f.Id, null, t) is null),
        ("OrderQueries.FindSubscriptionAsync", async (s, c, f, t) => await s.GetRequiredService<OrderQueries>().FindSubscriptionAsync(c, f.Id, f.Plan, t) is null),
        ("OrderQueries.ListEntitlementsAsync", async (s, c, f, t) => await s.GetRequiredService<OrderQueries>().ListEntitlementsAsync(c, f.Id, f.Plan, t) is null),
        ("OrderQueries.FindEntitlementAsync", async (s, c, f, t) => await s.GetRequiredService<OrderQueries>().FindEntitlementAsync(c, f.Id, f.Plan, f.Entitlement, t) is null),
        ("Carts.FindAsync", async (s, c, f, t) => await s.GetRequiredService<Carts>().FindAsync(c, f.Id, f.Cart, t) is null),
        ("Carts.CreateAsync", async (s, c, f, t) => IsNotFound((await s.GetRequiredService<Carts>().CreateAsync(c, f.Id, new CartRequest(), null, t)).Error)),
        ("Carts.ReplaceAsync", async (s, c, f, t) => IsNotFound((await s.GetRequiredService<Carts>().ReplaceAsync(c, f.Id, f.Cart, new CartRequest(), t)).Error)),
        ("Checkout.CheckoutAsync", async (s, c, f, t) => IsNotFound((await s.GetRequiredService<Checkout>().CheckoutAsync(c, f.Id, f.Cart, null, t)).Error)),
        ("SubscriptionUpdates.UpdateAsync", async (s, c, f, t) =>
            IsNotFound((await s.GetRequiredService<SubscriptionUpdates>().UpdateAsync(c, f.Id, f.Plan, new SubscriptionPatchRequest(FriendlyName: "taken over"), null, t)).Error)),
        ("SubscriptionUpdates.UpdateAsync (suspend)", async (s, c, f, t) =>
            IsNotFound((await s.GetRequiredService<SubscriptionUpdates>().UpdateAsync(c, f.Id, f.Plan, new SubscriptionPatchRequest(Status: "suspended"), null, t)).Error)),
        ("AzureSubscriptions.AddAsync", async (s, c, f, t) =>
            IsNotFound((await s.GetRequiredService<AzureSubscriptions>().AddAsync(c, f.Id, f.Plan, new AzureSubscriptionCreateRequest("taken over"), null, t)).Error)),
        ("AzureSubscriptions.CancelAsync", async (s, c, f, t) =>
            IsNotFound((await s.GetRequiredService<AzureSubscriptions>().CancelAsync(c, f.Id, f.Plan, f.Entitlement, new AzureSubscriptionCancelRequest("compromise"), t)).Error)),
        ("AzureSubscriptions.ReactivateAsync", async (s, c, f, t) =>
            IsNotFound((await s.GetRequiredService<AzureSubscriptions>().ReactivateAsync(c, f.Id, f.Plan, f.Entitlement, t)).Error)),

        // pecview: a foreign Azure subscription's evidence is not found, even for a month that has not started.
        ("PecEvidence.ForEntitlementAsync", async (s, c, f, t) =>
            IsNotFound((await s.GetRequiredService<Paygo.Core.Pec.PecEvidence>().ForEntitlementAsync(c, f.Id, f.Plan, f.Entitlement, "2099-01", null, t)).Error)),

        // transition (issue 11 point 5)
        ("ProductUpgrades.EligibilityAsync", async (s, c, f, t) =>
            IsNotFound((await s.GetRequiredService<Paygo.Core.Transitions.ProductUpgrades>().EligibilityAsync(c, new(f.Id.ToString(), "azure"), t)).Error)),
        ("ProductUpgrades.CreateAsync", async (s, c, f, t) =>
            IsNotFound((await s.GetRequiredService<Paygo.Core.Transitions.ProductUpgrades>().CreateAsync(c, new(f.Id.ToString(), "azure"), null, t)).Error)),
        ("ProductUpgrades.ForCustomerAsync", async (s, c, f, t) => await s.GetRequiredService<Paygo.Core.Transitions.ProductUpgrades>().ForCustomerAsync(c, f.Id, t) is null),
        // budgets (issue 12 point 4)
        ("BudgetBook.GetAsync", async (s, c, f, t) => IsNotFound((await s.GetRequiredService<Paygo.Core.Budgets.BudgetBook>().GetAsync(c, f.Id, t)).Error)),
        ("BudgetBook.ViewAsync", async (s, c, f, t) => await s.GetRequiredService<Paygo.Core.Budgets.BudgetBook>().ViewAsync(c, f.Id, t) is null),
        ("BudgetBook.SetAsync", async (s, c, f, t) => IsNotFound((await s.GetRequiredService<Paygo.Core.Budgets.BudgetBook>().SetAsync(c, f.Id, new Paygo.Core.Budgets.SpendingBudgetRequest(System.Text.Json.JsonDocument.Parse("1").RootElement), t)).Error)),
    ];

    private static bool IsNotFound(ApiError? error) => error is { Kind: ErrorKind.NotFound };

    private static IEnumerable<ForeignCustomer> DemoCustomers()
    {
        yield return new(DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinCartId, DemoCommerce.TailspinOrderId, DemoCommerce.TailspinPlanId, DemoCommerce.TailspinAzureSubscriptionId);
        yield return new(DemoCommerce.LitwareCustomerId, DemoCommerce.LitwareCartId, DemoCommerce.LitwareOrderId, DemoCommerce.LitwarePlanId, DemoCommerce.LitwareAzureSubscriptionId);
        yield return new(DemoCommerce.WingtipCustomerId, Nobody, Nobody, Nobody, Nobody);
    }

    /// <summary>
    /// PROMISES S2 and the enumeration promise on Core: a partner caller holding every role, on every
    /// customer-scoped operation with another partner's customer (and that customer's own cart, order,
    /// plan and Azure subscription), gets "not found", the answer for an id that does not exist.
    /// </summary>
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task EveryCustomerScopedCoreOperation_OnAnotherPartnersCustomer_AnswersNotFound(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var partners = new[] { DemoInstance.DirectBillPartnerId, DemoInstance.IndirectProviderPartnerId, DemoInstance.IndirectResellerPartnerId };
        var failures = new List<string>();
        var checkedCalls = 0;
        foreach (var partner in partners)
        {
            var caller = new Caller(partner, null, null, Enum.GetValues<PartnerRole>());
            var foreign = DemoCommerce.Customers.Where(c => c.Partner != partner && c.Reseller != partner).Select(c => c.Customer).ToHashSet();
            Assert.NotEmpty(foreign);
            foreach (var customer in DemoCustomers().Where(c => foreign.Contains(c.Id)).Append(new ForeignCustomer(Nobody, Nobody, Nobody, Nobody, Nobody)))
            {
                foreach (var (name, call) in CustomerScoped)
                {
                    await using var scope = server.Services.CreateAsyncScope();
                    checkedCalls++;
                    if (!await call(scope.ServiceProvider, caller, customer, TestContext.Current.CancellationToken))
                    {
                        failures.Add($"partner {partner}: {name} on customer {customer.Id} did not answer not found");
                    }
                }
            }

            // The lists hold only the partner's own customers.
            await using (var scope = server.Services.CreateAsyncScope())
            {
                var directory = scope.ServiceProvider.GetRequiredService<CustomerDirectory>();
                var (page, _) = await directory.ListForDashboardAsync(caller, 200, null, null, TestContext.Current.CancellationToken);
                Assert.NotNull(page);
                Assert.DoesNotContain(page.Rows, r => foreign.Contains(r.Customer.Id));
                Assert.Equal(DemoCommerce.Customers.Count - foreign.Count, page.Total);
            }
        }

        Assert.True(checkedCalls > 0);
        Assert.Empty(failures);

        // The foreign customers' data is untouched: nobody renamed a plan or confirmed an agreement for another partner.
        await using var db = server.CreateDbContext();
        Assert.DoesNotContain(db.CommerceSubscriptions, s => s.FriendlyName == "taken over" || s.Status != "active");
        Assert.DoesNotContain(db.AzureEntitlements, e => e.FriendlyName == "taken over" || e.Status != "active");
    }

    /// <summary>The operator's own unattended work may do what its Global admin may, and like them cannot buy for a partner's customer.</summary>
    [Fact]
    public void OperatorSystem_IsTheOperatorsGlobalAdmin()
    {
        Assert.True(Caller.OperatorSystem.IsOperator);
        Assert.True(Caller.OperatorSystem.Allows(ApiOperation.PricesWrite));
        Assert.True(Caller.OperatorSystem.Allows(ApiOperation.PartnersWrite));
        Assert.False(Caller.OperatorSystem.Allows(ApiOperation.OrdersWrite));
        Assert.False(Caller.OperatorSystem.Allows(ApiOperation.CustomersWrite));
    }
}
