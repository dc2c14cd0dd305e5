namespace Paygo.Rating.Access;

/// <summary>
/// An Azure RBAC role definition as PEC sees it: its Azure id, its name and whether holding it
/// earns PEC. Built-in roles come from <see cref="BuiltInRoles"/> (reference §3.3); a custom
/// role is eligible only when the operator marks it so.
/// </summary>
/// <param name="Id">The Azure role definition id (the GUID at the end of <c>/providers/Microsoft.Authorization/roleDefinitions/{id}</c>).</param>
/// <param name="Name">The role's name as Azure shows it, e.g. <c>Owner</c>.</param>
/// <param name="IsCustom">False for Microsoft's built-in roles.</param>
/// <param name="PecEligible">True when an assignment of this role can earn PEC.</param>
public sealed record RoleDefinition(Guid Id, string Name, bool IsCustom, bool PecEligible)
{
    /// <summary>
    /// A customer's custom role. Not eligible unless <paramref name="markedEligible"/>: Microsoft
    /// lists only built-in roles as eligible (reference §3.3), so eligibility is the operator's call.
    /// </summary>
    public static RoleDefinition Custom(Guid id, string name, bool markedEligible = false) => new(id, name, true, markedEligible);
}

/// <summary>
/// The role definitions an access history refers to: every built-in role of reference §3.3 plus
/// the custom roles the operator registered. A role id it does not know is not eligible.
/// </summary>
public sealed class RoleCatalog
{
    private readonly Dictionary<Guid, RoleDefinition> _byId;
    private readonly Dictionary<string, RoleDefinition> _byName;

    private RoleCatalog(Dictionary<Guid, RoleDefinition> byId, Dictionary<string, RoleDefinition> byName)
    {
        _byId = byId;
        _byName = byName;
    }

    /// <summary>The built-in roles only.</summary>
    public static RoleCatalog BuiltIn { get; } = Create([]);

    /// <summary>The built-in roles plus <paramref name="customRoles"/>; a custom role may not reuse a built-in id or name.</summary>
    public static RoleCatalog Create(IEnumerable<RoleDefinition> customRoles)
    {
        ArgumentNullException.ThrowIfNull(customRoles);
        var byId = new Dictionary<Guid, RoleDefinition>();
        var byName = new Dictionary<string, RoleDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var role in BuiltInRoles.All.Concat(customRoles))
        {
            if (!byId.TryAdd(role.Id, role))
            {
                throw new ArgumentException($"Role definition id {role.Id} appears twice.", nameof(customRoles));
            }

            if (!byName.TryAdd(role.Name, role))
            {
                throw new ArgumentException($"Role name '{role.Name}' appears twice.", nameof(customRoles));
            }
        }

        foreach (var (alias, name) in BuiltInRoles.Aliases)
        {
            byName.TryAdd(alias, byName[name]);
        }

        return new RoleCatalog(byId, byName);
    }

    public IEnumerable<RoleDefinition> Roles => _byId.Values;

    public bool TryFind(Guid id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RoleDefinition? role) => _byId.TryGetValue(id, out role);

    /// <summary>By name, case-insensitively; also takes the spellings of Microsoft's PEC page (<c>ACRPull</c>, <c>AKS Cluster User Role</c>, …).</summary>
    public bool TryFind(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RoleDefinition? role) => _byName.TryGetValue(name, out role);

    public bool IsPecEligible(Guid id) => _byId.TryGetValue(id, out var role) && role.PecEligible;
}
