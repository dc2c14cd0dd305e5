using System.Text.Json;
using Paygo.Core.Access;
using Paygo.Core.Agreements;
using Paygo.Core.AzurePlans;
using Paygo.Core.Catalog;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Orders;

namespace Paygo.Core.Demo;

/// <summary>
/// The demo instance's customers: for each billing partner one customer with an MCA on record and
/// an Azure plan (its first Azure subscription and the AOBO Owner assignment, as a checkout makes
/// them), and for the direct-bill partner one customer with no MCA yet, to try the MCA flow.
/// </summary>
public static class DemoCommerce
{
    public static readonly Guid TailspinCustomerId = new("7a3c0e55-1d2b-4c8e-9f10-000000000201");
    public static readonly Guid WingtipCustomerId = new("7a3c0e55-1d2b-4c8e-9f10-000000000202");
    public static readonly Guid LitwareCustomerId = new("7a3c0e55-1d2b-4c8e-9f10-000000000203");

    public static readonly Guid TailspinPlanId = new("5b9d4f21-6a7e-4b3c-8d20-000000000301");
    public static readonly Guid LitwarePlanId = new("5b9d4f21-6a7e-4b3c-8d20-000000000302");
    public static readonly Guid TailspinAzureSubscriptionId = new("c1e8a7d2-3f4b-4a59-b6c0-000000000401");
    public static readonly Guid LitwareAzureSubscriptionId = new("c1e8a7d2-3f4b-4a59-b6c0-000000000402");
    public static readonly Guid TailspinOrderId = new("e2f1b3c4-5d6e-4f70-8a91-000000000501");
    public static readonly Guid LitwareOrderId = new("e2f1b3c4-5d6e-4f70-8a91-000000000502");
    public static readonly Guid TailspinCartId = new("f3a2c4d5-6e7f-4081-9ba2-000000000601");
    public static readonly Guid LitwareCartId = new("f3a2c4d5-6e7f-4081-9ba2-000000000602");

    /// <summary>Every demo customer with the partner that bills it and its reseller of record.</summary>
    public static IReadOnlyList<(Guid Customer, Guid Partner, Guid? Reseller)> Customers { get; } =
    [
        (TailspinCustomerId, DemoInstance.DirectBillPartnerId, null),
        (WingtipCustomerId, DemoInstance.DirectBillPartnerId, null),
        (LitwareCustomerId, DemoInstance.IndirectProviderPartnerId, DemoInstance.IndirectResellerPartnerId),
    ];

    internal static void Seed(PaygoDbContext db, DateTimeOffset at)
    {
        db.Customers.AddRange(
            NewCustomer(TailspinCustomerId, DemoInstance.DirectBillPartnerId, null, "Tailspin Toys UK Ltd", "tailspintoysuk.onmicrosoft.com",
                "GB", "London", "1 Canada Square", "E14 5AB", "Amelia", "Hughes", "en-GB", at),
            NewCustomer(WingtipCustomerId, DemoInstance.DirectBillPartnerId, null, "Wingtip Pharma plc", "wingtippharma.onmicrosoft.com",
                "GB", "Manchester", "3 Hardman Street", "M3 3HF", "Oliver", "Patel", "en-GB", at),
            NewCustomer(LitwareCustomerId, DemoInstance.IndirectProviderPartnerId, DemoInstance.IndirectResellerPartnerId, "Litware Maschinenbau GmbH",
                "litwaremaschinenbau.onmicrosoft.com", "DE", "Stuttgart", "Königstraße 10", "70173", "Jonas", "Becker", "de-DE", at));

        AddPlan(db, TailspinCustomerId, DemoInstance.DirectBillPartnerId, null, "Fabrikam Direct Ltd", "GBP", "Amelia", "Hughes",
            "amelia.hughes@tailspintoys.example", TailspinCartId, TailspinOrderId, TailspinPlanId, TailspinAzureSubscriptionId, at);
        AddPlan(db, LitwareCustomerId, DemoInstance.IndirectProviderPartnerId, DemoInstance.IndirectResellerPartnerId, "Contoso Distribution GmbH", "EUR",
            "Jonas", "Becker", "jonas.becker@litware.example", LitwareCartId, LitwareOrderId, LitwarePlanId, LitwareAzureSubscriptionId, at);
    }

    private static Customer NewCustomer(Guid id, Guid partner, Guid? reseller, string company, string domain, string country, string city,
        string street, string postalCode, string firstName, string lastName, string culture, DateTimeOffset at) => new()
    {
        Id = id,
        PartnerId = partner,
        ResellerPartnerId = reseller,
        CommerceId = id,
        BillingProfileId = id,
        Domain = domain,
        CompanyName = company,
        Email = $"{firstName.ToLowerInvariant()}.{lastName.ToLowerInvariant()}@{domain.Split('.')[0]}.example",
        Culture = culture,
        Language = culture[..2],
        FirstName = firstName,
        LastName = lastName,
        AddressLine1 = street,
        City = city,
        PostalCode = postalCode,
        Country = country,
        CreatedAt = at,
    };

    private static void AddPlan(PaygoDbContext db, Guid customer, Guid partner, Guid? reseller, string partnerName, string currency,
        string contactFirst, string contactLast, string contactEmail, Guid cartId, Guid orderId, Guid planId, Guid azureSubscriptionId, DateTimeOffset at)
    {
        db.CustomerAgreements.Add(new CustomerAgreement
        {
            Id = customer,
            PartnerId = partner,
            CustomerId = customer,
            Type = AgreementTypes.MicrosoftCustomerAgreement,
            TemplateId = AgreementTypes.McaTemplateId,
            DateAgreed = at,
            ContactFirstName = contactFirst,
            ContactLastName = contactLast,
            ContactEmail = contactEmail,
            CreatedAt = at,
        });
        var participants = reseller is null ? [] : new[] { new KeyValueDto(Carts.TransactionReseller, reseller.Value.ToString()) };
        var line = new CartLineItemResource(0, CatalogSeed.AzurePlanCatalogItemId, null, 1, currency, "one_time", null, participants, new Dictionary<string, string>());
        db.Carts.Add(new Cart
        {
            Id = cartId,
            PartnerId = partner,
            CustomerId = customer,
            Status = CartStatus.Ordered,
            CreatedAt = at,
            LastModifiedAt = at,
            ExpiresAt = at + CartStatus.Lifetime,
            LineItemsJson = JsonSerializer.Serialize(new[] { line }, PaygoJson.Options),
            OrderId = orderId,
        });
        var orderLine = new OrderLineItemResource(0, CatalogSeed.AzurePlanCatalogItemId, planId.ToString(), "Microsoft Azure plan", 1, null, "new",
            reseller?.ToString(), new Dictionary<string, string>(),
            new OrderLineItemLinks(Link.Get($"/v1/customers/{customer}/subscriptions/{planId}"), Link.Get($"/v1/customers/{customer}/orders/{orderId}/provisioningstatus")));
        db.Orders.Add(new Order
        {
            Id = orderId,
            PartnerId = partner,
            CustomerId = customer,
            CartId = cartId,
            BillingCycle = "one_time",
            CurrencyCode = currency,
            CreatedAt = at,
            LineItemsJson = JsonSerializer.Serialize(new[] { orderLine }, PaygoJson.Options),
        });
        db.CommerceSubscriptions.Add(new CommerceSubscription
        {
            Id = planId,
            PartnerId = partner,
            CustomerId = customer,
            ResellerPartnerId = reseller,
            OrderId = orderId,
            Kind = SkuKind.AzurePlan,
            OfferId = CatalogSeed.AzurePlanCatalogItemId,
            ProductId = CatalogSeed.AzurePlanProductId,
            SkuId = CatalogSeed.AzurePlanSkuId,
            OfferName = "Microsoft Azure plan",
            FriendlyName = "Microsoft Azure plan",
            Quantity = 1,
            BillingCycle = "one_time",
            CreatedAt = at,
            CommitmentEndDate = SubscriptionResource.NoCommitmentEnd,
            AzurePlanKey = CommerceSubscription.PlanKey(customer, reseller),
        });
        db.AzureEntitlements.Add(new AzureEntitlement
        {
            Id = azureSubscriptionId,
            PartnerId = partner,
            CustomerId = customer,
            SubscriptionId = planId,
            FriendlyName = Checkout.FirstAzureSubscriptionName,
            CreatedAt = at,
        });
        var owner = RoleAssignment.AoboOwner(partner, partnerName, customer, azureSubscriptionId, at);
        owner.Id = azureSubscriptionId;
        db.RoleAssignments.Add(owner);
    }
}
