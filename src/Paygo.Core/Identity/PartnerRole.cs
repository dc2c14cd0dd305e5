namespace Paygo.Core.Identity;

/// <summary>Partner Center's user roles (reference §2.3), held by operator and partner users alike.</summary>
public enum PartnerRole
{
    GlobalAdmin,
    AdminAgent,
    SalesAgent,
    BillingAdmin,
    HelpdeskAgent,
    UserManagementAdmin,
}

public static class PartnerRoles
{
    /// <summary>Partner Center's display names, used on the wire and in the dashboard.</summary>
    public static string ToWire(PartnerRole role) => role switch
    {
        PartnerRole.GlobalAdmin => "Global admin",
        PartnerRole.AdminAgent => "Admin agent",
        PartnerRole.SalesAgent => "Sales agent",
        PartnerRole.BillingAdmin => "Billing admin",
        PartnerRole.HelpdeskAgent => "Helpdesk agent",
        PartnerRole.UserManagementAdmin => "User management admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>Reads a role in any spelling: <c>Global admin</c>, <c>GlobalAdmin</c>, <c>global_admin</c>.</summary>
    public static bool TryParseWire(string? text, out PartnerRole role)
    {
        role = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var folded = new string([.. text.Where(c => c is not (' ' or '-' or '_'))]);
        return folded.All(char.IsAsciiLetter) && Enum.TryParse(folded, ignoreCase: true, out role) && Enum.IsDefined(role);
    }

    /// <summary>Reads a stored role list (<c>GlobalAdmin,AdminAgent</c>).</summary>
    public static IReadOnlyList<PartnerRole> Parse(string stored) =>
        string.IsNullOrEmpty(stored)
            ? []
            : [.. stored.Split(',').Select(r => Enum.Parse<PartnerRole>(r, ignoreCase: false))];

    public static string Format(IEnumerable<PartnerRole> roles) => string.Join(',', roles.Distinct().Order());
}
