using Paygo.Core.Users;

namespace Paygo.Core.Identity;

/// <summary>Every operation an endpoint can require. Each endpoint names exactly one (docs/adr/0008).</summary>
public enum ApiOperation
{
    /// <summary>List and read partners: the operator's directory.</summary>
    PartnersRead,

    /// <summary>Onboard partners.</summary>
    PartnersWrite,

    /// <summary>Read the users of one's own organisation and the MFA compliance report.</summary>
    UsersRead,

    /// <summary>Create, disable, re-enable users and reset their second factor.</summary>
    UsersManage,

    /// <summary>Read the audit trail of one's own organisation (the operator reads all).</summary>
    AuditRead,

    /// <summary>List, search and read customers (one's own; the operator reads all).</summary>
    CustomersRead,

    /// <summary>Add customers (reference §2.3 "Add customer").</summary>
    CustomersWrite,

    /// <summary>Read agreement metadata and a customer's MCA attestations.</summary>
    AgreementsRead,

    /// <summary>Confirm a customer's acceptance of the MCA (Admin agent or Sales agent only).</summary>
    AgreementsWrite,

    /// <summary>Read the catalog: products, SKUs, availabilities.</summary>
    CatalogRead,

    /// <summary>Edit the catalog (the operator).</summary>
    CatalogWrite,

    /// <summary>Read a customer's carts, orders, subscriptions and Azure entitlements.</summary>
    OrdersRead,

    /// <summary>Create and change carts and check them out: buying for a customer.</summary>
    OrdersWrite,

    /// <summary>Change a customer's subscriptions (rename; later suspend and reactivate): the Admin agent's subscription management.</summary>
    SubscriptionsWrite,

    /// <summary>Read price lists, meter prices, diffs, price sheets and FX rates.</summary>
    PricesRead,

    /// <summary>Import price lists and FX rates (the operator, who plays Microsoft's part).</summary>
    PricesWrite,

    // subs: the Azure subscription lifecycle (issue 11 point 1, docs/adr/0026).

    /// <summary>Add an Azure subscription to a customer's Azure plan (Admin agent).</summary>
    AzureSubscriptionsWrite,

    /// <summary>
    /// Cancel and reactivate an Azure subscription. The matrix lets a Global admin or an Admin agent
    /// through; Core then requires both roles on one user (reference §7.4) and answers 900335 otherwise.
    /// </summary>
    AzureSubscriptionsCancel,
    // transition (issue 11 point 5)

    /// <summary>Import legacy Microsoft Azure (MS-AZR-0145P) subscriptions with their role assignments (the operator).</summary>
    LegacyAzureImport,

    /// <summary>Ask whether a customer can transition to the Azure plan, and an upgrade's status.</summary>
    ProductUpgradesRead,

    /// <summary>Transition a customer's legacy Azure subscriptions to the Azure plan: a purchase of the plan.</summary>
    ProductUpgradesWrite,
    // usage (issue 12 point 1)

    /// <summary>Post usage records (<c>POST /v1/usage</c>): the metering source's app credential, operator admins, and partners for their own customers.</summary>
    UsageWrite,
    // access (issue 11 point 2, docs/adr/0027)

    /// <summary>Read access records, role definitions and the access CSV export.</summary>
    AccessRead,

    /// <summary>Record, end and correct access: the access source's app, or an Admin agent whose partner holds AOBO Owner or User Access Administrator.</summary>
    AccessWrite,

    /// <summary>Register custom roles and mark their PEC eligibility (the operator).</summary>
    AccessRolesWrite,
    // rated usage (issue 12 point 3, docs/adr/0033)

    /// <summary>Read rated usage: unbilled daily rated usage line items, usage summaries and records.</summary>
    UsageRead,
}

/// <summary>Who may do what: the kind of organisation, the Partner Center roles, and the app scope (if apps may).</summary>
public sealed record PermissionRule(bool Operator, bool Partner, IReadOnlyList<PartnerRole> Roles, string? AppScope);

/// <summary>
/// The role matrix of reference §2.3 in one table, walked by a test for every endpoint. App-only
/// tokens may do only what DOMAIN.md §2 allows them (post usage and access, read catalog, prices,
/// customers and subscriptions), through the scope named here.
/// </summary>
public static class PermissionMatrix
{
    private static readonly PartnerRole[] UserAdmins = [PartnerRole.GlobalAdmin, PartnerRole.UserManagementAdmin];

    public static IReadOnlyDictionary<ApiOperation, PermissionRule> Rules { get; } = new Dictionary<ApiOperation, PermissionRule>
    {
        [ApiOperation.PartnersRead] = new(Operator: true, Partner: false, Enum.GetValues<PartnerRole>(), AppScope: null),
        [ApiOperation.PartnersWrite] = new(Operator: true, Partner: false, [PartnerRole.GlobalAdmin], AppScope: null),
        [ApiOperation.UsersRead] = new(Operator: true, Partner: true, UserAdmins, AppScope: null),
        [ApiOperation.UsersManage] = new(Operator: true, Partner: true, UserAdmins, AppScope: null),
        [ApiOperation.AuditRead] = new(Operator: true, Partner: true, [PartnerRole.GlobalAdmin], AppScope: null),
        [ApiOperation.CustomersRead] = new(Operator: true, Partner: true, Enum.GetValues<PartnerRole>(), AppScopes.CustomersRead),
        [ApiOperation.CustomersWrite] = new(Operator: false, Partner: true, [PartnerRole.GlobalAdmin, PartnerRole.UserManagementAdmin, PartnerRole.AdminAgent, PartnerRole.SalesAgent], AppScope: null),
        [ApiOperation.AgreementsRead] = new(Operator: true, Partner: true, Enum.GetValues<PartnerRole>(), AppScopes.CustomersRead),
        [ApiOperation.AgreementsWrite] = new(Operator: false, Partner: true, [PartnerRole.AdminAgent, PartnerRole.SalesAgent], AppScope: null),
        [ApiOperation.CatalogRead] = new(Operator: true, Partner: true, Enum.GetValues<PartnerRole>(), AppScopes.CatalogRead),
        [ApiOperation.CatalogWrite] = new(Operator: true, Partner: false, [PartnerRole.GlobalAdmin], AppScope: null),
        [ApiOperation.OrdersRead] = new(Operator: true, Partner: true, Enum.GetValues<PartnerRole>(), AppScopes.CustomersRead),

        // Purchase Azure plan: Global admin, User management admin, Sales agent; Admin agent manages subscriptions (reference §2.3).
        [ApiOperation.PricesRead] = new(Operator: true, Partner: true, Enum.GetValues<PartnerRole>(), AppScopes.PricesRead),
        [ApiOperation.PricesWrite] = new(Operator: true, Partner: false, [PartnerRole.GlobalAdmin, PartnerRole.BillingAdmin], AppScope: null),
        [ApiOperation.OrdersWrite] = new(Operator: false, Partner: true, [PartnerRole.GlobalAdmin, PartnerRole.UserManagementAdmin, PartnerRole.AdminAgent, PartnerRole.SalesAgent], AppScope: null),

        // Manage subscriptions under the Azure plan: Admin agent (reference §2.3, azure-plan-manage).
        [ApiOperation.SubscriptionsWrite] = new(Operator: false, Partner: true, [PartnerRole.AdminAgent], AppScope: null),

        // subs: adding Azure subscriptions is the Admin agent's (reference §7.1); cancel and reactivate need
        // a Global admin who is also an Admin agent, checked in Core on top of this fence (reference §2.3, §7.4).
        [ApiOperation.AzureSubscriptionsWrite] = new(Operator: false, Partner: true, [PartnerRole.AdminAgent], AppScope: null),
        [ApiOperation.AzureSubscriptionsCancel] = new(Operator: false, Partner: true, [PartnerRole.GlobalAdmin, PartnerRole.AdminAgent], AppScope: null),
        // transition (issue 11 point 5): the operator imports legacy subscriptions; the transition buys the plan, so it has the purchasers' roles (reference §2.3).
        [ApiOperation.LegacyAzureImport] = new(Operator: true, Partner: false, [PartnerRole.GlobalAdmin], AppScope: null),
        [ApiOperation.ProductUpgradesRead] = new(Operator: false, Partner: true, Enum.GetValues<PartnerRole>(), AppScope: null),
        [ApiOperation.ProductUpgradesWrite] = new(Operator: false, Partner: true, [PartnerRole.GlobalAdmin, PartnerRole.UserManagementAdmin, PartnerRole.AdminAgent, PartnerRole.SalesAgent], AppScope: null),
        // usage (issue 12 point 1): the metering source's app (usage.write), the operator's Global admin, and a
        // partner's Global admin or Admin agent for its own customers (DOMAIN.md §2, §7; docs/adr/0032).
        [ApiOperation.UsageWrite] = new(Operator: true, Partner: true, [PartnerRole.GlobalAdmin, PartnerRole.AdminAgent], AppScopes.UsageWrite),
        // access (issue 11 point 2): Admin agents act through their partner's AOBO foreign principal, which Core checks per subscription.
        [ApiOperation.AccessRead] = new(Operator: true, Partner: true, Enum.GetValues<PartnerRole>(), AppScopes.CustomersRead),
        [ApiOperation.AccessWrite] = new(Operator: false, Partner: true, [PartnerRole.AdminAgent], AppScopes.AccessWrite),
        [ApiOperation.AccessRolesWrite] = new(Operator: true, Partner: false, [PartnerRole.GlobalAdmin], AppScope: null),
        // rated usage: Azure billing (Admin agent, Billing admin, Global admin) and the daily rated usage files (also Sales and Helpdesk agents), reference §2.3.
        [ApiOperation.UsageRead] = new(Operator: true, Partner: true, [PartnerRole.GlobalAdmin, PartnerRole.BillingAdmin, PartnerRole.AdminAgent, PartnerRole.SalesAgent, PartnerRole.HelpdeskAgent], AppScope: null),
    };

    /// <summary>True when a user of that organisation with those roles may do <paramref name="permission"/>.</summary>
    public static bool AllowsUser(ApiOperation permission, bool isOperator, IEnumerable<PartnerRole> roles)
    {
        var rule = Rules[permission];
        return (isOperator ? rule.Operator : rule.Partner) && roles.Any(rule.Roles.Contains);
    }

    /// <summary>True when an app credential holding <paramref name="scopes"/> may do <paramref name="permission"/>.</summary>
    public static bool AllowsApp(ApiOperation permission, IEnumerable<string> scopes) =>
        Rules[permission].AppScope is { } scope && scopes.Contains(scope, StringComparer.Ordinal);

    /// <summary>
    /// Stops a Core operation the caller's organisation, roles or scopes do not allow; the first
    /// line of every Core operation (docs/adr/0020). A throw, not a value: the route policy (or the
    /// page, which asks <see cref="Caller.Allows"/> before it offers an action) already refused such
    /// a caller, so reaching here is a bug or a new entry point that forgot its fence, and an
    /// exception cannot be ignored the way a returned error can. The server serves it as a 403.
    /// </summary>
    public static void Demand(Caller caller, ApiOperation operation)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.Allows(operation))
        {
            throw new OperationForbiddenException(operation);
        }
    }

    public static string PolicyName(ApiOperation permission) => "paygo:" + permission;
}

/// <summary>App scopes an operator's Global admin can grant to an app credential (DOMAIN.md §2).</summary>
public static class AppScopes
{
    public const string UsageWrite = "usage.write";
    public const string AccessWrite = "access.write";
    public const string CatalogRead = "catalog.read";
    public const string PricesRead = "prices.read";
    public const string CustomersRead = "customers.read";

    public static IReadOnlyList<string> All { get; } = [UsageWrite, AccessWrite, CatalogRead, PricesRead, CustomersRead];
}

/// <summary>Claim types of Paygo's tokens and cookies.</summary>
public static class PaygoClaims
{
    public const string Subject = "sub";
    public const string Kind = "paygo_kind";
    public const string Tenant = "paygo_tenant";
    public const string Role = "paygo_role";
    public const string Stamp = "paygo_stamp";
    public const string AuthenticationMethod = "amr";
    public const string Email = "email";
    public const string Name = "name";

    public const string UserKind = "user";
    public const string AppKind = "app";
    public const string Mfa = "mfa";
}
