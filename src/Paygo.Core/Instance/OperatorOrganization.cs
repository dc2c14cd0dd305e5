namespace Paygo.Core.Instance;

/// <summary>
/// The organisation that runs this Paygo instance and plays Microsoft's part: catalog, price
/// lists, FX rates, partner onboarding, billing runs (DOMAIN.md §1). One row per instance.
/// </summary>
public sealed class OperatorOrganization
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
