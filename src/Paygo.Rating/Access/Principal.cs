namespace Paygo.Rating.Access;

/// <summary>Who holds an assignment (DOMAIN.md §4; the access CSV's <c>PrincipalType</c>).</summary>
public enum PrincipalKind
{
    /// <summary>The partner tenant's AdminAgents group as a foreign principal in the customer tenant (AOBO).</summary>
    AdminAgents,

    /// <summary>The partner tenant's HelpdeskAgents group as a foreign principal (AOBO).</summary>
    HelpdeskAgents,

    /// <summary>A user or guest user in the customer tenant.</summary>
    User,

    /// <summary>A service principal (app) in the customer tenant.</summary>
    ServicePrincipal,

    /// <summary>An Azure Lighthouse delegation to a managing partner's tenant.</summary>
    Lighthouse,
}

/// <summary>
/// A principal and the partners it acts for.
/// </summary>
/// <param name="Kind">What the principal is.</param>
/// <param name="Id">Its object id, as the access source names it.</param>
/// <param name="PartnerId">
/// The PartnerID (MPN id) whose principal this is: the foreign principal's partner or the
/// Lighthouse managing partner. Users and service principals belong to the customer, so theirs is null.
/// </param>
/// <param name="PartnerAdminLink">The PartnerID of a Partner Admin Link on the principal, if any; any kind may carry one.</param>
public sealed record Principal(PrincipalKind Kind, string Id, string? PartnerId = null, string? PartnerAdminLink = null)
{
    public static Principal AdminAgents(string id, string partnerId) => new(PrincipalKind.AdminAgents, id, partnerId);

    public static Principal HelpdeskAgents(string id, string partnerId) => new(PrincipalKind.HelpdeskAgents, id, partnerId);

    public static Principal Lighthouse(string id, string managingPartnerId) => new(PrincipalKind.Lighthouse, id, managingPartnerId);

    public static Principal User(string id, string? partnerAdminLink = null) => new(PrincipalKind.User, id, PartnerAdminLink: partnerAdminLink);

    public static Principal ServicePrincipal(string id, string? partnerAdminLink = null) => new(PrincipalKind.ServicePrincipal, id, PartnerAdminLink: partnerAdminLink);

    /// <summary>True when the principal acts for <paramref name="partnerId"/>: it is that partner's, or its Partner Admin Link names it.</summary>
    public bool ActsFor(string partnerId) =>
        string.Equals(PartnerId, partnerId, StringComparison.Ordinal) || string.Equals(PartnerAdminLink, partnerId, StringComparison.Ordinal);

    /// <summary>True when the principal acts for some partner at all (a customer's own admin does not).</summary>
    public bool ActsForAnyPartner => !string.IsNullOrEmpty(PartnerId) || !string.IsNullOrEmpty(PartnerAdminLink);
}
