using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Partners;
using Paygo.Core.Users;

namespace Paygo.Server.Dashboard.Pages.Customers;

/// <summary>
/// What the signed-in user may do with customers, and in words why not. Core's services check
/// roles too (<see cref="PermissionMatrix.Demand"/>), but refuse with an exception; the pages ask
/// the same matrix first, so they can say why instead of failing, before they show a form and
/// again before they act on a post.
/// </summary>
internal static class CustomerActions
{
    /// <summary>Null when the user may add customers; otherwise the reason shown instead of the form.</summary>
    public static string? WhyCannotAdd(Caller caller, PartnerType? partnerType)
    {
        if (caller.IsOperator)
        {
            return "The operator does not add customers: each partner adds the customers it sells to.";
        }

        if (partnerType == PartnerType.IndirectReseller)
        {
            return "An indirect reseller's customers are added by its indirect provider, which names the reseller as reseller of record.";
        }

        return caller.Allows(ApiOperation.CustomersWrite)
            ? null
            : $"Adding customers needs the Global admin, User management admin, Admin agent or Sales agent role; you have {RoleList(caller)}.";
    }

    /// <summary>Null when the user may confirm the customer's MCA; otherwise the reason shown instead of the form.</summary>
    public static string? WhyCannotConfirmMca(Caller caller, Customer customer, string billingPartnerName)
    {
        ArgumentNullException.ThrowIfNull(customer);
        if (WhyNotTheBillingPartner(caller, customer, billingPartnerName, "confirms the Microsoft Customer Agreement") is { } reason)
        {
            return reason;
        }

        return caller.Allows(ApiOperation.AgreementsWrite)
            ? null
            : $"Only Admin agents and Sales agents confirm the Microsoft Customer Agreement; you have {RoleList(caller)}.";
    }

    /// <summary>Null when the user may buy for the customer; otherwise the reason shown instead of the button.</summary>
    public static string? WhyCannotBuy(Caller caller, Customer customer, string billingPartnerName)
    {
        ArgumentNullException.ThrowIfNull(customer);
        if (WhyNotTheBillingPartner(caller, customer, billingPartnerName, "buys for this customer") is { } reason)
        {
            return reason;
        }

        return caller.Allows(ApiOperation.OrdersWrite)
            ? null
            : $"Buying needs the Global admin, User management admin, Admin agent or Sales agent role; you have {RoleList(caller)}.";
    }

    /// <summary>Null when the user may add Azure subscriptions to the customer's plan (Admin agent of the billing partner).</summary>
    public static string? WhyCannotAddAzureSubscription(Caller caller, Customer customer, string billingPartnerName)
    {
        ArgumentNullException.ThrowIfNull(customer);
        if (WhyNotTheBillingPartner(caller, customer, billingPartnerName, "adds Azure subscriptions") is { } reason)
        {
            return reason;
        }

        return caller.Allows(ApiOperation.AzureSubscriptionsWrite)
            ? null
            : $"Adding Azure subscriptions needs the Admin agent role; you have {RoleList(caller)}.";
    }

    /// <summary>Null when the user may suspend and reactivate the customer's plan (Admin agent of the billing partner).</summary>
    public static string? WhyCannotChangePlan(Caller caller, Customer customer, string billingPartnerName)
    {
        ArgumentNullException.ThrowIfNull(customer);
        if (WhyNotTheBillingPartner(caller, customer, billingPartnerName, "suspends and reactivates the Azure plan") is { } reason)
        {
            return reason;
        }

        return caller.Allows(ApiOperation.SubscriptionsWrite)
            ? null
            : $"Suspending or reactivating the Azure plan needs the Admin agent role; you have {RoleList(caller)}.";
    }

    /// <summary>
    /// Null when the user may cancel and reactivate Azure subscriptions: a Global admin who is also an
    /// Admin agent (reference §7.4), of the billing partner. Core checks the pair again.
    /// </summary>
    public static string? WhyCannotCancelAzureSubscription(Caller caller, Customer customer, string billingPartnerName)
    {
        ArgumentNullException.ThrowIfNull(customer);
        if (WhyNotTheBillingPartner(caller, customer, billingPartnerName, "cancels and reactivates Azure subscriptions") is { } reason)
        {
            return reason;
        }

        return caller.Allows(ApiOperation.AzureSubscriptionsCancel) && caller.Roles.Contains(PartnerRole.GlobalAdmin) && caller.Roles.Contains(PartnerRole.AdminAgent)
            ? null
            : $"Cancelling or reactivating an Azure subscription needs a user who is both Global admin and Admin agent; you have {RoleList(caller)}.";
    }

    private static string? WhyNotTheBillingPartner(Caller caller, Customer customer, string billingPartnerName, string what)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsOperator)
        {
            return $"The operator only looks: {billingPartnerName}, the partner that bills the customer, {what}.";
        }

        return customer.PartnerId == caller.PartnerId
            ? null
            : $"Your organisation is this customer's reseller of record; its indirect provider {billingPartnerName} {what}.";
    }

    private static string RoleList(Caller caller) =>
        caller.Roles.Count == 0 ? "no role" : string.Join(", ", caller.Roles.Select(PartnerRoles.ToWire));
}
