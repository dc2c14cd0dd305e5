namespace Paygo.Rating.Access;

/// <summary>
/// The access history PEC is computed from: allow and deny assignments with their periods, and
/// the role definitions they refer to. Assignments are kept in ordinal id order, so an index in
/// <see cref="Assignments"/> (what a <see cref="PecDecision"/> carries as evidence) does not depend
/// on the order they were given in. Corrections are the caller's: pass the assignments as corrected.
/// </summary>
public sealed class AccessHistory
{
    private readonly Dictionary<string, Group> _bySubscription = new(StringComparer.OrdinalIgnoreCase);

    public AccessHistory(IEnumerable<RoleAssignment> assignments, IEnumerable<DenyAssignment>? denies = null, RoleCatalog? roles = null)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        Roles = roles ?? RoleCatalog.BuiltIn;
        var allows = assignments.ToArray();
        Array.Sort(allows, static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        var blocks = (denies ?? []).ToArray();
        Array.Sort(blocks, static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        RejectRepeatedIds(allows.Select(a => a.Id), nameof(assignments));
        RejectRepeatedIds(blocks.Select(d => d.Id), nameof(denies));
        Assignments = allows;
        Denies = blocks;

        for (var i = 0; i < allows.Length; i++)
        {
            GroupOf(allows[i].Scope).Allows.Add(i);
        }

        for (var i = 0; i < blocks.Length; i++)
        {
            GroupOf(blocks[i].Scope).Denies.Add(i);
        }
    }

    /// <summary>Allow assignments, in ordinal id order.</summary>
    public IReadOnlyList<RoleAssignment> Assignments { get; }

    /// <summary>Deny assignments, in ordinal id order.</summary>
    public IReadOnlyList<DenyAssignment> Denies { get; }

    public RoleCatalog Roles { get; }

    /// <summary>
    /// The interval index PEC decisions for one Azure subscription billed by one partner run
    /// against. Build it once per (billed partner, subscription) for a rating run and decide
    /// every usage row of that subscription with it.
    /// </summary>
    /// <param name="subscriptionId">The Azure subscription (entitlement) id; compared case-insensitively.</param>
    /// <param name="billedPartnerId">The PartnerID of the billed partner: the direct-bill partner or the indirect provider.</param>
    /// <param name="resellerOfRecordId">For an indirect provider, the reseller of record's PartnerID; its access counts too.</param>
    public SubscriptionAccess IndexFor(string subscriptionId, string billedPartnerId, string? resellerOfRecordId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(billedPartnerId);
        var group = _bySubscription.GetValueOrDefault(subscriptionId);
        return SubscriptionAccess.Build(this, group?.Allows ?? [], group?.Denies ?? [], billedPartnerId, string.IsNullOrEmpty(resellerOfRecordId) ? null : resellerOfRecordId);
    }

    /// <summary>Every subscription id the history has an assignment in.</summary>
    public IEnumerable<string> SubscriptionIds => _bySubscription.Keys;

    private Group GroupOf(ArmScope scope)
    {
        if (scope.Path is null)
        {
            throw new ArgumentException("An assignment has no scope.");
        }

        var id = scope.SubscriptionId;
        if (!_bySubscription.TryGetValue(id, out var group))
        {
            group = new Group();
            _bySubscription.Add(id, group);
        }

        return group;
    }

    private static void RejectRepeatedIds(IEnumerable<string> ids, string parameter)
    {
        string? previous = null;
        foreach (var id in ids)
        {
            ArgumentException.ThrowIfNullOrEmpty(id, parameter);
            if (previous is not null && string.Equals(previous, id, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Assignment id '{id}' appears twice.", parameter);
            }

            previous = id;
        }
    }

    private sealed class Group
    {
        public List<int> Allows { get; } = [];

        public List<int> Denies { get; } = [];
    }
}
